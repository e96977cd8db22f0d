package dev.tugboat.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The other half of {@code Await}: asserts that a condition stays true for a whole period, checked
 * every 100 ms. Used where the claim is that something does not happen ("nothing is started twice"):
 * the period is the claim's scope (several agent resync periods), not a wait for something.
 */
public final class Holds {
  private Holds() {}

  /** {@code problem} returns null while all is well, or what is wrong. */
  public static void during(String what, Duration period, Supplier<String> problem) {
    long end = System.nanoTime() + period.toNanos();
    do {
      String p = problem.get();
      if (p != null) throw new AssertionError(what + ": " + p);
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    } while (System.nanoTime() < end);
  }
}
