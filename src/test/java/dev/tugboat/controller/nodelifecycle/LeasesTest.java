package dev.tugboat.controller.nodelifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeasesTest {
  private static final long S = 1_000_000_000L;
  private final Leases leases = new Leases(Duration.ofSeconds(4), Duration.ofSeconds(30));

  @Test
  void aNodeNeverHeardFromGetsTheStartupGrace() {
    assertEquals(Set.of(), leases.stale(Map.of("a", true), 0));
    assertEquals(Set.of(), leases.stale(Map.of("a", true), 29 * S));
    assertEquals(Set.of("a"), leases.stale(Map.of("a", true), 31 * S));
  }

  @Test
  void aRenewingNodeStaysLiveAndASilentOneIsStaleAfterTheGrace() {
    leases.stale(Map.of("a", true, "b", true), 0);
    for (long t = 1; t <= 10; t++) {
      leases.renew("a", t * S);
      leases.renew("b", Math.min(t, 3) * S); // b falls silent after 3 s
      Set<String> stale = leases.stale(Map.of("a", true, "b", true), t * S);
      assertFalse(stale.contains("a"), "a renews every second, at " + t + " s");
      assertEquals(t > 7, stale.contains("b"), "b last renewed at 3 s, at " + t + " s");
    }
  }

  @Test
  void aRenewalIsToldWhenItsNodeIsNotReadyInTheStore() {
    assertTrue(leases.renew("new", 0), "a node not listed yet has just registered: current");
    leases.stale(Map.of("a", false, "b", true), S);
    assertFalse(leases.renew("a", 2 * S), "marked Unknown while silent: report now");
    assertTrue(leases.renew("b", 2 * S));
    leases.stale(Map.of("a", true, "b", true), 3 * S);
    assertTrue(leases.renew("a", 4 * S), "reported: current again");
  }

  @Test
  void aNodeGoneFromTheStoreIsForgotten() {
    leases.renew("a", 0);
    leases.stale(Map.of(), S);
    // listed again: it gets the startup grace, not the short one since its old renewal
    assertEquals(Set.of(), leases.stale(Map.of("a", true), 10 * S));
  }
}
