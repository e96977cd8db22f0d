package dev.tugboat.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The loop every controller runs, as kube-controller-manager's informers and work queues do:
 * {@link Informer}s of the kinds a controller cares about turn changes into keys of its primary
 * kind; a key is reconciled by at most one worker at a time (a change arriving meanwhile runs it
 * again after). A pass that failed is tried again after a backoff (1 s doubling to 30 s, per key, as
 * client-go's rate-limited queue); a pass whose outcome depends on time (minReadySeconds, a progress
 * deadline) asks to be run again after a delay (controller-runtime's RequeueAfter). A periodic resync queues
 * every key, so whatever was missed is repaired within it; it is a safety net, not the clock the
 * controllers run on, so it can be long (at 5,000 Deployments a resync every 2 s was thousands of
 * passes a second that found nothing to do).
 *
 * <p>Reconcilers read from this member's index and write through the entities; they keep no state
 * of their own that matters, so the loop can run as a cluster singleton and start over elsewhere.
 */
public final class ControllerLoop {

  /** One controller's logic, as the loop drives it. */
  public interface Reconciler {
    /** The kind whose keys ({@code namespace/name}) are queued and reconciled. */
    String primaryKind();

    /** The kinds whose changes may concern a primary object (the primary kind included). */
    List<String> watchedKinds();

    /** The primary keys a change of an object (of {@code change.kind()}) concerns; cheap, no I/O. */
    List<String> keysFor(Informer.ObjectEvent change);

    /**
     * Brings the primary object at {@code key} toward its desired state; may be called for a
     * deleted one. Completes with how soon to look again though nothing changes, or null.
     */
    CompletionStage<Duration> reconcile(String key);
  }

  /** The first retry of a failed pass; each further failure doubles it, up to {@link #MAX_BACKOFF}. */
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private sealed interface Msg {}

  private record Informed(Informer.Event event) implements Msg {}

  private record Done(String key, Duration recheckAfter, Throwable error) implements Msg {}

  private record Recheck(String key) implements Msg {}

  private record Resynced(List<String> keys) implements Msg {}

  private enum Tick implements Msg { RESYNC }

  private ControllerLoop() {}

  /**
   * @param resync how often every key is queued, whatever happened (the safety net)
   * @param workers reconciles in flight at once (different keys)
   */
  public static Behavior<Object> create(String name, Registry registry, Reconciler reconciler, Duration resync,
      int workers) {
    return Behaviors.<Msg>setup(context -> Behaviors.withTimers(timers ->
        new Loop(name, registry, reconciler, workers, context, timers).start(resync))).unsafeCast();
  }

  /** The queue and its bookkeeping; runs on the loop's actor only. */
  private static final class Loop {
    private final String name;
    private final Registry registry;
    private final Reconciler reconciler;
    private final int workers;
    private final ActorContext<Msg> context;
    private final TimerScheduler<Msg> timers;
    private final LinkedHashSet<String> queue = new LinkedHashSet<>();
    private final Set<String> running = new HashSet<>();
    /** Keys that changed while being reconciled: run again when that pass ends. */
    private final Set<String> dirty = new HashSet<>();
    private final Map<String, Integer> failures = new HashMap<>();
    /** Keys with a recheck timer, and when (System.nanoTime) it fires. */
    private final Map<String, Long> rechecks = new HashMap<>();

    Loop(String name, Registry registry, Reconciler reconciler, int workers,
        ActorContext<Msg> context,
        TimerScheduler<Msg> timers) {
      this.name = name;
      this.registry = registry;
      this.reconciler = reconciler;
      this.workers = workers;
      this.context = context;
      this.timers = timers;
    }

    Behavior<Msg> start(Duration resync) {
      ActorRef<Informer.Event> informed = context.messageAdapter(Informer.Event.class, Informed::new);
      for (String kind : reconciler.watchedKinds()) {
        context.spawn(Informer.create(registry, Informer.Selection.of(kind), informed),
            kind.toLowerCase() + "-informer");
      }
      timers.startTimerWithFixedDelay(Tick.RESYNC, resync);
      return Behaviors.receive(Msg.class)
          .onMessage(Informed.class, i -> onInformed(i.event()))
          .onMessageEquals(Tick.RESYNC, this::resync)
          .onMessage(Resynced.class, r -> {
            r.keys().forEach(this::enqueue);
            dispatch();
            return Behaviors.same();
          })
          .onMessage(Recheck.class, r -> {
            rechecks.remove(r.key());
            enqueue(r.key());
            dispatch();
            return Behaviors.same();
          })
          .onMessage(Done.class, this::onDone)
          .build();
    }

    private Behavior<Msg> onInformed(Informer.Event event) {
      if (event instanceof Informer.ObjectEvent change) {
        reconciler.keysFor(change).forEach(this::enqueue);
        dispatch();
      } else if (event instanceof Informer.Relisted) {
        // Its watch failed: whatever it missed concerns keys no change may name now. Look at all.
        context.getLog().info("{}: {} relisted, reconciling every {}", name, event.kind(), reconciler.primaryKind());
        return resync();
      }
      return Behaviors.same();
    }

    /**
     * Queues every primary key. From the index, not from the informer: the safety net catches what
     * the informer itself may have missed.
     */
    private Behavior<Msg> resync() {
      context.pipeToSelf(registry.list(reconciler.primaryKind(), null, o -> true, 0, null),
          (list, error) -> new Resynced(error != null || list.failure() != null ? List.of()
              : list.items().stream().map(ControllerLoop::key).toList()));
      return Behaviors.same();
    }

    private Behavior<Msg> onDone(Done d) {
      running.remove(d.key());
      if (d.error() != null) {
        int failed = failures.merge(d.key(), 1, Integer::sum);
        Duration backoff = FIRST_BACKOFF.multipliedBy(1L << Math.min(failed - 1, 5));
        if (backoff.compareTo(MAX_BACKOFF) > 0) backoff = MAX_BACKOFF;
        context.getLog().warn("{}: reconciling {} failed ({} in a row), again in {} ms: {}", name, d.key(), failed,
            backoff.toMillis(), d.error().toString());
        recheck(d.key(), backoff);
      } else {
        failures.remove(d.key());
        if (d.recheckAfter() != null) recheck(d.key(), d.recheckAfter());
      }
      if (dirty.remove(d.key())) queue.add(d.key());
      dispatch();
      return Behaviors.same();
    }

    private void enqueue(String key) {
      boolean added = running.contains(key) ? dirty.add(key) : queue.add(key);
      if (added) {
        WorkqueueMetrics.added(name);
        WorkqueueMetrics.depth(name, queue.size());
      }
    }

    /** One timer per key: an earlier recheck replaces a later one, never the other way round. */
    private void recheck(String key, Duration after) {
      long due = System.nanoTime() + after.toNanos();
      Long scheduled = rechecks.get(key);
      if (scheduled != null && scheduled - due <= 0) return;
      rechecks.put(key, due);
      timers.startSingleTimer("recheck " + key, new Recheck(key), after);
    }

    private void dispatch() {
      var it = queue.iterator();
      while (it.hasNext() && running.size() < workers) {
        String key = it.next();
        if (running.contains(key)) continue;
        it.remove();
        running.add(key);
        CompletionStage<Duration> pass;
        try {
          pass = reconciler.reconcile(key);
        } catch (RuntimeException e) {
          pass = CompletableFuture.failedFuture(e);
        }
        context.pipeToSelf(pass, (after, error) -> new Done(key, after, error));
      }
      WorkqueueMetrics.depth(name, queue.size());
    }
  }

  /** {@code namespace/name}, or {@code name} for a cluster-scoped object. */
  public static String key(ObjectNode object) {
    String namespace = object.path("metadata").path("namespace").asText("");
    String name = object.path("metadata").path("name").asText();
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }

  /** The key of the controller owner of {@code object} if it is of {@code kind}. */
  public static List<String> ownerKey(ObjectNode object, String kind) {
    for (var ref : object.path("metadata").path("ownerReferences")) {
      if (ref.path("controller").asBoolean(false) && kind.equals(ref.path("kind").asText())) {
        return List.of(object.path("metadata").path("namespace").asText() + "/" + ref.path("name").asText());
      }
    }
    return List.of();
  }
}
