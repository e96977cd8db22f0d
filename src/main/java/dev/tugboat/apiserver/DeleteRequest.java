package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.DeleteOptions;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.Query;

/**
 * A delete's options, from its DeleteOptions body (JSON, YAML or protobuf) and query parameters:
 * propagationPolicy, the grace period (null: the object's own), the uid and resourceVersion
 * preconditions, and dryRun.
 */
record DeleteRequest(String propagationPolicy, String uid, String resourceVersion, Long gracePeriodSeconds,
    boolean dryRun, Status failure) {
  private static final Set<String> POLICIES = Set.of("Background", "Foreground", "Orphan");

  static DeleteRequest of(JsonNode body, Query query) {
    String policy = query.get("propagationPolicy").orElse(null);
    String uid = null;
    String rv = null;
    Long grace = null;
    List<String> dryRun = new ArrayList<>(query.getAll("dryRun"));
    String graceParam = query.get("gracePeriodSeconds").orElse(null);
    if (graceParam != null) {
      try {
        grace = Long.parseLong(graceParam);
      } catch (NumberFormatException e) {
        return failed("gracePeriodSeconds: Invalid value: \"" + graceParam + "\": must be an integer");
      }
    }
    if (body != null) {
      if (body.has("kind") && !body.path("kind").asText().equals("DeleteOptions")) {
        return failed("the body of a delete must be a DeleteOptions, not " + body.path("kind").asText());
      }
      if (body.hasNonNull("propagationPolicy")) policy = body.get("propagationPolicy").asText();
      if (body.hasNonNull("gracePeriodSeconds")) {
        if (!body.get("gracePeriodSeconds").canConvertToLong()) {
          return failed("gracePeriodSeconds: Invalid value: " + body.get("gracePeriodSeconds") + ": must be an integer");
        }
        grace = body.get("gracePeriodSeconds").asLong();
      }
      if (body.has("orphanDependents") && body.get("orphanDependents").asBoolean() && policy == null) policy = "Orphan";
      body.path("dryRun").forEach(d -> dryRun.add(d.asText()));
      JsonNode pre = body.path("preconditions");
      if (pre.hasNonNull("uid")) uid = pre.get("uid").asText();
      if (pre.hasNonNull("resourceVersion")) rv = pre.get("resourceVersion").asText();
    }
    if (policy != null && !POLICIES.contains(policy)) {
      return failed("propagationPolicy: Unsupported value: \"" + policy
          + "\": supported values: \"Background\", \"Foreground\", \"Orphan\"");
    }
    for (String d : dryRun) {
      if (!d.equals("All")) return failed("dryRun: Unsupported value: \"" + d + "\": supported values: \"All\"");
    }
    if (grace != null && grace > DeleteOptions.MAX_GRACE_PERIOD_SECONDS) {
      return failed("gracePeriodSeconds: Invalid value: " + grace + ": must be at most "
          + DeleteOptions.MAX_GRACE_PERIOD_SECONDS + " (a year)");
    }
    // Kubernetes treats a negative grace period as one second rather than refusing it.
    if (grace != null && grace < 0) grace = 1L;
    // No policy: the kind chooses (a Job orphans its pods, as in Kubernetes; the rest cascade in the background).
    return new DeleteRequest(policy, uid, rv, grace, !dryRun.isEmpty(), null);
  }

  /** The 409 a delete of {@code object} gets when a precondition does not hold. */
  Optional<Status> preconditionFailure(ResourceType type, JsonNode object) {
    JsonNode meta = object.path("metadata");
    String name = meta.path("name").asText();
    if (uid != null && !uid.equals(meta.path("uid").asText())) {
      return Optional.of(Status.conflict(type.group(), type.plural(), name, "Precondition failed: UID in precondition: "
          + uid + ", UID in object meta: " + meta.path("uid").asText()));
    }
    if (resourceVersion != null && !resourceVersion.equals(meta.path("resourceVersion").asText())) {
      return Optional.of(Status.conflict(type.group(), type.plural(), name));
    }
    return Optional.empty();
  }

  private static DeleteRequest failed(String message) {
    return new DeleteRequest(null, null, null, null, false, Status.badRequest(message));
  }
}
