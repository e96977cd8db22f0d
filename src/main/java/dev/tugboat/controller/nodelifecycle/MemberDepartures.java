package dev.tugboat.controller.nodelifecycle;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * When each node's cluster member was first seen gone from the membership, on the lifecycle
 * controller's clock, and so whether the node is fenced: gone for at least the margin, which
 * outlasts the agent's own fence ({@link dev.tugboat.protocol.Fencing}). A controller that has just
 * started counts from its first look, so a failover only ever delays an eviction. Synchronized:
 * passes complete on whichever thread answers the list.
 */
final class MemberDepartures {
  private final Duration margin;
  private final Map<String, Long> goneSince = new HashMap<>();

  MemberDepartures(Duration margin) {
    this.margin = margin;
  }

  /**
   * @param member the node's member address (its annotation), null when it never said: such a
   *     node is never fenced, as Kubernetes never knows a node's pods are dead
   * @param present the addresses of every member in the membership now, whatever its status
   */
  synchronized boolean fenced(String member, Set<String> present, long nowNanos) {
    if (member == null || member.isEmpty()) return false;
    if (present.contains(member)) {
      goneSince.remove(member);
      return false;
    }
    long since = goneSince.computeIfAbsent(member, m -> nowNanos);
    return nowNanos - since >= margin.toNanos();
  }

  /** How long the member has been seen gone, for messages; zero when it is not. */
  synchronized Duration goneFor(String member, long nowNanos) {
    Long since = member == null ? null : goneSince.get(member);
    return since == null ? Duration.ZERO : Duration.ofNanos(nowNanos - since);
  }
}
