package dev.tugboat.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Status;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The binding of a Pod to a node, as kube-apiserver's {@code pods/binding} does it: the only way
 * {@code spec.nodeName} of a pending pod is set. Because it runs inside the pod's entity, which
 * handles one command at a time, a pod is bound at most once, whoever (and however many
 * schedulers) asks.
 */
final class PodBinding {
  private PodBinding() {}

  /** The bound pod ({@code == pod} when it already was bound there), or why not. */
  record Outcome(ObjectNode bound, Status refusal) {}

  static Outcome bind(ObjectNode pod, String uid, String nodeName, Instant now) {
    String name = pod.path("metadata").path("name").asText();
    if (nodeName == null || nodeName.isEmpty()) {
      return refused(Status.badRequest("a binding needs a target node name"));
    }
    if (uid != null && !uid.equals(pod.path("metadata").path("uid").asText())) {
      return refused(Status.conflict("", "pods/binding", name, "the pod was replaced (uid " + uid + " is gone)"));
    }
    if (pod.path("metadata").has("deletionTimestamp")) {
      return refused(Status.conflict("", "pods/binding", name, "pod " + name + " is being deleted, cannot be assigned to a host"));
    }
    String current = pod.path("spec").path("nodeName").asText("");
    if (current.equals(nodeName)) return new Outcome(pod, null);
    if (!current.isEmpty()) {
      return refused(Status.conflict("", "pods/binding", name,
          "pod " + name + " is already assigned to node \"" + current + "\""));
    }
    ObjectNode next = pod.deepCopy();
    ((ObjectNode) next.path("spec")).put("nodeName", nodeName);
    ObjectNode status = next.has("status") && next.get("status").isObject()
        ? (ObjectNode) next.get("status") : next.putObject("status");
    ArrayNode conditions = status.has("conditions") && status.get("conditions").isArray()
        ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
    for (int i = conditions.size() - 1; i >= 0; i--) {
      JsonNode c = conditions.get(i);
      if ("PodScheduled".equals(c.path("type").asText())) conditions.remove(i);
    }
    ObjectNode scheduled = conditions.insertObject(0);
    scheduled.put("type", "PodScheduled");
    scheduled.put("status", "True");
    scheduled.put("lastTransitionTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
    return new Outcome(next, null);
  }

  private static Outcome refused(Status status) {
    return new Outcome(null, status);
  }
}
