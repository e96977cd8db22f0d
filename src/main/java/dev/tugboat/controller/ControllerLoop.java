package dev.tugboat.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.WatchEvent;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * The loop every controller runs, as kube-controller-manager's informers and work queues do: watches
 * of the kinds a controller cares about turn changes into keys of its primary kind; a key is
 * reconciled by at most one worker at a time (a change arriving meanwhile runs it again after); a
 * periodic resync queues every key, so a missed change or a failed pass is repaired within it.
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

    /** The primary keys a change of an object of {@code kind} concerns; cheap, no I/O. */
    List<String> keysFor(String kind, ObjectNode object);

    /** Brings the primary object at {@code key} toward its desired state; may be called for a deleted one. */
    CompletionStage<Void> reconcile(String key);
  }

  private sealed interface Msg {}

  private record Changed(String kind, WatchEvent event) implements Msg {}

  private record WatchEnded(String kind, String why) implements Msg {}

  private record Rewatch(String kind) implements Msg {}

  private record Done(String key, Throwable error) implements Msg {}

  private record Resynced(List<String> keys) implements Msg {}

  private enum Tick implements Msg { RESYNC }

  private ControllerLoop() {}

  /**
   * @param workers reconciles in flight at once (different keys)
   */
  public static Behavior<Object> create(String name, Registry registry, Reconciler reconciler, Duration resync,
      int workers) {
    return Behaviors.<Msg>setup(context -> Behaviors.withTimers(timers -> {
      LinkedHashSet<String> queue = new LinkedHashSet<>();
      Set<String> running = new HashSet<>();
      Set<String> dirty = new HashSet<>();
      ActorRef<Msg> self = context.getSelf();

      Runnable dispatch = () -> {
        var it = queue.iterator();
        while (it.hasNext() && running.size() < workers) {
          String key = it.next();
          if (running.contains(key)) continue;
          it.remove();
          running.add(key);
          CompletionStage<Void> pass;
          try {
            pass = reconciler.reconcile(key);
          } catch (RuntimeException e) {
            pass = java.util.concurrent.CompletableFuture.failedFuture(e);
          }
          context.pipeToSelf(pass, (ok, error) -> new Done(key, error));
        }
      };
      java.util.function.Consumer<String> watch = kind -> registry.watch(kind, null, o -> true, -1, false)
          .runWith(Sink.foreach(e -> self.tell(new Changed(kind, e))), context.getSystem())
          .whenComplete((done, error) -> self.tell(new WatchEnded(kind, error == null ? "completed" : error.toString())));

      reconciler.watchedKinds().forEach(watch);
      timers.startTimerWithFixedDelay(Tick.RESYNC, resync);

      return Behaviors.receive(Msg.class)
          .onMessage(Changed.class, c -> {
            if (c.event().type().equals("ERROR")) {
              self.tell(new WatchEnded(c.kind(), c.event().object().path("message").asText()));
            } else if (!c.event().type().equals("BOOKMARK")) {
              for (String key : reconciler.keysFor(c.kind(), c.event().object())) {
                if (running.contains(key)) dirty.add(key);
                else queue.add(key);
              }
              dispatch.run();
            }
            return Behaviors.same();
          })
          .onMessage(WatchEnded.class, w -> {
            // Anything may have been missed: a new watch starts from a full list (ADDED for all).
            context.getLog().info("{}: {} watch ended ({}), watching again", name, w.kind(), w.why());
            timers.startSingleTimer("rewatch-" + w.kind(), new Rewatch(w.kind()), Duration.ofSeconds(1));
            return Behaviors.same();
          })
          .onMessage(Rewatch.class, r -> {
            watch.accept(r.kind());
            return Behaviors.same();
          })
          .onMessageEquals(Tick.RESYNC, () -> {
            context.pipeToSelf(registry.list(reconciler.primaryKind(), null, o -> true, 0, null),
                (list, error) -> new Resynced(error != null || list.failure() != null ? List.of()
                    : list.items().stream().map(ControllerLoop::key).toList()));
            return Behaviors.same();
          })
          .onMessage(Resynced.class, r -> {
            for (String key : r.keys()) if (!running.contains(key)) queue.add(key);
            dispatch.run();
            return Behaviors.same();
          })
          .onMessage(Done.class, d -> {
            running.remove(d.key());
            if (d.error() != null) {
              // Not retried at once: the resync brings it back, which is a natural backoff.
              context.getLog().warn("{}: reconciling {} failed: {}", name, d.key(), d.error().toString());
            }
            if (dirty.remove(d.key())) queue.add(d.key());
            dispatch.run();
            return Behaviors.same();
          })
          .build();
    })).unsafeCast();
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
