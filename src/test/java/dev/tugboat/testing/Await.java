package dev.tugboat.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, checking every 50 ms; never a fixed sleep. */
public final class Await {
  private static final long PACE_NANOS = Duration.ofMillis(50).toNanos();

  private Await() {}

  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    until(what, timeout, () -> condition.getAsBoolean() ? "" : null);
  }

  /** Waits until {@code check} returns non-null; its last non-null value is returned. */
  public static <T> T until(String what, Duration timeout, Supplier<T> check) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = check.get();
      if (value != null) return value;
      if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      LockSupport.parkNanos(PACE_NANOS);
    }
  }
}
