package dev.tugboat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class OpenLoopTest {
  @Test
  void dueTimesAreEvenlySpacedAtTheRate() {
    List<Long> due = OpenLoop.dueTimes(200, 1);
    assertEquals(200, due.size());
    assertEquals(0L, due.get(0));
    assertEquals(5_000_000L, due.get(1));
    assertEquals(995_000_000L, due.get(199));
  }

  @Test
  void fractionalRatesRound() {
    List<Long> due = OpenLoop.dueTimes(3, 1);
    assertEquals(List.of(0L, 333_333_333L, 666_666_667L), due);
  }

  @Test
  void latencyCountsFromTheDueTimeNotTheSendTime() {
    // due 10 ms after the start; the sender stalled and sent it at 40 ms; answered at 45 ms: 35 ms.
    assertEquals(35_000_000L, OpenLoop.latencyNanos(1_000_000_000L, 10_000_000L, 1_045_000_000L));
    assertEquals(0L, OpenLoop.latencyNanos(100, 50, 120));
  }

  @Test
  void rateMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> OpenLoop.dueTimes(0, 1));
  }
}
