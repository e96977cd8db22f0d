package dev.tugboat.scheduler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's nodes in a fixed order, found by position as a search walks them and by name as
 * changes arrive. A search reads hundreds of nodes per pod: by position it is an array read, where
 * a lookup by name per node examined took a quarter of the scheduler's time at 5,000 nodes
 * ({@code tug bench schedule}, docs/benchmarks.md round 6). Not thread-safe: the scheduler's actor owns it.
 */
final class NodeTable {
  private final List<NodeSnapshot> byPosition = new ArrayList<>();
  private final Map<String, Integer> positions = new HashMap<>();
  private final List<NodeSnapshot> view = Collections.unmodifiableList(byPosition);

  NodeSnapshot get(String name) {
    Integer i = positions.get(name);
    return i == null ? null : byPosition.get(i);
  }

  /** Replaces the node of this name where it stands, or adds it last; true when it is new. */
  boolean put(NodeSnapshot node) {
    Integer i = positions.get(node.name());
    if (i != null) {
      byPosition.set(i, node);
      return false;
    }
    positions.put(node.name(), byPosition.size());
    byPosition.add(node);
    return true;
  }

  /** Removes the node; the last one takes its place (the order is only where searches begin). */
  boolean remove(String name) {
    Integer i = positions.remove(name);
    if (i == null) return false;
    NodeSnapshot last = byPosition.remove(byPosition.size() - 1);
    if (i < byPosition.size()) {
      byPosition.set(i, last);
      positions.put(last.name(), i);
    }
    return true;
  }

  int size() {
    return byPosition.size();
  }

  /** The nodes in order, as a read-only list that follows every change. */
  List<NodeSnapshot> inOrder() {
    return view;
  }
}
