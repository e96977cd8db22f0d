package dev.tugboat.scheduler;

import static dev.tugboat.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pending queue: by priority, then arrival; a pod put again keeps its place. */
class SchedulingQueueTest {
  private static PodRequest p(String name, int priority) {
    return pod(name, "100m", "64Mi").withPriority(priority, true);
  }

  private static List<String> order(SchedulingQueue q) {
    List<String> names = new ArrayList<>();
    q.forEach(p -> names.add(p.name()));
    return names;
  }

  @Test
  void highestPriorityFirstThenArrival() {
    SchedulingQueue q = new SchedulingQueue();
    for (PodRequest p : List.of(p("a", 0), p("b", 100), p("c", 0), p("d", 2_000_000_000), p("e", 100), p("f", -5))) {
      q.put(p.key(), p);
    }
    assertEquals(List.of("d", "b", "e", "a", "c", "f"), order(q));
    q.put("default/a", p("a", 0)); // an update keeps its place
    q.putIfAbsent("default/c", p("c", 7)); // present: ignored
    assertEquals(List.of("d", "b", "e", "a", "c", "f"), order(q));
    q.put("default/c", p("c", 100)); // its priority changed: behind those of that priority that came first
    assertEquals(List.of("d", "b", "e", "c", "a", "f"), order(q));
  }

  @Test
  void theIteratorRemovesWhatItReturned() {
    SchedulingQueue q = new SchedulingQueue();
    for (PodRequest p : List.of(p("a", 1), p("b", 2), p("c", 3))) q.put(p.key(), p);
    Iterator<PodRequest> it = q.iterator();
    assertEquals("c", it.next().name());
    assertEquals("b", it.next().name());
    it.remove();
    assertEquals(2, q.size());
    assertEquals(List.of("c", "a"), order(q));
    q.remove("default/a");
    assertEquals(List.of("c"), order(q));
    q.put("default/b", p("b", 2));
    assertEquals(List.of("c", "b"), order(q));
  }
}
