package dev.tugboat.registry;

import dev.tugboat.model.Codec;
import dev.tugboat.model.Event;
import dev.tugboat.model.ObjectMeta;
import dev.tugboat.model.ObjectReference;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Records Kubernetes-style Events about an object (what {@code kubectl describe} lists under
 * Events). An event is best effort, as in Kubernetes: a failure to record one never fails the work
 * it describes.
 */
public final class EventRecorder {
  private final Registry registry;
  private final String component;
  private final String host;

  public EventRecorder(Registry registry, String component, String host) {
    this.registry = registry;
    this.component = component;
    this.host = host;
  }

  /** {@code type} is Normal or Warning; {@code reason} a CamelCase word (Scheduled, FailedScheduling). */
  public CompletionStage<Result> record(ObjectReference involved, String type, String reason, String message) {
    Instant now = Instant.now();
    String namespace = involved.namespace() == null || involved.namespace().isEmpty() ? "default" : involved.namespace();
    // Kubernetes names events <object>.<unique hex>.
    String name = involved.name() + "." + Long.toHexString(now.toEpochMilli() * 1000 + ThreadLocalRandom.current().nextInt(1000));
    Event event = new Event("v1", "Event", ObjectMeta.named(namespace, name), involved, reason, message,
        new Event.Source(component, host), now.truncatedTo(ChronoUnit.SECONDS), now.truncatedTo(ChronoUnit.SECONDS), 1,
        type, null, null, component, host, null, null);
    return registry.create("Event", namespace, Codec.toObjectNode(event));
  }
}
