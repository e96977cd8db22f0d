package dev.tugboat.boot;

/**
 * Gives the JVM's common fork-join pool at least two threads, before anything touches it.
 *
 * <p>Why: Pekko hands out its futures (asks, stream results) as Scala futures behind
 * {@code CompletionStage}, and those run every callback asynchronously, {@code thenApply} included,
 * on the common pool. With one core less than the machine, the pool of a 2-core machine has a
 * parallelism of 1, and {@code CompletableFuture} then starts <em>a new thread for every task</em>.
 * The API benchmark found 250 threads started a second, one per callback of every request.
 */
public final class CommonPool {
  static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private CommonPool() {}

  /** Sets the common pool's parallelism to the number of cores (at least 2) unless already set. */
  public static void ensureParallel() {
    if (System.getProperty(PARALLELISM) == null) {
      System.setProperty(PARALLELISM, Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors())));
    }
  }
}
