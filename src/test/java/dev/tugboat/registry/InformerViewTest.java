package dev.tugboat.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an informer tells its owner about a list, a relist and each watch event: its rules, without actors. */
class InformerViewTest {
  private final InformerView view = new InformerView("Pod");

  @Test
  void theFirstListIsToldAsAddedThenSynced() {
    assertEquals(List.of("Added a", "Added b", "Synced 2"), describe(view.replace(listing(10, pod("a", 1), pod("b", 2)))));
    assertEquals(10, view.version());
    assertTrue(view.synced());
  }

  @Test
  void watchEventsAreToldByWhatTheViewHoldsAndOnlyWhenNewer() {
    view.replace(listing(10, pod("a", 5)));
    assertEquals(List.of("Modified a"), describe(view.apply(event("MODIFIED", pod("a", 11)))));
    assertEquals(List.of(), describe(view.apply(event("MODIFIED", pod("a", 11)))), "a change seen twice is told once");
    assertEquals(List.of(), describe(view.apply(event("MODIFIED", pod("a", 9)))), "an older state is no news");
    assertEquals(List.of("Added b"), describe(view.apply(event("MODIFIED", pod("b", 12)))),
        "new to the view: Added, whatever the source called it");
    assertEquals(List.of("Modified b"), describe(view.apply(event("ADDED", pod("b", 13)))));
    assertEquals(List.of("Deleted a"), describe(view.apply(event("DELETED", pod("a", 14)))));
    assertEquals(List.of(), describe(view.apply(event("DELETED", pod("z", 15)))), "never held: nothing to tell");
    assertEquals(15, view.version());
    assertEquals(1, view.size());
  }

  @Test
  void anotherObjectUnderTheSameNameIsTheOldOneDeletedAndTheNewOneAdded() {
    view.replace(listing(10, pod("a", 5, "uid-1")));
    List<Informer.Event> events = view.apply(event("MODIFIED", pod("a", 12, "uid-2")));
    assertEquals(List.of("Deleted a", "Added a"), describe(events));
    assertEquals("uid-1", ((Informer.Deleted) events.get(0)).object().path("metadata").path("uid").asText());
    assertEquals(List.of(), describe(view.apply(event("DELETED", pod("a", 13, "uid-1")))),
        "the deletion of the earlier one says nothing of the one held");
  }

  @Test
  void aRelistTellsOnlyTheDifferencesThenRelisted() {
    view.replace(listing(10, pod("a", 1), pod("b", 2), pod("c", 3)));
    List<Informer.Event> events = view.replace(listing(20, pod("a", 1), pod("c", 15), pod("d", 16)));
    assertEquals(List.of("Deleted b", "Modified c", "Added d", "Relisted 3"), describe(events));
    Informer.Modified modified = (Informer.Modified) events.get(1);
    assertEquals("3", modified.previous().path("metadata").path("resourceVersion").asText());
    assertEquals(20, view.version(), "a watch resumes after the list");
  }

  @Test
  void bookmarksMoveTheVersionAndTellNothing() {
    view.replace(listing(10));
    ObjectNode bookmark = JsonNodeFactory.instance.objectNode();
    bookmark.putObject("metadata").put("resourceVersion", "42");
    assertEquals(List.of(), view.apply(new WatchEvent("BOOKMARK", bookmark)));
    assertEquals(42, view.version());
  }

  @Test
  void theBackoffDoublesWithJitterUpToItsMaximum() {
    Informer.Backoff backoff = new Informer.Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    assertEquals(Duration.ofMillis(1000), backoff.delay(1, 0.5));
    assertEquals(Duration.ofMillis(2000), backoff.delay(2, 0.5));
    assertEquals(Duration.ofMillis(16000), backoff.delay(5, 0.5));
    assertEquals(Duration.ofMillis(30000), backoff.delay(6, 0.5));
    assertEquals(Duration.ofMillis(30000), backoff.delay(1000, 0.5));
    assertEquals(Duration.ofMillis(800), backoff.delay(1, 0.0), "20 % below");
    assertEquals(Duration.ofMillis(1199), backoff.delay(1, 0.999), "up to 20 % above");
  }

  static ObjectNode pod(String name, long version) {
    return pod(name, version, "uid-" + name);
  }

  static ObjectNode pod(String name, long version, String uid) {
    ObjectNode pod = JsonNodeFactory.instance.objectNode();
    pod.put("kind", "Pod").putObject("metadata").put("name", name).put("namespace", "default").put("uid", uid)
        .put("resourceVersion", Long.toString(version));
    return pod;
  }

  static ListWatch.Listing listing(long version, ObjectNode... items) {
    return new ListWatch.Listing(List.of(items), version);
  }

  private static WatchEvent event(String type, ObjectNode object) {
    return new WatchEvent(type, object);
  }

  /** "Added a", "Synced 2": the event's type and its object's name, or the count of a signal. */
  static List<String> describe(List<Informer.Event> events) {
    return events.stream().map(InformerViewTest::describe).toList();
  }

  static String describe(Informer.Event e) {
    if (e instanceof Informer.Synced s) return "Synced " + s.objects();
    if (e instanceof Informer.Relisted r) return "Relisted " + r.objects();
    return e.getClass().getSimpleName() + " " + ((Informer.ObjectEvent) e).object().path("metadata").path("name").asText();
  }
}
