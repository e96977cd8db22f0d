package dev.tugboat.controller.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.Pods;
import dev.tugboat.model.Codec;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.Selector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one pass of the ReplicaSet controller does, decided without I/O: which matching orphans to
 * adopt, which owned pods to release (their labels no longer match), how many pods to create or
 * which to delete, and the status to report.
 *
 * @param create pods to create
 * @param delete pods to delete, the ones to give up first
 * @param adopt orphans that match the selector
 * @param release owned pods that no longer match
 * @param status the status the ReplicaSet should show
 */
public record ReplicaSetPlan(int create, List<ObjectNode> delete, List<ObjectNode> adopt, List<ObjectNode> release,
    ObjectNode status) {
  /** The condition a ReplicaSet shows while its pods cannot be created (a quota) or deleted. */
  public static final String REPLICA_FAILURE = "ReplicaFailure";

  /** A pass of the given ReplicaSet over the pods of its namespace, at {@code now}. */
  public static ReplicaSetPlan of(ObjectNode replicaSet, List<ObjectNode> podsInNamespace, Instant now) {
    String uid = Meta.uid(replicaSet);
    JsonNode spec = replicaSet.path("spec");
    Selector selector = LabelSelector.matcher(Codec.convert(spec.path("selector"), LabelSelector.class));
    int replicas = spec.path("replicas").asInt(1);
    int minReadySeconds = spec.path("minReadySeconds").asInt(0);
    List<ObjectNode> adopt = new ArrayList<>();
    List<ObjectNode> release = new ArrayList<>();
    List<ObjectNode> active = new ArrayList<>();
    for (ObjectNode pod : podsInNamespace) {
      String owner = Meta.controllerUid(pod);
      boolean matches = selector.matches(Meta.labels(pod));
      if (uid.equals(owner)) {
        if (!matches) {
          release.add(pod);
          continue;
        }
      } else if (owner == null && matches && Pods.isActive(pod)) {
        adopt.add(pod);
      } else {
        continue;
      }
      if (Pods.isActive(pod)) active.add(pod);
    }
    int diff = replicas - active.size();
    List<ObjectNode> delete = diff >= 0 ? List.of()
        : active.stream().sorted(Pods.DELETE_FIRST).limit(-diff).toList();
    return new ReplicaSetPlan(Math.max(diff, 0), delete, adopt, release,
        status(replicaSet, active, minReadySeconds, now));
  }

  private static ObjectNode status(ObjectNode replicaSet, List<ObjectNode> active, int minReadySeconds, Instant now) {
    Map<String, String> templateLabels = stringMap(replicaSet.path("spec").path("template").path("metadata").path("labels"));
    int fullyLabeled = 0;
    int ready = 0;
    int available = 0;
    for (ObjectNode pod : active) {
      Map<String, String> labels = Meta.labels(pod);
      if (labels.entrySet().containsAll(templateLabels.entrySet())) fullyLabeled++;
      if (Pods.isReady(pod)) ready++;
      if (Pods.isAvailable(pod, minReadySeconds, now)) available++;
    }
    ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.put("replicas", active.size()).put("fullyLabeledReplicas", fullyLabeled).put("readyReplicas", ready)
        .put("availableReplicas", available)
        .put("observedGeneration", replicaSet.path("metadata").path("generation").asLong(1));
    JsonNode conditions = replicaSet.path("status").path("conditions");
    if (conditions.isArray() && !conditions.isEmpty()) status.set("conditions", conditions.deepCopy());
    return status;
  }

  /**
   * The status with Kubernetes' {@code ReplicaFailure} condition: set (True, the reason and the
   * message of the first refusal) when creating or deleting pods was refused and it is not set yet,
   * removed once a pass is refused nothing. {@code failure} is null when nothing was refused;
   * {@code reason} FailedCreate or FailedDelete.
   */
  public static ObjectNode withReplicaFailure(ObjectNode status, String reason, String failure, Instant now) {
    ObjectNode out = status.deepCopy();
    ArrayNode kept = JsonNodeFactory.instance.arrayNode();
    boolean present = false;
    for (JsonNode c : status.path("conditions")) {
      if (c.path("type").asText().equals(REPLICA_FAILURE)) {
        present = true;
        if (failure == null) continue;
      }
      kept.add(c);
    }
    if (failure != null && !present) {
      kept.addObject().put("type", REPLICA_FAILURE).put("status", "True")
          .put("lastTransitionTime", now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
          .put("reason", reason).put("message", failure);
    }
    if (kept.isEmpty()) out.remove("conditions");
    else out.set("conditions", kept);
    return out;
  }

  /** Whether a ReplicaSet shows {@code ReplicaFailure}: it could not create or delete its pods. */
  public static boolean failing(JsonNode replicaSet) {
    for (JsonNode c : replicaSet.path("status").path("conditions")) {
      if (c.path("type").asText().equals(REPLICA_FAILURE) && c.path("status").asText().equals("True")) return true;
    }
    return false;
  }

  /**
   * A new pod of the ReplicaSet's template: named {@code <replicaset>-<suffix>}, its labels and
   * annotations from the template, owned by the ReplicaSet as its controller.
   */
  public static ObjectNode newPod(ObjectNode replicaSet, String suffix) {
    JsonNode template = replicaSet.path("spec").path("template");
    ObjectNode pod = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "Pod");
    ObjectNode meta = pod.putObject("metadata");
    meta.put("name", Meta.name(replicaSet) + "-" + suffix);
    meta.put("namespace", replicaSet.path("metadata").path("namespace").asText());
    if (template.path("metadata").has("labels")) meta.set("labels", template.path("metadata").path("labels").deepCopy());
    if (template.path("metadata").has("annotations")) {
      meta.set("annotations", template.path("metadata").path("annotations").deepCopy());
    }
    ArrayNode owners = meta.putArray("ownerReferences");
    owners.add(ownerReference(replicaSet));
    pod.set("spec", template.path("spec").deepCopy());
    return pod;
  }

  /** The reference that makes {@code owner} (a ReplicaSet or Deployment) the controller of a dependent. */
  public static ObjectNode ownerReference(ObjectNode owner) {
    return JsonNodeFactory.instance.objectNode()
        .put("apiVersion", owner.path("apiVersion").asText("apps/v1"))
        .put("kind", owner.path("kind").asText())
        .put("name", Meta.name(owner))
        .put("uid", Meta.uid(owner))
        .put("controller", true)
        .put("blockOwnerDeletion", true);
  }


  private static Map<String, String> stringMap(JsonNode node) {
    Map<String, String> map = new java.util.HashMap<>();
    node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }
}
