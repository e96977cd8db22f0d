package dev.tugboat.controller.nodelifecycle;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * When each node last renewed its lease, on the lifecycle controller's clock, and which nodes are
 * therefore stale. Plain Java: renewals arrive on the controller's actor, passes run on whichever
 * thread completes the list, so every method is synchronized.
 */
final class Leases {
  /** When a node was last heard from; {@code renewed}: heard from at all (else: first listed then). */
  private record Seen(long atNanos, boolean renewed) {}

  private final Duration grace;
  private final Duration startupGrace;
  private final Map<String, Seen> seen = new HashMap<>();
  private Set<String> notReady = Set.of();

  /**
   * @param grace how long a node may go without renewing before it is stale
   * @param startupGrace the same for a node not heard from since this controller started
   */
  Leases(Duration grace, Duration startupGrace) {
    this.grace = grace;
    this.startupGrace = startupGrace;
  }

  /**
   * A renewal from {@code node}; answers whether its Node in the store says Ready, as of the last
   * pass (a node not listed yet counts as current: its agent has just registered it).
   */
  synchronized boolean renew(String node, long nowNanos) {
    seen.put(node, new Seen(nowNanos, true));
    return !notReady.contains(node);
  }

  /**
   * A pass over every node in the store ({@code readyInStore}: its name and whether its Ready
   * condition is True); returns the stale ones. Nodes no longer in the store are forgotten.
   */
  synchronized Set<String> stale(Map<String, Boolean> readyInStore, long nowNanos) {
    seen.keySet().retainAll(readyInStore.keySet());
    Set<String> notReadyNow = new HashSet<>();
    Set<String> stale = new HashSet<>();
    readyInStore.forEach((node, ready) -> {
      if (!ready) notReadyNow.add(node);
      Seen last = seen.computeIfAbsent(node, n -> new Seen(nowNanos, false));
      if (nowNanos - last.atNanos() > (last.renewed() ? grace : startupGrace).toNanos()) stale.add(node);
    });
    notReady = notReadyNow;
    return stale;
  }
}
