package dev.tugboat.kinds.poddisruptionbudget;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.IntOrString;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.Codec;
import dev.tugboat.model.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The arithmetic of a PodDisruptionBudget, as Kubernetes' disruption controller and its eviction
 * subresource do it, on the objects as JSON. Pure: the disruption controller asks it for a budget's
 * status, the eviction handler whether an eviction may pass and what the budget becomes if so.
 */
public final class DisruptionBudgets {
  /**
   * How long an eviction stays in {@code status.disruptedPods} when its pod is not seen going:
   * Kubernetes' DeletionTimeout (the pod's delete is then presumed lost, and it counts again).
   */
  public static final Duration DELETION_TIMEOUT = Duration.ofMinutes(2);
  /** Kubernetes' MaxDisruptedPodSize: beyond it evictions are refused until the controller catches up. */
  public static final int MAX_DISRUPTED_PODS = 2000;
  /** The message of a refused eviction, word for word as kube-apiserver's. */
  public static final String REFUSED = "Cannot evict pod as it would violate the pod's disruption budget.";

  private DisruptionBudgets() {}

  /** What a budget asks: how many pods are expected, and how many of them must be healthy. */
  public record Target(int expectedPods, int desiredHealthy) {}

  /**
   * Kubernetes' getExpectedPodCount. {@code expectedScale}: the sum of the scales of the
   * controllers owning the selected pods, null when it could not be found (a pod without such a
   * controller); needed for maxUnavailable and for a percentage minAvailable. Null when it is
   * needed and missing.
   */
  public static Target target(JsonNode spec, int selectedPods, Integer expectedScale) {
    IntOrString max = amount(spec.path("maxUnavailable"));
    IntOrString min = amount(spec.path("minAvailable"));
    if (max != null) {
      if (expectedScale == null) return null;
      int unavailable = max.scaled(expectedScale, true);
      return new Target(expectedScale, Math.max(0, expectedScale - unavailable));
    }
    if (min != null) {
      if (min.isInt()) return new Target(selectedPods, min.intValue());
      if (expectedScale == null) return null;
      return new Target(expectedScale, min.scaled(expectedScale, true));
    }
    return new Target(0, 0);
  }

  private static IntOrString amount(JsonNode v) {
    if (v.isInt()) return IntOrString.of(v.intValue());
    if (v.isTextual()) return IntOrString.of(v.asText());
    return null;
  }

  /** Whether a budget selects a pod: same namespace, and its selector matches (an absent one matches none). */
  public static boolean selects(JsonNode pdb, JsonNode pod) {
    if (!pdb.path("metadata").path("namespace").asText().equals(pod.path("metadata").path("namespace").asText())) {
      return false;
    }
    JsonNode selector = pdb.path("spec").path("selector");
    if (!selector.isObject()) return false;
    LabelSelector s = Codec.convert(selector, LabelSelector.class);
    Map<String, String> labels = new java.util.HashMap<>();
    pod.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    try {
      return s.toSelector().matches(labels);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Kubernetes' IsPodReady: the Ready condition is True. */
  public static boolean ready(JsonNode pod) {
    for (JsonNode c : pod.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) return "True".equals(c.path("status").asText());
    }
    return false;
  }

  /**
   * The status the disruption controller writes: {@code pods} are the selected pods;
   * {@code expectedScale} as in {@link #target}. Evictions recorded in {@code disruptedPods} whose
   * pods are gone or going, or that are older than {@link #DELETION_TIMEOUT}, are dropped; those
   * still pending do not count as healthy. A budget whose scale cannot be found allows nothing
   * and says why in its DisruptionAllowed condition (SyncFailed).
   */
  public static ObjectNode status(ObjectNode pdb, List<? extends JsonNode> pods, Integer expectedScale, Instant now) {
    JsonNode old = pdb.path("status");
    ObjectNode status = JsonNodeFactory.instance.objectNode();
    ObjectNode disrupted = JsonNodeFactory.instance.objectNode();
    Map<String, JsonNode> byName = new java.util.HashMap<>();
    for (JsonNode p : pods) byName.put(p.path("metadata").path("name").asText(), p);
    for (Iterator<Map.Entry<String, JsonNode>> it = old.path("disruptedPods").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode pod = byName.get(e.getKey());
      if (pod == null || pod.path("metadata").has("deletionTimestamp")) continue;
      Instant at = parse(e.getValue().asText());
      if (at == null || at.plus(DELETION_TIMEOUT).isBefore(now)) continue;
      disrupted.set(e.getKey(), e.getValue());
    }
    int healthy = 0;
    for (JsonNode p : pods) {
      if (p.path("metadata").has("deletionTimestamp")) continue;
      if (disrupted.has(p.path("metadata").path("name").asText())) continue;
      if (ready(p)) healthy++;
    }
    Target target = target(pdb.path("spec"), pods.size(), expectedScale);
    long generation = pdb.path("metadata").path("generation").asLong(1);
    int allowed = target == null || target.expectedPods() <= 0 ? 0 : Math.max(0, healthy - target.desiredHealthy());
    status.put("observedGeneration", generation);
    if (!disrupted.isEmpty()) status.set("disruptedPods", disrupted);
    status.put("disruptionsAllowed", allowed);
    status.put("currentHealthy", healthy);
    status.put("desiredHealthy", target == null ? 0 : target.desiredHealthy());
    status.put("expectedPods", target == null ? 0 : target.expectedPods());
    String reason = target == null ? "SyncFailed" : allowed > 0 ? "SufficientPods" : "InsufficientPods";
    String message = target == null ? "found no controller with a scale for the pods the budget selects" : "";
    status.putArray("conditions").add(condition(old, allowed > 0 ? "True" : "False", reason, message, generation, now));
    return status;
  }

  /** The DisruptionAllowed condition, keeping its transition time while its status stays. */
  private static ObjectNode condition(JsonNode oldStatus, String value, String reason, String message, long generation,
      Instant now) {
    String since = now.truncatedTo(ChronoUnit.SECONDS).toString();
    for (JsonNode c : oldStatus.path("conditions")) {
      if ("DisruptionAllowed".equals(c.path("type").asText()) && value.equals(c.path("status").asText())
          && c.hasNonNull("lastTransitionTime")) {
        since = c.path("lastTransitionTime").asText();
      }
    }
    ObjectNode c = JsonNodeFactory.instance.objectNode();
    c.put("type", "DisruptionAllowed").put("status", value).put("reason", reason).put("message", message)
        .put("observedGeneration", generation).put("lastTransitionTime", since);
    return c;
  }

  private static Instant parse(String time) {
    try {
      return Instant.parse(time);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** What an eviction of a pod under a budget comes to. */
  public sealed interface Verdict permits Allowed, Refused {}

  /**
   * The pod may go. {@code budgetStatus}: the budget's status to write first (one disruption
   * spent, the pod recorded in {@code disruptedPods}), or null when nothing is spent (an unhealthy
   * pod the policy lets go).
   */
  public record Allowed(ObjectNode budgetStatus) implements Verdict {}

  /** The pod must stay: the Status to answer (429 when the budget has no room). */
  public record Refused(Status status) implements Verdict {}

  /**
   * Kubernetes' eviction rules for one pod selected by one budget {@code pdb} (its status as
   * last written by the controller).
   */
  public static Verdict evict(ObjectNode pdb, JsonNode pod, Instant now) {
    JsonNode s = pdb.path("status");
    String name = pdb.path("metadata").path("name").asText();
    int desired = s.path("desiredHealthy").asInt(0);
    int current = s.path("currentHealthy").asInt(0);
    if (!ready(pod)) {
      String policy = pdb.path("spec").path("unhealthyPodEvictionPolicy").asText(PodDisruptionBudget.IF_HEALTHY_BUDGET);
      if (PodDisruptionBudget.ALWAYS_ALLOW.equals(policy)) return new Allowed(null);
      // an unhealthy pod of a budget that is met anyway takes nothing from it
      if (current >= desired && desired > 0) return new Allowed(null);
    }
    if (s.path("observedGeneration").asLong(0) < pdb.path("metadata").path("generation").asLong(1)) {
      // kube-apiserver asks to come back in 10 s here: the controller has not caught up with the budget
      return new Refused(tooManyRequests("The disruption budget " + name + " is still being processed by the server.", 10));
    }
    int allowed = s.path("disruptionsAllowed").asInt(0);
    if (allowed < 0) return new Refused(Status.forbidden("pdb disruptions allowed is negative"));
    if (s.path("disruptedPods").size() > MAX_DISRUPTED_PODS) {
      return new Refused(Status.forbidden("DisruptedPods map too big - too many evictions not confirmed by PDB controller"));
    }
    if (allowed == 0) {
      return new Refused(tooManyRequests("The disruption budget " + name + " needs " + desired
          + " healthy pods and has " + current + " currently", 0));
    }
    ObjectNode next = s.isObject() ? ((ObjectNode) s).deepCopy() : JsonNodeFactory.instance.objectNode();
    next.put("disruptionsAllowed", allowed - 1);
    ObjectNode disrupted = next.has("disruptedPods") && next.get("disruptedPods").isObject()
        ? (ObjectNode) next.get("disruptedPods") : next.putObject("disruptedPods");
    disrupted.put(pod.path("metadata").path("name").asText(), now.truncatedTo(ChronoUnit.SECONDS).toString());
    return new Allowed(next);
  }

  /**
   * kube-apiserver's 429 for an eviction, the budget's reason as its cause; {@code retryAfterSeconds}
   * 0 (no Retry-After header) leaves the waiting to the client, as kubectl drain's 5 s.
   */
  static Status tooManyRequests(String cause, int retryAfterSeconds) {
    return Status.failure(429, "TooManyRequests", REFUSED, new Status.Details(null, null, null, null,
        List.of(new Status.Cause("DisruptionBudget", cause, null)), retryAfterSeconds));
  }

  /** The budgets among {@code budgets} that select {@code pod}. */
  public static List<JsonNode> selecting(List<? extends JsonNode> budgets, JsonNode pod) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode b : budgets) if (selects(b, pod)) out.add(b);
    return out;
  }
}
