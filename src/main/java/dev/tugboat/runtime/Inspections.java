package dev.tugboat.runtime;

import dev.tugboat.runtime.ContainerRuntime.ContainerInfo;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Docker's inspections of containers, reused while the engine's listing shows a container as it was
 * when it was inspected: the same state and the same status line. What an inspection gives (image,
 * labels, exit code, start and finish times, error) changes only when the container starts or stops,
 * and either changes the listing: the state, or the status line's "Up 5 minutes" / "Exited (1) 2
 * seconds ago", which also tells a container restarted in place within one poll from the run before.
 *
 * <p>Why: every pod's worker lists its containers every second, and an inspection per container cost
 * about a tenth of a member's CPU with two pods under load (JFR of {@code tug bench ingress}), in
 * bursts that a latency-sensitive path on the same member (the ingress) felt.
 */
final class Inspections {
  /** A container as the engine's listing shows it. */
  record Listed(String id, String state, String status) {}

  private record Entry(Listed listed, ContainerInfo info) {}

  private final Map<String, Entry> byId = new ConcurrentHashMap<>();

  /** The inspection of a listed container: the one kept if the listing still shows it the same, else a new one. */
  ContainerInfo of(Listed listed, Function<String, ContainerInfo> inspect) {
    Entry known = byId.get(listed.id());
    if (known != null && known.listed().equals(listed)) return known.info();
    ContainerInfo info = inspect.apply(listed.id());
    byId.put(listed.id(), new Entry(listed, info));
    return info;
  }

  /** Forgets a container that is gone (removed, or not found by an inspection). */
  void forget(String id) {
    byId.remove(id);
  }

  /**
   * After a listing filtered by {@code labels}: forgets the containers kept that carry all those labels
   * but were not listed, so that containers removed by anyone do not stay here.
   */
  void retainListed(Map<String, String> labels, Set<String> listed) {
    byId.values().removeIf(e -> !listed.contains(e.listed().id())
        && e.info().labels().entrySet().containsAll(labels.entrySet()));
  }

  int size() {
    return byId.size();
  }
}
