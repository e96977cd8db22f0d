package dev.tugboat.controller.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.Pods;
import dev.tugboat.controller.Writes;
import dev.tugboat.model.ObjectReference;
import dev.tugboat.protocol.Fencing;
import dev.tugboat.protocol.NodeLease;
import dev.tugboat.registry.EventRecorder;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Node liveness, as Kubernetes' node lifecycle controller: a node whose agent has not renewed its
 * lease ({@link NodeLease}) for the grace period becomes {@code Ready=Unknown} and gets the
 * {@code node.kubernetes.io/unreachable:NoExecute} taint; its pods that do not tolerate the taint
 * are deleted at once (force: their node cannot confirm), and their owners replace them elsewhere.
 * When renewals resume the agent is told its Node does not say Ready, reports its status, and the
 * taint goes; the returning agent removes the containers of the pods that were deleted. A
 * StatefulSet's pods wait until the node is fenced: its member gone from the cluster for the fence
 * margin ({@link Fencing}), so that two pods of one identity never run at once.
 *
 * <p>Renewals are messages, kept in this controller's memory and timed on its own clock, so clock
 * skew between members does not matter. A controller that has just started (the cluster started,
 * or the singleton moved) gives every node the longer startup grace period until it hears from it:
 * members that start together are not ready together, and one that is still starting is not dead.
 */
public final class NodeLifecycleController {
  public static final String UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";

  private enum Tick { INSTANCE }

  private final Registry registry;
  private final Writes writes;
  private final EventRecorder events;
  private final Leases leases;
  private final MemberDepartures departures;
  private final Supplier<Set<String>> members;
  private final Set<String> fenceWaits = ConcurrentHashMap.newKeySet();
  private volatile boolean fullDisruption;
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(NodeLifecycleController.class);

  private NodeLifecycleController(Registry registry, Duration grace, Duration startupGrace, Duration fenceMargin,
      Supplier<Set<String>> members, String host) {
    this.registry = registry;
    this.writes = new Writes(registry);
    this.events = new EventRecorder(registry, "node-controller", host);
    this.leases = new Leases(grace, startupGrace);
    this.departures = new MemberDepartures(fenceMargin);
    this.members = members;
  }

  /**
   * @param period how often leases are checked
   * @param grace how long a node may go without renewing its lease before it is unreachable
   * @param startupGrace the same, for a node this controller has not yet heard from
   * @param fenceMargin how long a node's member must have been gone from the cluster before its
   *     StatefulSet pods are evicted ({@link Fencing})
   */
  public static Behavior<Object> create(Registry registry, Duration period, Duration grace, Duration startupGrace,
      Duration fenceMargin, String host) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      Cluster cluster = Cluster.get(context.getSystem());
      NodeLifecycleController controller = new NodeLifecycleController(registry, grace, startupGrace, fenceMargin,
          () -> memberAddresses(cluster), host);
      context.getSystem().receptionist().tell(
          Receptionist.register(NodeLease.HOLDER, context.getSelf().<NodeLease.Renew>narrow()));
      timers.startSingleTimer(Tick.INSTANCE, period);
      return Behaviors.receiveMessage(message -> {
        if (message instanceof NodeLease.Renew renew) {
          renew.replyTo().tell(new NodeLease.Renewed(controller.leases.renew(renew.node(), System.nanoTime())));
        } else if (message == Tick.INSTANCE) {
          context.pipeToSelf(controller.monitor(System.nanoTime()), (ok, error) -> {
            if (error != null) context.getLog().warn("Node lifecycle pass failed: {}", error.toString());
            return "done";
          });
        } else {
          timers.startSingleTimer(Tick.INSTANCE, period);
        }
        return Behaviors.same();
      });
    }));
  }

  /** One pass over every node; runs on the actor's thread until its first asynchronous step. */
  CompletionStage<Void> monitor(long nowNanos) {
    return writes.list("Node", null).thenCompose(nodes -> {
      List<CompletableFuture<?>> work = new ArrayList<>();
      List<ObjectNode> unreachable = new ArrayList<>();
      Map<String, Boolean> readyInStore = new HashMap<>();
      for (ObjectNode node : nodes) readyInStore.put(Meta.name(node), isReady(node));
      Set<String> stale = leases.stale(readyInStore, nowNanos);
      if (!stale.isEmpty() && stale.size() == nodes.size()) {
        // Every node silent at once: this member is the likely cause, not the nodes (cut off from
        // the rest, it hears from nobody). Kubernetes calls this full disruption and evicts
        // nothing; neither does Tugboat, so a partition does not become a mass eviction.
        if (!fullDisruption) log.warn("All {} nodes are silent: no pod is evicted until some node renews its lease", nodes.size());
        fullDisruption = true;
        return CompletableFuture.<Void>completedFuture(null);
      }
      fullDisruption = false;
      for (ObjectNode node : nodes) {
        boolean isStale = stale.contains(Meta.name(node));
        boolean readyTrue = readyInStore.get(Meta.name(node));
        if (isStale && readyTrue) work.add(markUnreachable(node));
        if (isStale) unreachable.add(node);
        else if (readyTrue && hasUnreachableTaint(node)) work.add(markReachable(node));
      }
      // nodes are marked first: the scheduler stops placing pods there before replacements exist
      return CompletableFuture.allOf(work.toArray(CompletableFuture[]::new))
          .thenCompose(v -> unreachable.isEmpty() ? CompletableFuture.<Void>completedFuture(null) : evict(unreachable));
    });
  }

  private CompletableFuture<?> markUnreachable(ObjectNode node) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    ObjectNode status = JsonNodeFactory.instance.objectNode();
    ArrayNode conditions = status.putArray("conditions");
    for (JsonNode c : node.path("status").path("conditions")) {
      ObjectNode unknown = c.deepCopy();
      unknown.put("status", "Unknown").put("reason", "NodeStatusUnknown")
          .put("message", "Kubelet stopped posting node status.").put("lastTransitionTime", now);
      conditions.add(unknown);
    }
    ObjectNode statusPatch = JsonNodeFactory.instance.objectNode();
    statusPatch.putObject("metadata").put("uid", Meta.uid(node));
    statusPatch.set("status", status);
    ArrayNode taints = JsonNodeFactory.instance.arrayNode();
    node.path("spec").path("taints").forEach(taints::add);
    taints.addObject().put("key", UNREACHABLE_TAINT).put("effect", "NoExecute").put("timeAdded", now);
    ObjectNode specPatch = JsonNodeFactory.instance.objectNode();
    specPatch.putObject("metadata").put("uid", Meta.uid(node));
    specPatch.putObject("spec").set("taints", taints);
    // the status first: the scheduler stops placing pods on the node before any pod is evicted.
    // Events only for what was written: while the store is down, nothing is said (or piled up).
    return writes.patchStatus("Node", null, Meta.name(node), statusPatch)
        .thenCompose(r -> r instanceof Result.Ok ? writes.patch("Node", null, Meta.name(node), specPatch)
            : CompletableFuture.completedFuture(r))
        .thenApply(r -> {
          if (r instanceof Result.Ok) {
            events.record(Meta.reference(node), "Normal", "NodeNotReady", "Node " + Meta.name(node) + " status is now: NodeNotReady");
          }
          return r;
        });
  }

  private CompletableFuture<?> markReachable(ObjectNode node) {
    ArrayNode taints = JsonNodeFactory.instance.arrayNode();
    for (JsonNode t : node.path("spec").path("taints")) {
      if (!t.path("key").asText().equals(UNREACHABLE_TAINT)) taints.add(t);
    }
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch.putObject("metadata").put("uid", Meta.uid(node));
    if (taints.isEmpty()) patch.putObject("spec").putNull("taints");
    else patch.putObject("spec").set("taints", taints);
    return writes.patch("Node", null, Meta.name(node), patch).thenApply(r -> {
      if (r instanceof Result.Ok) events.record(Meta.reference(node), "Normal", "NodeReady", "Node " + Meta.name(node) + " status is now: NodeReady");
      return r;
    });
  }

  /**
   * Deletes the pods of unreachable nodes that do not tolerate the taint (or whose toleration ran
   * out); a StatefulSet's pods only once their node is fenced.
   */
  private CompletableFuture<Void> evict(List<ObjectNode> nodes) {
    long nowNanos = System.nanoTime();
    Set<String> present = members.get();
    Map<String, Instant> taintedSince = new HashMap<>();
    Map<String, String> memberOf = new HashMap<>();
    Set<String> fenced = new HashSet<>();
    for (ObjectNode node : nodes) {
      String name = Meta.name(node);
      taintedSince.put(name, unreachableSince(node));
      String member = node.path("metadata").path("annotations").path(Fencing.MEMBER_ANNOTATION).asText(null);
      memberOf.put(name, member);
      if (departures.fenced(member, present, nowNanos)) fenced.add(name);
    }
    fenceWaits.retainAll(taintedSince.keySet());
    return writes.list("Pod", null).thenCompose(pods -> {
      Instant now = Instant.now();
      List<CompletableFuture<?>> deletes = new ArrayList<>();
      for (ObjectNode pod : pods) {
        String nodeName = pod.path("spec").path("nodeName").asText("");
        if (!taintedSince.containsKey(nodeName)) continue;
        Long tolerated = toleratedSeconds(pod);
        if (tolerated != null && (tolerated == Long.MAX_VALUE || taintedSince.get(nodeName).plusSeconds(tolerated).isAfter(now))) {
          continue;
        }
        boolean fencedPod = Fencing.fenced(pod);
        if (fencedPod && !fenced.contains(nodeName)) {
          if (fenceWaits.add(nodeName)) {
            log.info("Node {}: its StatefulSet pods stay until its member ({}) has left the cluster and the fence margin has passed",
                nodeName, memberOf.get(nodeName) == null ? "unknown: never fenced" : memberOf.get(nodeName));
          }
          continue;
        }
        String ns = pod.path("metadata").path("namespace").asText();
        String message = "Marking for deletion Pod " + ns + "/" + Meta.name(pod) + (fencedPod
            ? " (node fenced: its member left the cluster " + departures.goneFor(memberOf.get(nodeName), nowNanos).toSeconds() + " s ago)"
            : "");
        deletes.add(writes.forceDelete("Pod", ns, Meta.name(pod), Meta.uid(pod)).thenApply(r -> {
          if (r instanceof Result.Ok) events.record(Meta.reference(pod), "Normal", "TaintManagerEviction", message);
          return r;
        }));
      }
      return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new));
    }).toCompletableFuture();
  }

  /** The address of every member in the membership, whatever its status: a member is gone only once removed. */
  private static Set<String> memberAddresses(Cluster cluster) {
    Set<String> addresses = new HashSet<>();
    for (Member m : cluster.state().getMembers()) addresses.add(m.address().toString());
    return addresses;
  }

  /** How long the pod tolerates the unreachable taint: null not at all, MAX_VALUE for ever. */
  public static Long toleratedSeconds(ObjectNode pod) {
    for (JsonNode t : pod.path("spec").path("tolerations")) {
      String key = t.path("key").asText("");
      String effect = t.path("effect").asText("");
      boolean keyMatches = key.equals(UNREACHABLE_TAINT) || (key.isEmpty() && t.path("operator").asText().equals("Exists"));
      if (keyMatches && (effect.isEmpty() || effect.equals("NoExecute"))) {
        return t.hasNonNull("tolerationSeconds") ? Math.max(0, t.path("tolerationSeconds").asLong()) : Long.MAX_VALUE;
      }
    }
    return null;
  }

  private static Instant unreachableSince(ObjectNode node) {
    for (JsonNode t : node.path("spec").path("taints")) {
      if (t.path("key").asText().equals(UNREACHABLE_TAINT)) {
        try {
          return Instant.parse(t.path("timeAdded").asText());
        } catch (RuntimeException e) {
          return Instant.now();
        }
      }
    }
    return Instant.now();
  }

  private static boolean hasUnreachableTaint(ObjectNode node) {
    for (JsonNode t : node.path("spec").path("taints")) {
      if (t.path("key").asText().equals(UNREACHABLE_TAINT)) return true;
    }
    return false;
  }

  private static boolean isReady(ObjectNode node) {
    for (JsonNode c : node.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) return c.path("status").asText().equals("True");
    }
    return false;
  }
}
