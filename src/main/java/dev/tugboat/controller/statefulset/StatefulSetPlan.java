package dev.tugboat.controller.statefulset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.ControllerRevisions;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.Pods;
import dev.tugboat.model.Codec;
import dev.tugboat.model.IntOrString;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.Selector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one pass of the StatefulSet controller does, decided without I/O, as Kubernetes' StatefulSet
 * controller decides it. Pods are {@code <set>-<ordinal>}. With {@code OrderedReady} the pass walks
 * the ordinals up and stops at the first pod that is missing (it is created), failed (deleted, to
 * be created again) or not yet Running and Ready; pods beyond the replicas go from the highest
 * ordinal down, one at a time, only when all the others are healthy. With {@code Parallel} nothing
 * waits. A rolling update deletes the highest-ordinal pods of an old revision down to
 * {@code partition}, at most {@code maxUnavailable} unavailable at once; each comes back at the new
 * revision, while ordinals below the partition are (re)created at the current one.
 *
 * @param create the ordinals to create, each with the revision (ControllerRevision name) to create it at
 * @param delete the pods to delete
 * @param adopt orphans that match the selector
 * @param status the status the StatefulSet should show
 */
public record StatefulSetPlan(List<Create> create, List<ObjectNode> delete, List<ObjectNode> adopt, ObjectNode status) {

  /** A pod to create: its ordinal and the revision whose template it is made from. */
  public record Create(int ordinal, String revision) {}

  /**
   * @param currentRevision the revision the set's pods are at (its status's, or the update revision for a new set)
   * @param updateRevision the revision of the set's template now
   */
  public static StatefulSetPlan of(ObjectNode sts, List<ObjectNode> pods, String currentRevision, String updateRevision,
      Instant now) {
    String uid = Meta.uid(sts);
    String name = Meta.name(sts);
    JsonNode spec = sts.path("spec");
    Selector selector = LabelSelector.matcher(Codec.convert(spec.path("selector"), LabelSelector.class));
    int replicas = spec.path("replicas").asInt(1);
    int start = spec.path("ordinals").path("start").asInt(0);
    int minReadySeconds = spec.path("minReadySeconds").asInt(0);
    boolean ordered = !"Parallel".equals(spec.path("podManagementPolicy").asText("OrderedReady"));
    boolean rolling = !"OnDelete".equals(spec.path("updateStrategy").path("type").asText("RollingUpdate"));
    int partition = spec.path("updateStrategy").path("rollingUpdate").path("partition").asInt(0);

    List<ObjectNode> adopt = new ArrayList<>();
    Map<Integer, ObjectNode> inRange = new TreeMap<>();
    List<ObjectNode> condemned = new ArrayList<>();
    for (ObjectNode pod : pods) {
      String owner = Meta.controllerUid(pod);
      Integer ordinal = ordinal(name, Meta.name(pod));
      if (!uid.equals(owner)) {
        // Only a pod of this set's identity may be adopted: another name is not one of its ordinals.
        if (owner != null || ordinal == null || !selector.matches(Meta.labels(pod)) || !Pods.isActive(pod)) continue;
        adopt.add(pod);
      }
      if (ordinal == null) continue;
      if (ordinal >= start && ordinal < start + replicas) inRange.put(ordinal, pod);
      else condemned.add(pod);
    }
    condemned.sort(Comparator.comparing((ObjectNode p) -> ordinal(name, Meta.name(p))).reversed());

    List<Create> create = new ArrayList<>();
    List<ObjectNode> delete = new ArrayList<>();
    boolean waiting = false;
    for (int ordinal = start; ordinal < start + replicas && !(ordered && waiting); ordinal++) {
      ObjectNode pod = inRange.get(ordinal);
      String revision = rolling && ordinal - start < partition ? currentRevision : updateRevision;
      if (pod == null) {
        create.add(new Create(ordinal, revision));
        waiting = true;
      } else if (terminal(pod)) {
        delete.add(pod);
        waiting = true;
      } else if (pod.path("metadata").has("deletionTimestamp") || !runningAndReady(pod)) {
        waiting = true;
      }
    }
    if (!(ordered && waiting)) {
      for (ObjectNode pod : condemned) {
        if (pod.path("metadata").has("deletionTimestamp")) {
          if (ordered) break;
          continue;
        }
        delete.add(pod);
        if (ordered) break;
      }
    }
    if (rolling && create.isEmpty() && delete.isEmpty() && !waiting && inRange.size() == replicas) {
      IntOrString max = spec.path("updateStrategy").path("rollingUpdate").hasNonNull("maxUnavailable")
          ? Codec.convert(spec.path("updateStrategy").path("rollingUpdate").path("maxUnavailable"), IntOrString.class)
          : IntOrString.of(1);
      long unavailable = inRange.values().stream().filter(p -> !Pods.isAvailable(p, minReadySeconds, now)).count();
      long budget = Math.max(1, max.scaled(replicas, false)) - unavailable;
      for (int ordinal = start + replicas - 1; ordinal >= start + partition && budget > 0; ordinal--) {
        ObjectNode pod = inRange.get(ordinal);
        if (!updateRevision.equals(ControllerRevisions.hash(pod))) {
          delete.add(pod);
          budget--;
        }
      }
    }
    return new StatefulSetPlan(create, delete, adopt,
        status(sts, inRange, condemned, replicas, currentRevision, updateRevision, minReadySeconds, now));
  }

  private static ObjectNode status(ObjectNode sts, Map<Integer, ObjectNode> inRange, List<ObjectNode> condemned,
      int replicas, String currentRevision, String updateRevision, int minReadySeconds, Instant now) {
    List<ObjectNode> all = new ArrayList<>(inRange.values());
    all.addAll(condemned);
    int count = 0;
    int ready = 0;
    int available = 0;
    int current = 0;
    int updated = 0;
    for (ObjectNode pod : all) {
      if (!Pods.isActive(pod)) continue;
      count++;
      if (Pods.isReady(pod)) ready++;
      if (Pods.isAvailable(pod, minReadySeconds, now)) available++;
      String revision = ControllerRevisions.hash(pod);
      if (revision.equals(currentRevision)) current++;
      if (revision.equals(updateRevision)) updated++;
    }
    // The update is complete once every wanted pod is at the update revision: it becomes the current one.
    boolean complete = inRange.size() == replicas && condemned.isEmpty()
        && inRange.values().stream().allMatch(p -> updateRevision.equals(ControllerRevisions.hash(p)) && Pods.isActive(p));
    ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.put("observedGeneration", sts.path("metadata").path("generation").asLong(1))
        .put("replicas", count).put("readyReplicas", ready)
        .put("currentReplicas", complete ? updated : current).put("updatedReplicas", updated)
        .put("currentRevision", complete ? updateRevision : currentRevision).put("updateRevision", updateRevision)
        .put("availableReplicas", available);
    JsonNode collisions = sts.path("status").path("collisionCount");
    status.put("collisionCount", collisions.asInt(0));
    return status;
  }

  private static boolean terminal(ObjectNode pod) {
    String phase = pod.path("status").path("phase").asText("");
    return !pod.path("metadata").has("deletionTimestamp") && (phase.equals("Failed") || phase.equals("Succeeded"));
  }

  private static boolean runningAndReady(ObjectNode pod) {
    return "Running".equals(pod.path("status").path("phase").asText()) && Pods.isReady(pod);
  }

  /** The ordinal of pod {@code podName} of set {@code set}; null when the name is no ordinal of it. */
  static Integer ordinal(String set, String podName) {
    if (!podName.startsWith(set + "-")) return null;
    String suffix = podName.substring(set.length() + 1);
    if (suffix.isEmpty() || suffix.length() > 9 || !suffix.chars().allMatch(Character::isDigit)) return null;
    if (suffix.length() > 1 && suffix.startsWith("0")) return null;
    return Integer.parseInt(suffix);
  }
}
