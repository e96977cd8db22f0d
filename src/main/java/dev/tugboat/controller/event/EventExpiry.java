package dev.tugboat.controller.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.Writes;
import dev.tugboat.registry.Registry;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Events live for a while, then go: kube-apiserver's {@code --event-ttl} (1 h), which etcd enforces
 * with a lease on each Event. Here a pass every {@code period} deletes the Events last seen longer
 * than the TTL ago, so that the history of a busy cluster does not grow without end in the index
 * of every member and in the journal.
 */
public final class EventExpiry {
  private enum Tick { INSTANCE }

  private final Writes writes;
  private final Duration ttl;

  private EventExpiry(Registry registry, Duration ttl) {
    this.writes = new Writes(registry);
    this.ttl = ttl;
  }

  public static Behavior<Object> create(Registry registry, Duration ttl, Duration period) {
    EventExpiry expiry = new EventExpiry(registry, ttl);
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startSingleTimer(Tick.INSTANCE, period);
      return Behaviors.receiveMessage(message -> {
        if (message == Tick.INSTANCE) {
          context.pipeToSelf(expiry.pass(Instant.now()), (deleted, error) -> {
            if (error != null) context.getLog().warn("Event expiry pass failed: {}", error.toString());
            else if (deleted > 0) context.getLog().debug("Deleted {} expired Events", deleted);
            return "done";
          });
        } else {
          timers.startSingleTimer(Tick.INSTANCE, period);
        }
        return Behaviors.same();
      });
    }));
  }

  /** Deletes every expired Event; answers how many it asked to delete. */
  CompletionStage<Integer> pass(Instant now) {
    return writes.list("Event", null).thenCompose(events -> {
      List<CompletableFuture<?>> deletes = new ArrayList<>();
      for (ObjectNode e : events) {
        if (expired(e, now, ttl)) {
          deletes.add(writes.delete("Event", Meta.namespace(e), Meta.name(e), Meta.uid(e)).toCompletableFuture());
        }
      }
      return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new)).thenApply(v -> deletes.size());
    });
  }

  /** Whether the Event was last seen (its newest time of any kind) longer than {@code ttl} before {@code now}. */
  static boolean expired(JsonNode event, Instant now, Duration ttl) {
    Instant last = null;
    for (JsonNode t : List.of(event.path("lastTimestamp"), event.path("eventTime"),
        event.path("series").path("lastObservedTime"), event.path("metadata").path("creationTimestamp"))) {
      Instant at = parse(t);
      if (at != null && (last == null || at.isAfter(last))) last = at;
    }
    // times are written to the second (truncated): one more second, so that no Event goes early
    return last != null && last.plus(ttl).plusSeconds(1).isBefore(now);
  }

  private static Instant parse(JsonNode time) {
    if (!time.isTextual() || time.asText().isEmpty()) return null;
    try {
      return Instant.parse(time.asText());
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
