package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Status;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.Query;

/**
 * A delete's options, from its DeleteOptions body and query parameters: propagationPolicy, the grace
 * period (null: the object's own) and the uid and resourceVersion preconditions.
 */
record DeleteRequest(String propagationPolicy, String uid, String resourceVersion, Long gracePeriodSeconds,
    Status failure) {
  private static final Set<String> POLICIES = Set.of("Background", "Foreground", "Orphan");

  static DeleteRequest of(JsonNode body, Query query) {
    String policy = query.get("propagationPolicy").orElse(null);
    String uid = null;
    String rv = null;
    Long grace = null;
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
      JsonNode pre = body.path("preconditions");
      if (pre.hasNonNull("uid")) uid = pre.get("uid").asText();
      if (pre.hasNonNull("resourceVersion")) rv = pre.get("resourceVersion").asText();
    }
    if (policy != null && !POLICIES.contains(policy)) {
      return failed("propagationPolicy: Unsupported value: \"" + policy
          + "\": supported values: \"Background\", \"Foreground\", \"Orphan\"");
    }
    // Kubernetes treats a negative grace period as one second rather than refusing it.
    if (grace != null && grace < 0) grace = 1L;
    // No policy: the kind chooses (a Job orphans its pods, as in Kubernetes; the rest cascade in the background).
    return new DeleteRequest(policy, uid, rv, grace, null);
  }

  private static DeleteRequest failed(String message) {
    return new DeleteRequest(null, null, null, null, Status.badRequest(message));
  }
}
