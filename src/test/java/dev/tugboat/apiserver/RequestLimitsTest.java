package dev.tugboat.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestLimitsTest {
  @Test
  void mutatingAndReadOnlyRequestsHaveLimitsOfTheirOwn() {
    RequestLimits limits = new RequestLimits(1, 1, 10);
    Optional<Runnable> write = limits.admit(true);
    assertTrue(write.isPresent());
    assertTrue(limits.admit(true).isEmpty(), "the mutating limit is reached");
    Optional<Runnable> read = limits.admit(false);
    assertTrue(read.isPresent(), "reads are counted apart");
    write.get().run();
    write.get().run(); // a second release of one permit changes nothing
    assertTrue(limits.admit(true).isPresent());
    assertTrue(limits.admit(true).isEmpty(), "released once, so one permit again, not two");
  }

  @Test
  void eachClientHasItsOwnWatchLimitAndLeavesNothingWhenItsWatchesEnd() {
    RequestLimits limits = new RequestLimits(1, 1, 2);
    Runnable a1 = limits.admitWatch("a").orElseThrow();
    Runnable a2 = limits.admitWatch("a").orElseThrow();
    assertTrue(limits.admitWatch("a").isEmpty());
    assertTrue(limits.admitWatch("b").isPresent());
    a1.run();
    a1.run();
    assertEquals(1, limits.watchesOf("a"));
    a2.run();
    assertEquals(0, limits.watchesOf("a"));
    assertEquals(429, RequestLimits.tooManyRequests("x").code());
    assertEquals(1, RequestLimits.tooManyRequests("x").details().retryAfterSeconds());
  }
}
