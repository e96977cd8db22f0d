package dev.tugboat.controller.daemonset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.Pods;
import dev.tugboat.kinds.daemonset.DaemonSet;
import dev.tugboat.model.Codec;
import dev.tugboat.model.IntOrString;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.Node;
import dev.tugboat.model.NodeMatch;
import dev.tugboat.model.Pod;
import dev.tugboat.model.Selector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one pass of the DaemonSet controller does, decided without I/O, as Kubernetes' daemon
 * controller decides it: on which nodes a daemon pod must be created, which pods must go (on a node
 * the daemon may no longer run on, a second one on a node, a failed one, an old one the rolling
 * update replaces), which orphans to adopt, and the status to report.
 *
 * <p>A node should run the daemon when the template's node selector and required node affinity
 * match it and its tolerations (with the ones every daemon pod gets) cover the node's NoSchedule and
 * NoExecute taints; a pod already there may stay while only NoSchedule taints are untolerated.
 *
 * @param createOn the nodes that get a new pod of the current template
 * @param delete the pods to delete
 * @param adopt orphans that match the selector
 * @param status the status the DaemonSet should show
 */
public record DaemonSetPlan(List<String> createOn, List<ObjectNode> delete, List<ObjectNode> adopt, ObjectNode status) {

  /**
   * The tolerations Kubernetes adds to every daemon pod: a daemon keeps running on a node that is
   * not ready, unreachable, under pressure or cordoned (and is never evicted from it).
   */
  public static final List<Pod.Toleration> DAEMON_TOLERATIONS = List.of(
      new Pod.Toleration("node.kubernetes.io/not-ready", "Exists", null, "NoExecute", null),
      new Pod.Toleration("node.kubernetes.io/unreachable", "Exists", null, "NoExecute", null),
      new Pod.Toleration("node.kubernetes.io/disk-pressure", "Exists", null, "NoSchedule", null),
      new Pod.Toleration("node.kubernetes.io/memory-pressure", "Exists", null, "NoSchedule", null),
      new Pod.Toleration("node.kubernetes.io/pid-pressure", "Exists", null, "NoSchedule", null),
      new Pod.Toleration("node.kubernetes.io/unschedulable", "Exists", null, "NoSchedule", null));

  /** Whether the daemon should run on a node, and whether a pod already there may stay. */
  record Fit(boolean shouldRun, boolean mayContinue) {}

  /**
   * A pass over the DaemonSet's nodes and the pods it owns or could adopt.
   *
   * @param currentHash the revision hash of the current template (its pods carry it as a label)
   */
  public static DaemonSetPlan of(ObjectNode daemonSet, List<ObjectNode> nodes, List<ObjectNode> pods, String currentHash,
      Instant now) {
    String uid = Meta.uid(daemonSet);
    JsonNode spec = daemonSet.path("spec");
    Selector selector = LabelSelector.matcher(Codec.convert(spec.path("selector"), LabelSelector.class));
    int minReadySeconds = spec.path("minReadySeconds").asInt(0);
    Pod template = templatePod(daemonSet);

    List<ObjectNode> adopt = new ArrayList<>();
    List<ObjectNode> delete = new ArrayList<>();
    Map<String, List<ObjectNode>> byNode = new HashMap<>();
    for (ObjectNode pod : pods) {
      String owner = Meta.controllerUid(pod);
      boolean matches = selector.matches(Meta.labels(pod));
      if (!uid.equals(owner)) {
        if (owner != null || !matches || !Pods.isActive(pod)) continue;
        adopt.add(pod);
      }
      if (pod.path("metadata").has("deletionTimestamp")) continue;
      String phase = pod.path("status").path("phase").asText("");
      if (phase.equals("Failed") || phase.equals("Succeeded")) {
        delete.add(pod); // a daemon pod that ended is replaced, as Kubernetes does
        continue;
      }
      byNode.computeIfAbsent(nodeOf(pod), n -> new ArrayList<>()).add(pod);
    }

    List<String> createOn = new ArrayList<>();
    int desired = 0;
    int current = 0;
    int misscheduled = 0;
    int ready = 0;
    int available = 0;
    int updated = 0;
    List<String> known = new ArrayList<>();
    // Rolling update: nodes whose daemon is of an old template, and how many are unavailable now.
    List<List<ObjectNode>> outdated = new ArrayList<>();
    int unavailableNodes = 0;
    int surging = 0;
    for (ObjectNode node : nodes) {
      String name = Meta.name(node);
      known.add(name);
      Fit fit = fit(template, node);
      List<ObjectNode> here = byNode.getOrDefault(name, List.of());
      if (!fit.shouldRun()) {
        if (!here.isEmpty()) misscheduled++;
        if (!fit.mayContinue()) {
          delete.addAll(here);
          continue;
        }
        if (here.isEmpty()) continue;
      }
      desired += fit.shouldRun() ? 1 : 0;
      if (here.isEmpty()) {
        if (fit.shouldRun()) {
          createOn.add(name);
          unavailableNodes++;
        }
        continue;
      }
      List<ObjectNode> fresh = here.stream().filter(p -> currentHash.equals(hash(p))).toList();
      List<ObjectNode> old = here.stream().filter(p -> !currentHash.equals(hash(p))).toList();
      // More than one of a template on a node: keep the one that has run longest.
      if (fresh.size() > 1) fresh.stream().sorted(OLDEST_FIRST).skip(1).forEach(delete::add);
      if (old.size() > 1) old.stream().sorted(OLDEST_FIRST).skip(1).forEach(delete::add);
      ObjectNode newest = fresh.stream().min(OLDEST_FIRST).orElse(null);
      ObjectNode oldest = old.stream().min(OLDEST_FIRST).orElse(null);
      if (!fit.shouldRun()) continue;
      current++;
      boolean anyReady = (newest != null && Pods.isReady(newest)) || (oldest != null && Pods.isReady(oldest));
      boolean anyAvailable = (newest != null && Pods.isAvailable(newest, minReadySeconds, now))
          || (oldest != null && Pods.isAvailable(oldest, minReadySeconds, now));
      if (anyReady) ready++;
      if (anyAvailable) available++;
      else unavailableNodes++;
      if (newest != null) updated++;
      if (oldest != null && newest != null) {
        surging++;
        // A surge pod took over once it is available; until then the old one keeps serving.
        if (Pods.isAvailable(newest, minReadySeconds, now)) delete.add(oldest);
      } else if (oldest != null) {
        outdated.add(List.of(oldest));
      }
    }
    // Pods on nodes that are gone are no daemon of any node.
    byNode.forEach((node, here) -> {
      if (!known.contains(node) && !node.isEmpty()) delete.addAll(here);
    });

    if (isRollingUpdate(spec)) {
      JsonNode ru = spec.path("updateStrategy").path("rollingUpdate");
      int maxUnavailable = scaled(ru.path("maxUnavailable"), desired, 1);
      int maxSurge = scaled(ru.path("maxSurge"), desired, 0);
      List<ObjectNode> olds = outdated.stream().map(l -> l.get(0)).sorted(UNAVAILABLE_FIRST.apply(minReadySeconds, now)).toList();
      int budget = maxUnavailable - unavailableNodes;
      int surgeBudget = maxSurge - surging;
      for (ObjectNode old : olds) {
        boolean oldAvailable = Pods.isAvailable(old, minReadySeconds, now);
        if (!oldAvailable) {
          delete.add(old); // replacing what serves nothing costs no availability
        } else if (maxSurge > 0) {
          if (surgeBudget-- > 0) createOn.add(nodeOf(old));
        } else if (budget-- > 0) {
          delete.add(old);
        }
      }
    }

    ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.put("currentNumberScheduled", current).put("numberMisscheduled", misscheduled)
        .put("desiredNumberScheduled", desired).put("numberReady", ready)
        .put("observedGeneration", daemonSet.path("metadata").path("generation").asLong(1))
        .put("updatedNumberScheduled", updated).put("numberAvailable", available)
        .put("numberUnavailable", Math.max(0, desired - available));
    JsonNode collisions = daemonSet.path("status").path("collisionCount");
    if (collisions.canConvertToInt()) status.put("collisionCount", collisions.asInt());
    return new DaemonSetPlan(createOn, delete.stream().distinct().toList(), adopt, status);
  }

  private static boolean isRollingUpdate(JsonNode spec) {
    return !"OnDelete".equals(spec.path("updateStrategy").path("type").asText("RollingUpdate"));
  }

  private static final Comparator<ObjectNode> OLDEST_FIRST = Comparator.comparing(Meta::created);

  private static final java.util.function.BiFunction<Integer, Instant, Comparator<ObjectNode>> UNAVAILABLE_FIRST =
      (minReady, now) -> Comparator.<ObjectNode, Boolean>comparing(p -> Pods.isAvailable(p, minReady, now))
          .thenComparing(Meta::name);

  /** maxUnavailable or maxSurge of {@code total} nodes: a percentage rounds up, as Kubernetes' daemon controller rounds. */
  private static int scaled(JsonNode value, int total, int otherwise) {
    if (value.isMissingNode() || value.isNull()) return otherwise;
    IntOrString v = Codec.convert(value, IntOrString.class);
    return v.scaled(total, true);
  }

  /** Whether the daemon should run on {@code node}, and whether a pod already there may stay. */
  static Fit fit(Pod template, ObjectNode nodeJson) {
    Node node = Codec.convert(nodeJson, Node.class);
    Pod.Spec spec = template.spec();
    Map<String, String> labels = node.metadata().labels() == null ? Map.of() : node.metadata().labels();
    if (!NodeMatch.selects(spec.nodeSelector() == null ? Map.of() : spec.nodeSelector(), spec.affinity(),
        node.metadata().name(), labels)) {
      return new Fit(false, false);
    }
    List<Pod.Toleration> tolerations = spec.tolerations() == null ? List.of() : spec.tolerations();
    boolean scheduleOk = true;
    boolean executeOk = true;
    List<Node.Taint> taints = node.spec() == null || node.spec().taints() == null ? List.of() : node.spec().taints();
    for (Node.Taint t : taints) {
      boolean tolerated = NodeMatch.tolerates(tolerations, t.key(), t.value(), t.effect());
      if ("NoExecute".equals(t.effect()) && !tolerated) executeOk = false;
      if ("NoSchedule".equals(t.effect()) && !tolerated) scheduleOk = false;
    }
    return new Fit(scheduleOk && executeOk, executeOk);
  }

  /** The template's pod, with the tolerations every daemon pod gets. */
  static Pod templatePod(ObjectNode daemonSet) {
    ObjectNode pod = JsonNodeFactory.instance.objectNode();
    pod.putObject("metadata").put("name", Meta.name(daemonSet)).put("namespace", Meta.namespace(daemonSet));
    pod.set("spec", withDaemonTolerations(daemonSet.path("spec").path("template").path("spec")));
    return Codec.convert(pod, Pod.class);
  }

  /** A pod spec with the daemon tolerations it lacks. */
  static ObjectNode withDaemonTolerations(JsonNode podSpec) {
    ObjectNode spec = podSpec.isObject() ? ((ObjectNode) podSpec).deepCopy() : JsonNodeFactory.instance.objectNode();
    List<Pod.Toleration> present = new ArrayList<>();
    for (JsonNode t : spec.path("tolerations")) present.add(Codec.convert(t, Pod.Toleration.class));
    ArrayNode tolerations = spec.has("tolerations") && spec.get("tolerations").isArray()
        ? (ArrayNode) spec.get("tolerations") : spec.putArray("tolerations");
    for (Pod.Toleration t : DAEMON_TOLERATIONS) {
      boolean has = present.stream().anyMatch(p -> t.key().equals(p.key()) && t.effect().equals(p.effect()));
      if (!has) tolerations.add(Codec.json().valueToTree(t));
    }
    return spec;
  }

  /** The node a daemon pod is for: where it runs, or the node its affinity names before it is bound. */
  static String nodeOf(ObjectNode pod) {
    String bound = pod.path("spec").path("nodeName").asText("");
    if (!bound.isEmpty()) return bound;
    for (JsonNode term : pod.path("spec").path("affinity").path("nodeAffinity")
        .path("requiredDuringSchedulingIgnoredDuringExecution").path("nodeSelectorTerms")) {
      for (JsonNode field : term.path("matchFields")) {
        if ("metadata.name".equals(field.path("key").asText()) && field.path("values").size() == 1) {
          return field.path("values").get(0).asText();
        }
      }
    }
    return "";
  }

  private static String hash(ObjectNode pod) {
    return pod.path("metadata").path("labels").path(DaemonSet.REVISION_HASH).asText("");
  }
}
