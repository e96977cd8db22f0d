package dev.tugboat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class AlternationTest {
  private static List<String> order(List<Alternation.Turn> turns) {
    return turns.stream().map(Alternation.Turn::contender).toList();
  }

  @Test
  void everyOtherRoundReversesTheOrder() {
    List<Alternation.Turn> turns = Alternation.schedule(List.of("a", "b"), 3);
    assertEquals(List.of("a", "b", "b", "a", "a", "b"), order(turns));
    assertEquals(List.of(0, 0, 1, 1, 2, 2), turns.stream().map(Alternation.Turn::round).toList());
  }

  @Test
  void eachContenderRunsOncePerRoundAndFirstEquallyOften() {
    List<Alternation.Turn> turns = Alternation.schedule(List.of("x", "y", "z"), 4);
    assertEquals(12, turns.size());
    for (String c : List.of("x", "y", "z")) assertEquals(4, order(turns).stream().filter(c::equals).count());
    assertEquals(List.of("x", "y", "z", "z", "y", "x"), order(turns).subList(0, 6));
  }

  @Test
  void noRoundsIsEmptyAndNoContendersIsAnError() {
    assertEquals(List.of(), Alternation.schedule(List.of("a"), 0));
    assertThrows(IllegalArgumentException.class, () -> Alternation.schedule(List.of(), 1));
    assertThrows(IllegalArgumentException.class, () -> Alternation.schedule(List.of("a"), -1));
  }
}
