package dev.tugboat.kinds.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.priorityclass.PriorityClass;
import dev.tugboat.model.Status;

/**
 * Kubernetes' Priority admission plugin for a new pod: {@code spec.priorityClassName} is resolved
 * to {@code spec.priority} and {@code spec.preemptionPolicy}; a pod naming no class gets the
 * global default class (or priority 0 and no class when there is none). A class that does not
 * exist, or a priority or policy set by hand that differs from the class's, is refused with
 * Kubernetes' 403. Pure.
 */
public final class PodPriority {
  /** Kubernetes' DefaultPriorityWhenNoDefaultClassExists. */
  public static final int NO_DEFAULT_CLASS = 0;

  private PodPriority() {}

  /** The admitted pod, or the Status that refuses it (exactly one is non-null). */
  public record Resolved(ObjectNode pod, Status refusal) {}

  /** Resolves the priority of {@code pod} among {@code classes} (an array of PriorityClasses). */
  public static Resolved resolve(ObjectNode pod, JsonNode classes) {
    if (!(pod.get("spec") instanceof ObjectNode spec)) return new Resolved(pod, null);
    String name = pod.path("metadata").path("name").asText("");
    String className = spec.path("priorityClassName").asText("");
    JsonNode chosen = null;
    if (className.isEmpty()) {
      for (JsonNode c : classes) {
        if (PriorityClass.isGlobalDefault(c) && !c.path("metadata").has("deletionTimestamp")
            && (chosen == null || c.path("value").asInt() > chosen.path("value").asInt())) {
          chosen = c;
        }
      }
    } else {
      for (JsonNode c : classes) {
        if (className.equals(c.path("metadata").path("name").asText())) chosen = c;
      }
      if (chosen == null) return refused(name, "no PriorityClass with name " + className + " was found");
    }
    int priority = chosen == null ? NO_DEFAULT_CLASS : chosen.path("value").asInt();
    String policy = chosen == null ? PriorityClass.PREEMPT_LOWER
        : chosen.path("preemptionPolicy").asText(PriorityClass.PREEMPT_LOWER);
    if (spec.hasNonNull("priority") && spec.path("priority").asInt() != priority) {
      return refused(name, "the integer value of priority (" + spec.path("priority").asText()
          + ") must not be provided in pod spec; priority admission controller computed " + priority
          + " from the given PriorityClass name");
    }
    if (spec.hasNonNull("preemptionPolicy") && !spec.path("preemptionPolicy").asText().equals(policy)) {
      return refused(name, "the string value of PreemptionPolicy (" + spec.path("preemptionPolicy").asText()
          + ") must not be provided in pod spec; priority admission controller computed " + policy
          + " from the given PriorityClass name");
    }
    ObjectNode admitted = pod.deepCopy();
    ObjectNode s = (ObjectNode) admitted.get("spec");
    if (chosen != null) s.put("priorityClassName", chosen.path("metadata").path("name").asText());
    s.put("priority", priority);
    s.put("preemptionPolicy", policy);
    return new Resolved(admitted, null);
  }

  private static Resolved refused(String pod, String why) {
    return new Resolved(null, Status.forbidden("pods \"" + pod + "\" is forbidden: " + why));
  }
}
