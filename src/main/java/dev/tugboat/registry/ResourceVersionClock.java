package dev.tugboat.registry;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out resourceVersions: microseconds since the epoch, strictly increasing within this JVM and
 * never below an object's previous version (a hybrid logical clock).
 *
 * <p>Cassandra has no global sequencer, so Tugboat's resourceVersion is a time-ordered value assigned
 * by the entity that owns the object. Within one object it always increases; across objects it
 * follows write time up to clock skew between members (none on one machine). docs/api.md says what
 * that means for list-then-watch.
 */
public final class ResourceVersionClock {
  private static final AtomicLong LAST = new AtomicLong();

  private ResourceVersionClock() {}

  /** The next version for an object whose current version is {@code previous}. */
  public static long next(long previous) {
    long now = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
    return LAST.updateAndGet(last -> Math.max(Math.max(now, last + 1), previous + 1));
  }

  /** The current position of the clock, at least {@code floor}. */
  public static long now() {
    return Math.max(LAST.get(), System.currentTimeMillis() * 1000);
  }
}
