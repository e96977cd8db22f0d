package dev.tugboat.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import dev.tugboat.model.Event;
import dev.tugboat.model.ObjectMeta;
import dev.tugboat.model.ObjectReference;
import dev.tugboat.model.Status;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;

/**
 * Records Kubernetes-style Events about an object (what {@code kubectl describe} lists under
 * Events). An event is best effort, as in Kubernetes: a failure to record one never fails the work
 * it describes.
 *
 * <p>Writes are paced as client-go's event broadcaster paces them: a few at a time per recorder,
 * the rest queued, and past {@link #MAX_QUEUED} queued a new event is dropped (counted in
 * {@code tugboat_events_dropped_total}). An Event is a new object, so its write costs a new entity's
 * reads as well as the write; unpaced, a burst of them (a scheduler binding hundreds of pods a
 * second, each with its {@code Scheduled} Event) took two thirds of the store's capacity from the
 * work the Events describe.
 */
public final class EventRecorder {
  /** client-go's maxQueuedEvents: events waiting for a write, per recorder. */
  static final int MAX_QUEUED = 1000;
  /** Event writes in flight at once, per recorder (client-go writes one at a time per sink). */
  static final int MAX_IN_FLIGHT = 4;
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EventRecorder.class);

  private final BiFunction<String, ObjectNode, CompletionStage<Result>> create;
  private final Executor executor;
  private final String component;
  private final String host;
  private final ArrayDeque<Pending> queued = new ArrayDeque<>();
  private int inFlight;
  private long dropped;

  private record Pending(String namespace, ObjectNode event, CompletableFuture<Result> done) {}

  public EventRecorder(Registry registry, String component, String host) {
    // the next write is sent from a pool thread: a write that completed at once (refused before
    // reaching its entity) must not recurse through the whole queue on one stack
    this((namespace, event) -> registry.create("Event", namespace, event), ForkJoinPool.commonPool(), component, host);
  }

  /** A recorder whose writes go to {@code create} (namespace, Event), the next one sent on {@code executor}. */
  EventRecorder(BiFunction<String, ObjectNode, CompletionStage<Result>> create, Executor executor, String component,
      String host) {
    this.create = create;
    this.executor = executor;
    this.component = component;
    this.host = host;
  }

  /**
   * {@code type} is Normal or Warning; {@code reason} a CamelCase word (Scheduled, FailedScheduling).
   * Completes with the create's result once written, or with a 429 {@code Status} if it was dropped.
   */
  public CompletionStage<Result> record(ObjectReference involved, String type, String reason, String message) {
    Instant now = Instant.now();
    String namespace = involved.namespace() == null || involved.namespace().isEmpty() ? "default" : involved.namespace();
    // Kubernetes names events <object>.<unique hex>.
    String name = involved.name() + "." + Long.toHexString(now.toEpochMilli() * 1000 + ThreadLocalRandom.current().nextInt(1000));
    Event event = new Event("v1", "Event", ObjectMeta.named(namespace, name), involved, reason, message,
        new Event.Source(component, host), now.truncatedTo(ChronoUnit.SECONDS), now.truncatedTo(ChronoUnit.SECONDS), 1,
        type, null, null, component, host, null, null);
    Pending pending = new Pending(namespace, Codec.toObjectNode(event), new CompletableFuture<>());
    boolean send;
    synchronized (this) {
      send = inFlight < MAX_IN_FLIGHT;
      if (send) {
        inFlight++;
      } else if (queued.size() < MAX_QUEUED) {
        queued.add(pending);
      } else {
        drop(reason, involved);
        return CompletableFuture.completedFuture(new Result.Failed(Status.failure(429, "TooManyRequests",
            "event dropped: " + MAX_QUEUED + " events of " + component + " already wait to be written", null)));
      }
    }
    if (send) write(pending);
    return pending.done();
  }

  private void write(Pending pending) {
    CompletionStage<Result> written;
    try {
      written = create.apply(pending.namespace(), pending.event());
    } catch (RuntimeException e) {
      written = CompletableFuture.failedFuture(e); // its place in flight is freed all the same
    }
    written.whenCompleteAsync((result, error) -> {
      if (error != null) pending.done().completeExceptionally(error);
      else pending.done().complete(result);
      Pending next;
      synchronized (this) {
        next = queued.poll();
        if (next == null) inFlight--;
      }
      if (next != null) write(next);
    }, executor);
  }

  private void drop(String reason, ObjectReference involved) {
    // called holding the lock
    dropped++;
    RegistryMetrics.eventDropped(component);
    if (dropped == 1 || dropped % 1000 == 0) {
      log.warn("{}: {} event(s) dropped so far, the queue of {} being full (the last: {} of {}/{})", component,
          dropped, MAX_QUEUED, reason, involved.namespace(), involved.name());
    }
  }
}
