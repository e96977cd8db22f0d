package dev.tugboat.proxy;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the connections to one Service port go: its ready backends, taken in turn, or (with
 * {@code sessionAffinity: ClientIP}) the same backend for the same client while it stays ready and
 * the client's last connection is less than {@code sessionAffinityConfig.clientIP.timeoutSeconds}
 * old. Read by every accepted connection, replaced whole by the proxy when endpoints change.
 */
final class Route {
  private record Sticky(ServiceBackends.Backend backend, long lastUsedNanos) {}

  final String service;
  private volatile List<ServiceBackends.Backend> backends = List.of();
  private volatile boolean clientIpAffinity;
  private volatile long affinityTimeoutNanos;
  private final AtomicInteger next = new AtomicInteger();
  /** Clients' endpoints; entries go when their endpoint does or their time is up (at the next update). */
  private final Map<InetAddress, Sticky> sticky = new ConcurrentHashMap<>();

  Route(String service) {
    this.service = service;
  }

  /**
   * @param clientIpAffinity whether a client keeps its endpoint
   * @param affinityTimeoutSeconds for how long after its last connection
   */
  void update(List<ServiceBackends.Backend> ready, boolean clientIpAffinity, long affinityTimeoutSeconds) {
    this.backends = List.copyOf(ready);
    this.clientIpAffinity = clientIpAffinity;
    this.affinityTimeoutNanos = affinityTimeoutSeconds * 1_000_000_000L;
    long now = System.nanoTime();
    sticky.values().removeIf(s -> !ready.contains(s.backend()) || now - s.lastUsedNanos() >= affinityTimeoutNanos);
    if (!clientIpAffinity) sticky.clear();
  }

  List<ServiceBackends.Backend> backends() {
    return backends;
  }

  /** The backend for a new connection from {@code client}; null when none is ready. */
  ServiceBackends.Backend choose(InetAddress client) {
    return choose(client, System.nanoTime());
  }

  /** {@link #choose(InetAddress)} at {@code now} (System.nanoTime): tests pass the clock. */
  ServiceBackends.Backend choose(InetAddress client, long now) {
    List<ServiceBackends.Backend> current = backends;
    if (current.isEmpty()) return null;
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
