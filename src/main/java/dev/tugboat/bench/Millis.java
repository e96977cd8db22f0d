package dev.tugboat.bench;

/** Nanosecond intervals as the milliseconds the reports use. */
public final class Millis {
  private Millis() {}

  public static double between(long startNanos, long endNanos) {
    return (endNanos - startNanos) / 1_000_000.0;
  }

  public static double since(long startNanos) {
    return between(startNanos, System.nanoTime());
  }
}
