package dev.tugboat.proxy;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the connections to one Service port go: its ready backends, taken in turn, or (with
 * {@code sessionAffinity: ClientIP}) the same backend for the same client while it stays ready.
 * Read by every accepted connection, replaced whole by the proxy when endpoints change.
 */
final class Route {
  private record Sticky(ServiceBackends.Backend backend, long lastUsedNanos) {}

  final String service;
  private volatile List<ServiceBackends.Backend> backends = List.of();
  private volatile boolean clientIpAffinity;
  private final long affinityTimeoutNanos;
  private final AtomicInteger next = new AtomicInteger();
  private final Map<InetAddress, Sticky> sticky = new ConcurrentHashMap<>();

  Route(String service, long affinityTimeoutSeconds) {
    this.service = service;
    this.affinityTimeoutNanos = affinityTimeoutSeconds * 1_000_000_000L;
  }

  void update(List<ServiceBackends.Backend> ready, boolean clientIpAffinity) {
    this.backends = List.copyOf(ready);
    this.clientIpAffinity = clientIpAffinity;
    sticky.values().removeIf(s -> !ready.contains(s.backend()));
  }

  List<ServiceBackends.Backend> backends() {
    return backends;
  }

  /** The backend for a new connection from {@code client}; null when none is ready. */
  ServiceBackends.Backend choose(InetAddress client) {
    List<ServiceBackends.Backend> current = backends;
    if (current.isEmpty()) return null;
    long now = System.nanoTime();
    if (clientIpAffinity) {
      Sticky s = sticky.get(client);
      if (s != null && now - s.lastUsedNanos() < affinityTimeoutNanos && current.contains(s.backend())) {
        sticky.put(client, new Sticky(s.backend(), now));
        return s.backend();
      }
    }
    ServiceBackends.Backend chosen = current.get(Math.floorMod(next.getAndIncrement(), current.size()));
    if (clientIpAffinity) sticky.put(client, new Sticky(chosen, now));
    return chosen;
  }
}
