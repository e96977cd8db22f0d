package dev.tugboat.controller.nodelifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MemberDeparturesTest {
  private static final long S = 1_000_000_000L;
  private static final String A = "pekko://tugboat@127.0.0.2:2551";

  @Test
  void aNodeIsFencedOnceItsMemberHasBeenGoneForTheMargin() {
    MemberDepartures departures = new MemberDepartures(Duration.ofSeconds(10));
    assertFalse(departures.fenced(A, Set.of(A), 0), "its member is in the cluster (reachable or not)");
    assertFalse(departures.fenced(A, Set.of(), 1 * S), "gone, from now on");
    assertFalse(departures.fenced(A, Set.of(), 10 * S));
    assertEquals(Duration.ofSeconds(9), departures.goneFor(A, 10 * S));
    assertTrue(departures.fenced(A, Set.of(), 11 * S));
  }

  @Test
  void aMemberThatComesBackStartsTheCountAgain() {
    MemberDepartures departures = new MemberDepartures(Duration.ofSeconds(10));
    departures.fenced(A, Set.of(), 0);
    assertFalse(departures.fenced(A, Set.of(A), 5 * S), "back (a new incarnation at the same address)");
    assertFalse(departures.fenced(A, Set.of(), 12 * S), "gone again: counted from here");
    assertTrue(departures.fenced(A, Set.of(), 22 * S));
  }

  @Test
  void aNodeThatNeverSaidWhichMemberRunsItIsNeverFenced() {
    MemberDepartures departures = new MemberDepartures(Duration.ZERO);
    assertFalse(departures.fenced(null, Set.of(), 100 * S));
    assertFalse(departures.fenced("", Set.of(), 100 * S));
  }
}
