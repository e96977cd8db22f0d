package dev.tugboat.controller.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.Meta;

/**
 * A Job's {@code podFailurePolicy} applied to one failed pod: the action of the first rule that
 * matches (FailJob, FailIndex, Ignore or Count), Count when none does.
 */
final class PodFailurePolicies {
  private PodFailurePolicies() {}

  static String action(JsonNode policy, ObjectNode pod) {
    int rule = matchingRule(policy, pod);
    return rule < 0 ? "Count" : policy.path("rules").get(rule).path("action").asText("Count");
  }

  /** The reason a FailJob rule gives, as Kubernetes words it. */
  static String message(JsonNode policy, ObjectNode pod) {
    int rule = matchingRule(policy, pod);
    JsonNode container = failedContainer(policy.path("rules").path(rule).path("onExitCodes"), pod);
    String who = "pod " + Meta.namespace(pod) + "/" + Meta.name(pod);
    if (container == null) return "Pod " + Meta.namespace(pod) + "/" + Meta.name(pod) + " has condition matching FailJob rule at index " + rule;
    return "Container " + container.path("name").asText() + " for " + who + " failed with exit code "
        + exitCode(container) + " matching FailJob rule at index " + rule;
  }

  private static int matchingRule(JsonNode policy, ObjectNode pod) {
    JsonNode rules = policy.path("rules");
    for (int i = 0; i < rules.size(); i++) {
      JsonNode rule = rules.get(i);
      if (rule.has("onExitCodes") && failedContainer(rule.path("onExitCodes"), pod) != null) return i;
      for (JsonNode condition : rule.path("onPodConditions")) {
        for (JsonNode c : pod.path("status").path("conditions")) {
          if (c.path("type").asText().equals(condition.path("type").asText())
              && c.path("status").asText().equals(condition.path("status").asText("True"))) {
            return i;
          }
        }
      }
    }
    return -1;
  }

  /** The first container (of the named one, if named) whose non-zero exit code the rule matches. */
  private static JsonNode failedContainer(JsonNode onExitCodes, ObjectNode pod) {
    if (onExitCodes.isMissingNode()) return null;
    String name = onExitCodes.path("containerName").asText("");
    boolean in = "In".equals(onExitCodes.path("operator").asText());
    for (JsonNode c : pod.path("status").path("containerStatuses")) {
      if (!name.isEmpty() && !name.equals(c.path("name").asText())) continue;
      Integer code = exitCode(c);
      if (code == null || code == 0) continue;
      boolean listed = false;
      for (JsonNode v : onExitCodes.path("values")) listed |= v.asInt() == code;
      if (listed == in) return c;
    }
    return null;
  }

  private static Integer exitCode(JsonNode containerStatus) {
    JsonNode terminated = containerStatus.path("state").path("terminated");
    if (!terminated.has("exitCode")) terminated = containerStatus.path("lastState").path("terminated");
    return terminated.has("exitCode") ? terminated.path("exitCode").asInt() : null;
  }
}
