package dev.tugboat.scheduler;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * The pending pods in the order kube-scheduler's PrioritySort takes them: highest
 * {@code spec.priority} first, then the one that came first (arrival order, which follows creation).
 * A pod put again keeps its place unless its priority changed. Pure; not thread-safe (the
 * scheduler's actor owns it).
 */
final class SchedulingQueue implements Iterable<PodRequest> {
  private record Place(int priority, long seq) implements Comparable<Place> {
    @Override
    public int compareTo(Place o) {
      int byPriority = Integer.compare(o.priority, priority);
      return byPriority != 0 ? byPriority : Long.compare(seq, o.seq);
    }
  }

  private final TreeMap<Place, PodRequest> ordered = new TreeMap<>();
  private final Map<String, Place> places = new HashMap<>();
  private long nextSeq;

  /** Adds or replaces the pod at {@code key}. */
  void put(String key, PodRequest pod) {
    Place place = places.get(key);
    if (place != null && place.priority() != pod.priority()) {
      ordered.remove(place);
      place = null;
    }
    if (place == null) {
      place = new Place(pod.priority(), nextSeq++);
      places.put(key, place);
    }
    ordered.put(place, pod);
  }

  void putIfAbsent(String key, PodRequest pod) {
    if (!places.containsKey(key)) put(key, pod);
  }

  void remove(String key) {
    Place place = places.remove(key);
    if (place != null) ordered.remove(place);
  }

  boolean contains(String key) {
    return places.containsKey(key);
  }

  int size() {
    return places.size();
  }

  /** The pods in order; {@code remove()} takes the last one returned out of the queue. */
  @Override
  public Iterator<PodRequest> iterator() {
    Iterator<Map.Entry<Place, PodRequest>> it = ordered.entrySet().iterator();
    return new Iterator<>() {
      private PodRequest last;

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public PodRequest next() {
        if (!it.hasNext()) throw new NoSuchElementException();
        last = it.next().getValue();
        return last;
      }

      @Override
      public void remove() {
        it.remove();
        places.remove(last.key());
      }
    };
  }
}
