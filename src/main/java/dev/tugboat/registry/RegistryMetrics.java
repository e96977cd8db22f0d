package dev.tugboat.registry;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of this JVM's entities, read by {@code /metrics}. */
public final class RegistryMetrics {
  private static final Map<String, LongAdder> PERSISTED = new ConcurrentHashMap<>();

  private RegistryMetrics() {}

  static void persisted(String kind) {
    PERSISTED.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  /** Events persisted per kind since this JVM started. */
  public static Map<String, Long> persistedByKind() {
    Map<String, Long> result = new TreeMap<>();
    PERSISTED.forEach((k, v) -> result.put(k, v.sum()));
    return result;
  }
}
