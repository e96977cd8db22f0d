package dev.tugboat.scheduler;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.persistentvolumeclaim.PersistentVolumeClaim;
import dev.tugboat.kinds.poddisruptionbudget.DisruptionBudgets;
import dev.tugboat.model.Codec;
import dev.tugboat.model.Node;
import dev.tugboat.model.ObjectReference;
import dev.tugboat.model.Pod;
import dev.tugboat.registry.EventRecorder;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * kube-scheduler as a cluster singleton: a cache of nodes and of the pods placed on them, a queue
 * of pending pods, the {@link Placement} pipeline, and bindings persisted by the pods' entities.
 *
 * <p>The cache is rebuilt from the entities every time the singleton starts (an {@link Informer} of
 * Nodes and one of Pods: a list, then a watch from its version), so it survives the loss of its
 * member; pods are placed once both lists are in. A pod is bound at most once, even when
 * an old and a new singleton overlap: the binding is decided by the pod's entity, which refuses a
 * second one. A placement is assumed in the cache at once (so the next pod sees the node's
 * resources taken) and forgotten if the binding fails.
 */
public final class Scheduler extends AbstractBehavior<Scheduler.Command> {
  public static final String NAME = "default-scheduler";

  public sealed interface Command {}

  private record Informed(Informer.Event event) implements Command {}

  private record BindDone(PodRequest pod, String node, Result result, String error) implements Command {}

  private enum Tick implements Command { SCHEDULE, RETRY }

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final Registry registry;
  private final Placement placement;
  private final EventRecorder events;
  private final int parallelism;
  private final Duration retryUnschedulable;

  private final NodeTable nodes = new NodeTable();
  /** Every pod placed on a node (bound, or assumed while its binding is in flight): key -> node. */
  private final Map<String, Placed> placed = new HashMap<>();
  /** Pods waiting for a node, highest priority first. */
  private final SchedulingQueue pending = new SchedulingQueue();
  /** Placed pods being deleted (their room is not free yet): a preemptor waits for them rather than preempting again. */
  private final Set<String> terminating = new HashSet<>();
  /** How many placed pods there are of each priority: preemption is skipped at once when none is lower. */
  private final java.util.TreeMap<Integer, Integer> placedByPriority = new java.util.TreeMap<>();
  /** Where each preemptor was nominated, by pod key. */
  private final Map<String, String> nominated = new HashMap<>();
  /** The PodDisruptionBudgets by key, and the labels of placed pods: what preemption needs to respect budgets. */
  private final Map<String, ObjectNode> budgets = new HashMap<>();
  private final Map<String, com.fasterxml.jackson.databind.JsonNode> placedLabels = new HashMap<>();
  private final Preemption preemption;
  private final Set<String> inFlight = new HashSet<>();
  /** Pods that fit nowhere, with the cluster version they failed at and the message they got. */
  private final Map<String, Unfit> unschedulable = new HashMap<>();
  /** Per pod being scheduled: when it was first tried, and how often (scheduler_pod_scheduling_duration_seconds). */
  private final Map<String, Attempts> attempts = new HashMap<>();

  private record Attempts(long firstNanos, int count) {
    Attempts next() {
      return new Attempts(firstNanos, count + 1);
    }
  }
  /** Where the next search over the nodes starts: the last one's end, so every node gets its turn. */
  private int nextStart;
  private long clusterVersion;
  /** What placement reads of storage: claims by {@code namespace/name}, volumes and classes by name. */
  private final Map<String, ObjectNode> claims = new HashMap<>();
  private final Map<String, ObjectNode> volumes = new HashMap<>();
  private final Map<String, ObjectNode> storageClasses = new HashMap<>();
  private static final List<String> KINDS = List.of("Node", "Pod", "PersistentVolumeClaim", "PersistentVolume",
      "StorageClass", "PodDisruptionBudget");
  /** The kinds whose first list is in; pods are placed once all are. */
  private final Set<String> listed = new HashSet<>();
  private boolean synced;
  private boolean scheduleQueued;

  private record Placed(PodRequest pod, String node) {}

  private record Unfit(long clusterVersion, String message) {}

  public static Behavior<Command> create(Registry registry, Placement placement, int parallelism,
      Duration retryUnschedulable, String host) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new Scheduler(context, timers, registry, placement, parallelism, retryUnschedulable, host)));
  }

  private Scheduler(ActorContext<Command> context, TimerScheduler<Command> timers, Registry registry,
      Placement placement, int parallelism, Duration retryUnschedulable, String host) {
    super(context);
    this.context = context;
    this.timers = timers;
    this.registry = registry;
    this.placement = placement;
    this.preemption = new Preemption(placement);
    this.events = new EventRecorder(registry, NAME, host);
    this.parallelism = parallelism;
    this.retryUnschedulable = retryUnschedulable;
    ActorRef<Informer.Event> informed = context.messageAdapter(Informer.Event.class, Informed::new);
    for (String kind : KINDS) {
      context.spawn(Informer.create(registry, Informer.Selection.of(kind), informed), kind.toLowerCase() + "-informer");
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Informed.class, i -> onInformed(i.event()))
        .onMessageEquals(Tick.SCHEDULE, () -> {
          scheduleQueued = false;
          return schedule();
        })
        .onMessageEquals(Tick.RETRY, () -> {
          clusterVersion++;
          return schedule();
        })
        .onMessage(BindDone.class, this::onBindDone)
        .build();
  }

  // ---- the cache ------------------------------------------------------------------------------

  private Behavior<Command> onInformed(Informer.Event event) {
    boolean node = event.kind().equals("Node");
    if (event instanceof Informer.Synced) {
      listed.add(event.kind());
      if (listed.containsAll(KINDS) && !synced) {
        synced = true;
        context.getLog().info("Scheduler: cache synced with {} nodes, {} placed and {} pending pods",
            nodes.size(), placed.size(), pending.size());
        timers.startTimerWithFixedDelay(Tick.RETRY, retryUnschedulable);
      }
    } else if (event instanceof Informer.Relisted) {
      // The differences are in (what vanished as Deleted): every unschedulable pod may fit now.
      context.getLog().info("Scheduler: {} relisted", event.kind());
      clusterVersion++;
    } else if (event instanceof Informer.ObjectEvent change && change.kind().equals("PodDisruptionBudget")) {
      String key = key(change.object());
      if (change instanceof Informer.Deleted) budgets.remove(key);
      else budgets.put(key, change.object());
      return this; // nothing placement looks at
    } else if (event instanceof Informer.ObjectEvent change && storage(change)) {
      clusterVersion++; // a claim bound, a volume made: unschedulable pods may fit now
    } else if (event instanceof Informer.Deleted deleted) {
      if (node) {
        String name = deleted.object().path("metadata").path("name").asText();
        nodes.remove(name);
        clusterVersion++;
      } else {
        String key = key(deleted.object());
        pending.remove(key);
        unschedulable.remove(key);
        attempts.remove(key);
        terminating.remove(key);
        nominated.remove(key);
        if (unplace(key)) clusterVersion++;
      }
    } else if (event instanceof Informer.ObjectEvent changed) {
      if (node) nodeChanged(changed.object());
      else podChanged(changed.object());
    }
    return queueSchedule();
  }

  /** Keeps the storage caches; false for a change of another kind. */
  private boolean storage(Informer.ObjectEvent change) {
    Map<String, ObjectNode> cache = switch (change.kind()) {
      case "PersistentVolumeClaim" -> claims;
      case "PersistentVolume" -> volumes;
      case "StorageClass" -> storageClasses;
      default -> null;
    };
    if (cache == null) return false;
    String key = change.kind().equals("PersistentVolumeClaim") ? key(change.object())
        : change.object().path("metadata").path("name").asText();
    if (change instanceof Informer.Deleted) cache.remove(key);
    else cache.put(key, change.object());
    return true;
  }

  private void nodeChanged(ObjectNode object) {
    Node node = Codec.convert(object, Node.class);
    NodeSnapshot before = nodes.get(node.metadata().name());
    NodeSnapshot after = before == null ? NodeSnapshot.of(node) : before.withNode(node);
    // Heartbeats change nothing placement looks at: they must not wake every unschedulable pod.
    if (!after.equals(before)) {
      nodes.put(after);
      clusterVersion++;
    }
  }

  private void podChanged(ObjectNode object) {
    Pod pod = Codec.convert(object, Pod.class);
    String key = key(object);
    String nodeName = pod.spec() == null ? null : pod.spec().nodeName();
    String phase = pod.status() == null ? null : pod.status().phase();
    boolean finished = "Succeeded".equals(phase) || "Failed".equals(phase);
    if (nodeName != null && !nodeName.isEmpty()) {
      pending.remove(key);
      unschedulable.remove(key);
      if (!inFlight.contains(key)) attempts.remove(key); // bound by another: no binding of ours to time
      nominated.remove(key);
      if (pod.metadata().deletionTimestamp() != null) terminating.add(key);
      else terminating.remove(key);
      placedLabels.put(key, object.path("metadata").path("labels"));
      // A finished pod holds no resources any more, as in kube-scheduler.
      if (finished) {
        if (unplace(key)) clusterVersion++;
      } else {
        place(key, PodRequest.of(pod), nodeName);
      }
      return;
    }
    if (pod.metadata().deletionTimestamp() != null || finished) {
      pending.remove(key);
      nominated.remove(key);
      return;
    }
    String scheduler = pod.spec().schedulerName();
    if (scheduler != null && !scheduler.isEmpty() && !scheduler.equals(NAME)) return;
    if (!inFlight.contains(key)) pending.put(key, PodRequest.of(pod));
  }

  /** Puts a pod's requests on a node (moving them if they were elsewhere). */
  private void place(String key, PodRequest pod, String nodeName) {
    Placed before = placed.get(key);
    if (before != null && before.node().equals(nodeName) && before.pod().uid().equals(pod.uid())) return;
    unplace(key);
    placed.put(key, new Placed(pod, nodeName));
    placedByPriority.merge(pod.priority(), 1, Integer::sum);
    NodeSnapshot node = nodes.get(nodeName);
    if (node != null) nodes.put(node.withPod(pod));
  }

  private boolean unplace(String key) {
    Placed before = placed.remove(key);
    if (before == null) return false;
    placedByPriority.computeIfPresent(before.pod().priority(), (p, n) -> n <= 1 ? null : n - 1);
    placedLabels.remove(key);
    NodeSnapshot node = nodes.get(before.node());
    if (node != null) nodes.put(node.withoutPod(before.pod()));
    return true;
  }

  // ---- scheduling -----------------------------------------------------------------------------

  private Behavior<Command> queueSchedule() {
    if (!scheduleQueued) {
      scheduleQueued = true;
      context.getSelf().tell(Tick.SCHEDULE);
    }
    return this;
  }

  private Behavior<Command> schedule() {
    if (!synced) return this;
    var it = pending.iterator();
    while (it.hasNext() && inFlight.size() < parallelism) {
      PodRequest pod = it.next();
      String key = pod.key();
      if (inFlight.contains(key)) continue;
      Unfit unfit = unschedulable.get(key);
      if (unfit != null && unfit.clusterVersion() == clusterVersion) continue;
      if (!pod.claims().isEmpty()) {
        pod = pod.withVolumes(VolumeConstraints.resolve(pod.namespace(), pod.claims(), claims, volumes, storageClasses));
      }
      final PodRequest placing = pod;
      attempts.merge(key, new Attempts(System.nanoTime(), 1), (was, first) -> was.next());
      Placement.Decision decision = placement.place(pod, nodes.inOrder(), nextStart);
      if (decision instanceof Placement.Fit fit) {
        nextStart = (nextStart + fit.examined()) % Math.max(1, nodes.size());
        unschedulable.remove(key);
        it.remove();
        inFlight.add(key);
        place(key, pod, fit.node());
        context.pipeToSelf(registry.bind(pod.namespace(), pod.name(), pod.uid(), fit.node()),
            (result, error) -> new BindDone(placing, fit.node(), result, error == null ? null : error.toString()));
      } else if (decision instanceof Placement.Unfit no) {
        SchedulerMetrics.attempt("unschedulable");
        if (unfit == null || !unfit.message().equals(no.message())) reportUnschedulable(pod, no.message());
        unschedulable.put(key, new Unfit(clusterVersion, no.message()));
        preempt(pod);
      }
    }
    return this;
  }

  // ---- preemption (PostFilter) ---------------------------------------------------------------

  /**
   * Makes room for a pod that fits nowhere by evicting lower-priority pods ({@link Preemption}): the
   * victims are deleted gracefully, each with a {@code Preempted} Event, and the pod's
   * {@code status.nominatedNodeName} says where it will go. The pod stays in the queue and is placed
   * once the victims are gone (their deletion changes the cluster); while victims of its lower
   * priority are still terminating on its nominated node it does not preempt again.
   */
  private void preempt(PodRequest pod) {
    if (!pod.preemptsOthers() || placedByPriority.isEmpty() || placedByPriority.firstKey() >= pod.priority()) return;
    String key = pod.key();
    String node = nominated.get(key);
    if (node != null && terminatingBelow(node, pod.priority())) return;
    Map<String, List<PodRequest>> byNode = new HashMap<>();
    for (Map.Entry<String, Placed> e : placed.entrySet()) {
      if (e.getValue().pod().priority() < pod.priority()) {
        byNode.computeIfAbsent(e.getValue().node(), n -> new ArrayList<>()).add(e.getValue().pod());
      }
    }
    // only lower pods matter to the plugin; the others stay in the node's snapshot as they are
    var candidate = preemption.postFilter(pod, nodes.inOrder(), n -> byNode.getOrDefault(n, List.of()), budgetView());
    if (candidate.isEmpty()) return;
    Preemption.Candidate c = candidate.get();
    nominated.put(key, c.node());
    context.getLog().info("Scheduler: {} preempts {} pod(s) on {}", key, c.victims().size(), c.node());
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch.putObject("metadata").put("uid", pod.uid());
    patch.putObject("status").put("nominatedNodeName", c.node());
    registry.patch("Pod", pod.namespace(), pod.name(), "application/merge-patch+json", patch, true);
    for (PodRequest victim : c.victims()) {
      events.record(reference(victim), "Normal", "Preempted", "Preempted by pod " + pod.uid() + " on node " + c.node());
      registry.delete("Pod", victim.namespace(), victim.name(), victim.uid(), null, null, List.of());
      terminating.add(victim.key());
    }
  }

  private boolean terminatingBelow(String node, int priority) {
    for (String key : terminating) {
      Placed p = placed.get(key);
      if (p != null && p.node().equals(node) && p.pod().priority() < priority) return true;
    }
    return false;
  }

  /** The budgets as preemption sees them: which select a placed pod, and what each still allows. */
  private Preemption.Budgets budgetView() {
    if (budgets.isEmpty()) return Preemption.Budgets.NONE;
    return new Preemption.Budgets() {
      @Override
      public List<String> of(PodRequest pod) {
        ObjectNode probe = JsonNodeFactory.instance.objectNode();
        ObjectNode meta = probe.putObject("metadata").put("namespace", pod.namespace());
        var labels = placedLabels.get(pod.key());
        if (labels != null && labels.isObject()) meta.set("labels", labels);
        List<String> out = new ArrayList<>();
        budgets.forEach((k, b) -> {
          if (DisruptionBudgets.selects(b, probe)) out.add(k);
        });
        return out;
      }

      @Override
      public int allowed(String budget) {
        ObjectNode b = budgets.get(budget);
        return b == null ? 0 : b.path("status").path("disruptionsAllowed").asInt(0);
      }
    };
  }

  private Behavior<Command> onBindDone(BindDone done) {
    String key = done.pod().key();
    inFlight.remove(key);
    Attempts tried = attempts.remove(key);
    if (done.result() instanceof Result.Ok) {
      SchedulerMetrics.attempt("scheduled");
      if (tried != null) SchedulerMetrics.scheduled(tried.count(), System.nanoTime() - tried.firstNanos());
      events.record(reference(done.pod()), "Normal", "Scheduled",
          "Successfully assigned " + key + " to " + done.node());
      selectNode(done.pod(), done.node());
    } else {
      // Refused (bound elsewhere meanwhile, deleted, replaced) or failed: forget the assumption;
      // the watch brings the pod's real state, and a pod still pending is tried again.
      Placed p = placed.get(key);
      if (p != null && p.node().equals(done.node()) && p.pod().uid().equals(done.pod().uid())) unplace(key);
      String why = done.error() != null ? done.error() : ((Result.Failed) done.result()).status().message();
      context.getLog().info("Scheduler: binding {} to {} failed: {}", key, done.node(), why);
      SchedulerMetrics.attempt("error");
      if (done.result() instanceof Result.Failed f && f.status().code() >= 500 || done.error() != null) {
        if (tried != null) attempts.put(key, tried); // tried again: its first attempt still counts
        pending.putIfAbsent(key, done.pod());
      }
    }
    return queueSchedule();
  }

  /**
   * Tells the pod's unbound WaitForFirstConsumer claims where it went (Kubernetes' selected-node
   * annotation): the binder binds them there, or the provisioner makes their volumes there. Best
   * effort: the binder sets it too when it sees the pod bound.
   */
  private void selectNode(PodRequest pod, String node) {
    for (String claim : pod.volumes().delayedClaims()) {
      ObjectNode patch = JsonNodeFactory.instance.objectNode();
      patch.putObject("metadata").putObject("annotations").put(PersistentVolumeClaim.SELECTED_NODE, node);
      registry.patch("PersistentVolumeClaim", pod.namespace(), claim, "application/merge-patch+json", patch, false);
    }
  }

  /** PodScheduled=False with Kubernetes' reason and message, and a FailedScheduling event. */
  private void reportUnschedulable(PodRequest pod, String message) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch.putObject("metadata").put("uid", pod.uid());
    ObjectNode condition = patch.putObject("status").put("phase", "Pending").putArray("conditions").addObject();
    condition.put("type", "PodScheduled").put("status", "False").put("reason", "Unschedulable").put("message", message)
        .put("lastTransitionTime", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    registry.patch("Pod", pod.namespace(), pod.name(), "application/merge-patch+json", patch, true);
    events.record(reference(pod), "Warning", "FailedScheduling", message);
  }

  private static ObjectReference reference(PodRequest pod) {
    return new ObjectReference("Pod", pod.namespace(), pod.name(), pod.uid(), "v1", null, null);
  }

  private static String key(ObjectNode object) {
    return object.path("metadata").path("namespace").asText() + "/" + object.path("metadata").path("name").asText();
  }
}
