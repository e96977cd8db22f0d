package dev.tugboat.scheduler;

import static dev.tugboat.scheduler.Fixtures.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Nodes by position and by name: replaced in place, added last, a removed one's place taken by the last. */
class NodeTableTest {
  private static List<String> names(NodeTable t) {
    return t.inOrder().stream().map(NodeSnapshot::name).toList();
  }

  @Test
  void addsInOrderReplacesInPlaceAndFillsARemovedPlaceWithTheLast() {
    NodeTable t = new NodeTable();
    List<NodeSnapshot> view = t.inOrder();
    assertTrue(t.put(node("a", "4", "8Gi")));
    assertTrue(t.put(node("b", "4", "8Gi")));
    assertTrue(t.put(node("c", "4", "8Gi")));
    assertTrue(t.put(node("d", "4", "8Gi")));
    assertEquals(List.of("a", "b", "c", "d"), names(t));

    assertFalse(t.put(node("b", "8", "8Gi")), "a known node is replaced");
    assertEquals(List.of("a", "b", "c", "d"), names(t));
    assertEquals(8000, t.get("b").allocatableMilliCpu());

    assertTrue(t.remove("b"));
    assertFalse(t.remove("b"));
    assertEquals(List.of("a", "d", "c"), names(t));
    assertNull(t.get("b"));
    assertEquals("d", t.get("d").name(), "the moved node is found by name at its new place");
    t.put(node("d", "2", "8Gi"));
    assertEquals(2000, view.get(1).allocatableMilliCpu(), "the view follows changes");

    assertTrue(t.remove("c"));
    assertEquals(List.of("a", "d"), names(t));
    assertEquals(2, t.size());
    assertThrows(UnsupportedOperationException.class, () -> view.add(node("x", "1", "1Gi")));
  }
}
