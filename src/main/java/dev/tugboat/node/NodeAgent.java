package dev.tugboat.node;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import dev.tugboat.model.Node;
import dev.tugboat.model.ObjectMeta;
import dev.tugboat.model.Pod;
import dev.tugboat.protocol.NodeLease;
import dev.tugboat.registry.Indexed;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import dev.tugboat.registry.WatchCache;
import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.ContainerRuntime.ContainerInfo;
import dev.tugboat.protocol.Fencing;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The kubelet of one node: registers the Node, renews its lease with the node lifecycle controller
 * ({@link NodeLease}) and reports its status when it changes or is due, learns which pods are bound
 * to it (an {@link Informer} of its slice of this member's index, so after a restart the set comes
 * from the entities, not from memory), runs one {@link PodWorker} per pod, and every few seconds
 * compares the pods bound to it with the containers labelled for it: a pod without a worker gets
 * one, a container of a pod no longer bound here (rescheduled while this node was away) is removed.
 * Its children {@link NodeLogServer} and {@link NodeStreamServer} serve the containers' logs, and
 * exec, attach and port-forward.
 *
 * <p>It never stops containers because it stops itself: a restarted agent adopts what runs. The
 * exception is StatefulSet pods, which run only while the node holds its fence ({@link NodeFence},
 * {@link Fencing}): they end when the agent has been gone, or cut off from the majority, for the
 * fence timeout, and at once when its member is downed.
 */
public final class NodeAgent extends AbstractBehavior<NodeAgent.Command> {

  public sealed interface Command {}

  /** A pod worker has stopped and removed its pod's containers. */
  public record PodStopped(Pod pod, boolean objectGone) implements Command {}

  private record PodChanged(Informer.Event event) implements Command {}

  private enum Tick implements Command { HEARTBEAT, RESYNC, REGISTER }

  private record Registered(Node node, String failure) implements Command {}

  private record LeaseHolders(Set<ActorRef<NodeLease.Renew>> holders) implements Command {}

  private record LeaseRenewed(NodeLease.Renewed renewed) implements Command {}

  private record StatusReported(String failure) implements Command {}

  private record Observed(List<ObjectNode> pods, long version, List<ContainerInfo> containers, String failure)
      implements Command {}

  public static Behavior<Command> create(Registry registry, ContainerRuntime runtime, NodeSettings settings) {
    return create(registry, runtime, settings, ServiceAccountVolume.Source.NONE);
  }

  /** A node agent whose pods get service account tokens signed by {@code tokens} (a member's key). */
  public static Behavior<Command> create(Registry registry, ContainerRuntime runtime, NodeSettings settings,
      ServiceAccountVolume.Source tokens) {
    return Behaviors.setup(outer -> {
      Cluster cluster = Cluster.get(outer.getSystem());
      NodeFence fence = new NodeFence(settings.fenceDir() == null ? null : Path.of(settings.fenceDir(), settings.nodeName()),
          settings.fenceTimeout(), settings.heartbeatInterval().multipliedBy(2), () -> Fencing.inMajority(cluster), System::nanoTime);
      killPodsWhenDowned(outer.getSystem(), runtime, settings.nodeName(), fence);
      return Behaviors.<Command>supervise(Behaviors.setup(context -> Behaviors.withTimers(timers ->
              new NodeAgent(context, timers, registry, runtime, settings, fence, tokens))))
          .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    });
  }

  /**
   * A member downed by the Split Brain Resolver is on the losing side: the winning side replaces its
   * pods (StatefulSet pods once it has gone, the others as soon as its Node is NotReady), and this
   * member will never manage them again. Its agent ends them all at once, rather than leave them
   * running beside their replacements (or, for fenced pods, to the sandboxes' watch). Any other stop
   * (Ctrl-C, a restart) leaves them running, so that an agent back soon adopts them.
   */
  private static void killPodsWhenDowned(ActorSystem<?> system, ContainerRuntime runtime, String node, NodeFence fence) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    shutdown.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "fence-" + node, () -> {
      if (!shutdown.getShutdownReason().map(CoordinatedShutdown.clusterDowningReason()::equals).orElse(false)) {
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      return CompletableFuture.supplyAsync(() -> {
        fence.down(); // no pod worker starts anything from here on, and none is starting now
        List<ContainerInfo> containers = runtime.listContainers(Map.of(ContainerRuntime.NODE, node));
        system.log().warn("Node {}: this member was downed; killing the {} containers of its pods", node, containers.size());
        // The sandboxes first: each one's end takes every process of its pod with it.
        containers.stream().sorted(Comparator.comparing(c -> !c.isSandbox())).forEach(c -> runtime.stopContainer(c.id(), 0));
        return Done.getInstance();
      });
    });
  }

  private static final Duration FIRST_REGISTER_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_REGISTER_BACKOFF = Duration.ofSeconds(30);

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final Registry registry;
  private final ContainerRuntime runtime;
  private final NodeSettings settings;
  private final NodeFence fence;
  private final ServiceAccountVolume.Source tokens;
  private final String member;
  private final String runtimeVersion;
  private final Map<String, ActorRef<PodWorker.Command>> workers = new HashMap<>();
  private final Map<String, Pod> pods = new HashMap<>();
  /**
   * Pods (uids) whose worker has stopped and removed their containers, or that the API deleted,
   * until a resync list no longer shows them: a list taken before the delete, or a watch event
   * that trails it, must not start them again.
   */
  private final Set<String> finished = new HashSet<>();
  private List<Node.Condition> conditions = List.of();
  private Duration registerBackoff = FIRST_REGISTER_BACKOFF;
  private boolean registered;
  private Set<ActorRef<NodeLease.Renew>> leaseHolders = Set.of();
  private final ActorRef<NodeLease.Renewed> renewedAdapter;
  private long lastReportNanos;
  private boolean reportInFlight;
  private boolean resyncInFlight;

  private NodeAgent(ActorContext<Command> context, TimerScheduler<Command> timers, Registry registry,
      ContainerRuntime runtime, NodeSettings settings, NodeFence fence, ServiceAccountVolume.Source tokens) {
    super(context);
    this.tokens = tokens;
    this.context = context;
    this.timers = timers;
    this.registry = registry;
    this.runtime = runtime;
    this.settings = settings;
    this.fence = fence;
    this.member = Cluster.get(context.getSystem()).selfMember().address().toString();
    this.runtimeVersion = runtime.version();
    context.spawn(NodeLogServer.create(settings.nodeName(), runtime), "logs");
    context.spawn(NodeStreamServer.create(settings.nodeName(), runtime), "streams");
    if (runtime.measuresUsage()) {
      context.spawn(UsageServer.create(settings.nodeName(), runtime, settings.metricsInterval(),
          settings.metricsTimeout()), "usage");
    }
    context.spawn(LocalVolumeCleaner.create(registry, settings), "local-volumes",
        DispatcherSelector.fromConfig("tugboat-runtime-dispatcher"));
    context.getSystem().receptionist().tell(Receptionist.subscribe(NodeLease.HOLDER,
        context.messageAdapter(Receptionist.Listing.class, l -> new LeaseHolders(l.getServiceInstances(NodeLease.HOLDER)))));
    this.renewedAdapter = context.messageAdapter(NodeLease.Renewed.class, LeaseRenewed::new);
    context.getSelf().tell(Tick.REGISTER);
    context.spawn(Informer.create(registry, Informer.Selection.of("Pod").inSlice(Indexed.node(settings.nodeName())),
        context.messageAdapter(Informer.Event.class, PodChanged::new)), "pod-informer");
    timers.startTimerWithFixedDelay(Tick.RESYNC, settings.resync());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Tick.REGISTER, this::register)
        .onMessage(Registered.class, this::onRegistered)
        .onMessageEquals(Tick.HEARTBEAT, this::heartbeat)
        .onMessage(LeaseHolders.class, h -> {
          leaseHolders = h.holders();
          return this;
        })
        .onMessage(LeaseRenewed.class, r -> r.renewed().statusCurrent() ? this : reportStatus())
        .onMessage(StatusReported.class, h -> {
          reportInFlight = false;
          if (h.failure() != null) {
            context.getLog().warn("Node {}: status report failed: {}", settings.nodeName(), h.failure());
            if (h.failure().contains("NotFound")) context.getSelf().tell(Tick.REGISTER);
          }
          return this;
        })
        .onMessage(PodChanged.class, c -> onPodChanged(c.event()))
        .onMessageEquals(Tick.RESYNC, this::resync)
        .onMessage(Observed.class, this::onObserved)
        .onMessage(PodStopped.class, this::onPodStopped)
        .build();
  }

  // ---- the Node -------------------------------------------------------------------------------

  private Behavior<Command> register() {
    String name = settings.nodeName();
    CompletionStage<Result> existing = registry.get("Node", null, name).thenCompose(result -> {
      if (result instanceof Result.Ok) {
        // Labels the agent owns are refreshed; the user's labels, taints and cordon stay.
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        ObjectNode metadata = patch.putObject("metadata");
        ObjectNode labels = metadata.putObject("labels");
        NodeStatus.annotations(settings, member).forEach(metadata.putObject("annotations")::put);
        NodeStatus.baseLabels(settings).forEach(labels::put);
        settings.labels().forEach(labels::put);
        return registry.patch("Node", null, name, "application/merge-patch+json", patch, false);
      }
      if (((Result.Failed) result).status().code() != 404) return CompletableFuture.completedFuture(result);
      return registry.create("Node", null, Codec.toObjectNode(NodeStatus.registration(settings, member)));
    });
    context.pipeToSelf(existing.thenCompose(r -> r instanceof Result.Ok ok ? writeStatus(ok.object())
            : CompletableFuture.completedFuture(r)),
        (result, error) -> error != null ? new Registered(null, error.toString())
            : result instanceof Result.Ok ok ? new Registered(Codec.convert(ok.object(), Node.class), null)
            : new Registered(null, ((Result.Failed) result).status().message()));
    return this;
  }

  private CompletionStage<Result> writeStatus(ObjectNode node) {
    Node current = Codec.convert(node, Node.class);
    List<Node.Condition> previous = current.status() == null ? null : current.status().conditions();
    Node.Status status = NodeStatus.status(settings, runtimeVersion, Instant.now(), previous);
    ObjectNode update = Codec.toObjectNode(new Node("v1", "Node",
        ObjectMeta.named(null, settings.nodeName()).withUid(current.metadata().uid()), null, status));
    return registry.update("Node", null, settings.nodeName(), update, true);
  }

  private Behavior<Command> onRegistered(Registered r) {
    if (r.failure() != null) {
      // Doubling with jitter: thousands of agents retrying in step every second kept a cold,
      // overloaded store's circuit breaker open (docs/benchmarks.md, "A scale run that never starts").
      long delayMs = (long) (registerBackoff.toMillis() * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
      context.getLog().warn("Node {}: registration failed, retrying in {} ms: {}", settings.nodeName(), delayMs, r.failure());
      timers.startSingleTimer(Tick.REGISTER, Duration.ofMillis(delayMs));
      Duration doubled = registerBackoff.multipliedBy(2);
      registerBackoff = doubled.compareTo(MAX_REGISTER_BACKOFF) > 0 ? MAX_REGISTER_BACKOFF : doubled;
      return this;
    }
    registerBackoff = FIRST_REGISTER_BACKOFF;
    if (!registered) context.getLog().info("Node {} registered ({})", settings.nodeName(), runtimeVersion);
    registered = true;
    lastReportNanos = System.nanoTime();
    conditions = r.node().status() == null ? List.of() : r.node().status().conditions();
    timers.startTimerWithFixedDelay(Tick.HEARTBEAT, settings.heartbeatInterval());
    return heartbeat();
  }

  /** Renews the lease (the lifecycle controller's sign of life) and reports the status when due. */
  private Behavior<Command> heartbeat() {
    if (!registered) return this;
    fence.confirm();
    for (ActorRef<NodeLease.Renew> holder : leaseHolders) holder.tell(new NodeLease.Renew(settings.nodeName(), renewedAdapter));
    if (System.nanoTime() - lastReportNanos >= settings.statusReportInterval().toNanos()) return reportStatus();
    return this;
  }

  /** Writes the conditions with a fresh lastHeartbeatTime (as the kubelet's node status update). */
  private Behavior<Command> reportStatus() {
    if (reportInFlight || !registered) return this;
    reportInFlight = true;
    lastReportNanos = System.nanoTime();
    conditions = NodeStatus.conditions(Instant.now(), conditions);
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch.putObject("status").set("conditions", Codec.toJsonNode(conditions));
    context.pipeToSelf(registry.patch("Node", null, settings.nodeName(), "application/merge-patch+json", patch, true),
        (result, error) -> new StatusReported(error != null ? error.toString()
            : result instanceof Result.Failed f ? f.status().reason() + ": " + f.status().message() : null));
    return this;
  }

  // ---- pods -----------------------------------------------------------------------------------

  /** A pod bound here, changed, or gone (deleted, or bound elsewhere); the informer's signals need nothing. */
  private Behavior<Command> onPodChanged(Informer.Event event) {
    if (event instanceof Informer.Deleted deleted) {
      String uid = deleted.object().path("metadata").path("uid").asText();
      pods.remove(uid);
      finished.add(uid);
      ActorRef<PodWorker.Command> worker = workers.get(uid);
      if (worker != null) worker.tell(new PodWorker.Gone());
    } else if (event instanceof Informer.ObjectEvent changed) {
      desire(Codec.convert(changed.object(), Pod.class));
    }
    return this;
  }

  private void desire(Pod pod) {
    String uid = pod.metadata().uid();
    if (finished.contains(uid)) return;
    pods.put(uid, pod);
    ActorRef<PodWorker.Command> worker = workers.get(uid);
    if (worker == null) {
      worker = context.spawn(
          Behaviors.supervise(PodWorker.create(pod, runtime, registry, settings, fence, tokens, context.getSelf()))
              .onFailure(SupervisorStrategy.restart()),
          "pod-" + uid, DispatcherSelector.fromConfig("tugboat-runtime-dispatcher"));
      workers.put(uid, worker);
    } else {
      worker.tell(new PodWorker.Desired(pod));
    }
  }

  private Behavior<Command> onPodStopped(PodStopped stopped) {
    Pod pod = stopped.pod();
    String uid = pod.metadata().uid();
    workers.remove(uid);
    KubeletMetrics.gone(settings.nodeName(), uid);
    finished.add(uid);
    if (!stopped.objectGone()) confirmDeleted(pod);
    pods.remove(uid);
    return this;
  }

  /** The containers are gone: confirm the graceful delete, for this very pod only. */
  private void confirmDeleted(Pod pod) {
    registry.delete("Pod", pod.metadata().namespace(), pod.metadata().name(), pod.metadata().uid(), null, 0L, List.of());
  }

  private static long version(Pod pod) {
    try {
      return Long.parseLong(pod.metadata().resourceVersion());
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** Level-triggered repair: the pods bound here against the containers labelled for this node. */
  private Behavior<Command> resync() {
    if (resyncInFlight) return this;
    resyncInFlight = true;
    String node = settings.nodeName();
    CompletionStage<WatchCache.ListResult> list = registry.list("Pod", null, Indexed.node(node));
    CompletionStage<List<ContainerInfo>> containers = CompletableFuture.supplyAsync(
        () -> runtime.listContainers(Map.of(ContainerRuntime.NODE, node)),
        context.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig("tugboat-runtime-dispatcher")));
    context.pipeToSelf(containers.thenCombine(list, (c, l) -> new Observed(l.items(), l.resourceVersion(), c,
            l.failure() == null ? null : l.failure().message())),
        (observed, error) -> error != null ? new Observed(List.of(), 0, List.of(), error.toString()) : observed);
    return this;
  }

  private Behavior<Command> onObserved(Observed observed) {
    resyncInFlight = false;
    if (observed.failure() != null) {
      context.getLog().warn("Node {}: resync failed: {}", settings.nodeName(), observed.failure());
      return this;
    }
    Set<String> bound = new HashSet<>();
    for (ObjectNode o : observed.pods()) {
      Pod pod = Codec.convert(o, Pod.class);
      String uid = pod.metadata().uid();
      bound.add(uid);
      if (finished.contains(uid)) {
        // Stopped here and still listed: the confirmation may have been lost; it is idempotent.
        if (pod.metadata().deletionTimestamp() != null) confirmDeleted(pod);
      } else if (!workers.containsKey(uid)) {
        desire(pod);
      }
    }
    finished.retainAll(bound);
    for (Map.Entry<String, ActorRef<PodWorker.Command>> w : workers.entrySet()) {
      // A pod the watch brought after the list was taken is not missing from it.
      Pod known = pods.get(w.getKey());
      boolean newer = known != null && version(known) > observed.version();
      if (!bound.contains(w.getKey()) && !newer) w.getValue().tell(new PodWorker.Gone());
    }
    Set<String> orphans = new HashSet<>();
    for (ContainerInfo c : observed.containers()) {
      String uid = c.labels().get(ContainerRuntime.POD_UID);
      if (uid != null && !bound.contains(uid) && !workers.containsKey(uid)) orphans.add(c.id());
    }
    if (!orphans.isEmpty()) {
      context.getLog().info("Node {}: removing {} containers of pods no longer bound here", settings.nodeName(),
          orphans.size());
      CompletableFuture.runAsync(() -> orphans.forEach(id -> {
        runtime.stopContainer(id, 2);
        runtime.removeContainer(id);
      }), context.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig("tugboat-runtime-dispatcher")));
    }
    return this;
  }
}
