package dev.tugboat.registry;

import io.prometheus.metrics.core.metrics.Counter;
import java.util.Map;
import java.util.TreeMap;

/**
 * Events persisted by this JVM's entities, per kind ({@code tugboat_registry_events_persisted_total}
 * in the default Prometheus registry, served by {@code /metrics}; read by the scale benchmark too).
 */
public final class RegistryMetrics {
  private static final Counter PERSISTED = Counter.builder()
      .name("tugboat_registry_events_persisted_total")
      .help("Events persisted by this member's entities, by kind")
      .labelNames("kind")
      .register();

  private static final Counter EVENTS_DROPPED = Counter.builder()
      .name("tugboat_events_dropped_total")
      .help("Kubernetes Events not written because their recorder's queue was full, by component")
      .labelNames("component")
      .register();

  private RegistryMetrics() {}

  static void eventDropped(String component) {
    EVENTS_DROPPED.labelValues(component).inc();
  }

  /** Events persisted since this JVM started, all kinds together. */
  public static long persistedTotal() {
    return persistedByKind().values().stream().mapToLong(Long::longValue).sum();
  }

  /** Events (the Kubernetes kind) dropped since this JVM started, all components together. */
  public static long eventsDropped() {
    return (long) EVENTS_DROPPED.collect().getDataPoints().stream().mapToDouble(p -> p.getValue()).sum();
  }

  static void persisted(String kind) {
    PERSISTED.labelValues(kind).inc();
  }

  /** Events persisted per kind since this JVM started. */
  public static Map<String, Long> persistedByKind() {
    Map<String, Long> result = new TreeMap<>();
    PERSISTED.collect().getDataPoints().forEach(p -> result.put(p.getLabels().get("kind"), (long) p.getValue()));
    return result;
  }
}
