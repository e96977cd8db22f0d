package dev.tugboat.controller.daemonset;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.ControllerLoop;
import dev.tugboat.controller.ControllerRevisions;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.Selectors;
import dev.tugboat.controller.Writes;
import dev.tugboat.controller.deployment.Rollout;
import dev.tugboat.controller.replicaset.ReplicaSetController;
import dev.tugboat.controller.replicaset.ReplicaSetPlan;
import dev.tugboat.kinds.daemonset.DaemonSet;
import dev.tugboat.model.ObjectReference;
import dev.tugboat.registry.EventRecorder;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The DaemonSet controller: one pod of each DaemonSet's template on every node it should run on,
 * following nodes as they come, go and change their labels and taints; a new template rolled out
 * node by node (maxUnavailable, maxSurge) or left to deletions (OnDelete); each template kept as a
 * ControllerRevision, which {@code kubectl rollout history} lists and {@code rollout undo} applies.
 *
 * <p>Each daemon pod names its node by required node affinity ({@code metadata.name}), and the
 * scheduler binds it there, as in Kubernetes: it still checks the node's room and ports.
 */
public final class DaemonSetController implements ControllerLoop.Reconciler {
  private final Registry registry;
  private final Writes writes;
  private final EventRecorder events;
  private final Selectors selectors = new Selectors("DaemonSet");
  private final ControllerRevisions revisions;

  public DaemonSetController(Registry registry, String host) {
    this.registry = registry;
    this.writes = new Writes(registry);
    this.revisions = new ControllerRevisions(writes);
    this.events = new EventRecorder(registry, "daemonset-controller", host);
  }

  @Override
  public String primaryKind() {
    return "DaemonSet";
  }

  @Override
  public List<String> watchedKinds() {
    return List.of("DaemonSet", "Pod", "Node");
  }

  @Override
  public List<String> keysFor(Informer.ObjectEvent change) {
    // A node joining, leaving or changing labels or taints may concern every DaemonSet.
    if (change.kind().equals("Node")) return selectors.allKeys();
    return selectors.keysFor(change);
  }

  @Override
  public CompletionStage<Duration> reconcile(String key) {
    String namespace = key.substring(0, key.indexOf('/'));
    String name = key.substring(key.indexOf('/') + 1);
    return registry.get("DaemonSet", namespace, name).thenCompose(result -> {
      if (!(result instanceof Result.Ok ok) || ok.object().path("metadata").has("deletionTimestamp")) {
        return CompletableFuture.completedFuture(null);
      }
      ObjectNode ds = ok.object();
      String uid = Meta.uid(ds);
      return writes.list("Node", null).thenCompose(nodes ->
          writes.listOwnedOrOrphaned("Pod", namespace, uid).thenCompose(pods ->
              revisions.of(ds).thenCompose(history -> sync(ds, nodes, pods, history))));
    });
  }

  private CompletionStage<Duration> sync(ObjectNode ds, List<ObjectNode> nodes, List<ObjectNode> pods,
      List<ObjectNode> revisions) {
    String namespace = Meta.namespace(ds);
    String hash = Rollout.templateHash(ds.path("spec").path("template"), ds.path("status").path("collisionCount").asInt(0));
    return this.revisions.current(ds, hash, revisions).thenCompose(revision -> {
      DaemonSetPlan plan = DaemonSetPlan.of(ds, nodes, pods, hash, Instant.now());
      ObjectReference self = Meta.reference(ds);
      List<CompletableFuture<?>> work = new ArrayList<>();
      for (ObjectNode pod : plan.adopt()) work.add(writes.adopt("Pod", pod, ds));
      for (String node : plan.createOn()) {
        ObjectNode pod = newPod(ds, node, hash);
        work.add(writes.create("Pod", namespace, Meta.name(pod), pod).thenApply(r -> {
          if (r instanceof Result.Ok) {
            events.record(self, "Normal", "SuccessfulCreate", "Created pod: " + Meta.name(pod));
          } else if (r instanceof Result.Failed f) {
            events.record(self, "Warning", "FailedCreate", "Error creating: " + f.status().message());
          }
          return r;
        }));
      }
      for (ObjectNode pod : plan.delete()) {
        work.add(writes.delete("Pod", namespace, Meta.name(pod), Meta.uid(pod)).thenApply(r -> {
          if (r instanceof Result.Ok) events.record(self, "Normal", "SuccessfulDelete", "Deleted pod: " + Meta.name(pod));
          return r;
        }));
      }
      Set<String> used = new HashSet<>();
      used.add(hash);
      pods.forEach(pod -> used.add(ControllerRevisions.hash(pod)));
      work.addAll(this.revisions.prune(ds, revisions, used));
      return Writes.allTaken(work)
          .thenCompose(v -> writes.updateStatus("DaemonSet", ds, plan.status()))
          .thenApply(v -> {
            int minReadySeconds = ds.path("spec").path("minReadySeconds").asInt(0);
            int ready = plan.status().path("numberReady").asInt();
            int available = plan.status().path("numberAvailable").asInt();
            return minReadySeconds > 0 && ready > available ? Duration.ofSeconds(minReadySeconds) : null;
          });
    });
  }

  /**
   * A daemon pod for {@code node}: the template with the revision's labels, the daemon
   * tolerations, and a required node affinity for that node alone (the DaemonSet checked the rest).
   */
  static ObjectNode newPod(ObjectNode ds, String node, String hash) {
    ObjectNode pod = ReplicaSetPlan.newPod(ds, ReplicaSetController.suffix());
    ObjectNode labels = ((ObjectNode) pod.get("metadata")).with("labels");
    labels.put(DaemonSet.REVISION_HASH, hash);
    labels.put(DaemonSet.TEMPLATE_GENERATION, Long.toString(ds.path("metadata").path("generation").asLong(1)));
    ObjectNode spec = DaemonSetPlan.withDaemonTolerations(pod.path("spec"));
    ObjectNode required = spec.with("affinity").with("nodeAffinity").putObject("requiredDuringSchedulingIgnoredDuringExecution");
    ObjectNode field = required.putArray("nodeSelectorTerms").addObject().putArray("matchFields").addObject();
    field.put("key", "metadata.name").put("operator", "In").putArray("values").add(node);
    pod.set("spec", spec);
    return pod;
  }
}
