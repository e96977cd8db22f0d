package dev.tugboat.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Waiting on a condition with a deadline, checking at a short pace; benchmarks never sleep instead. */
public final class Wait {
  private Wait() {}

  /** Thrown when a condition was not met in time; the benchmark fails and cleans up. */
  public static final class TimeoutException extends RuntimeException {
    public TimeoutException(String message) {
      super(message);
    }
  }

  public static void until(String what, Duration timeout, Duration pace, java.util.function.BooleanSupplier condition) {
    until(what, timeout, pace, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
  }

  /** Returns the first non-null value of {@code check}. */
  public static <T> T until(String what, Duration timeout, Duration pace, Supplier<T> check) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = check.get();
      if (value != null) return value;
      if (System.nanoTime() > deadline) throw new TimeoutException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      LockSupport.parkNanos(pace.toNanos());
    }
  }
}
