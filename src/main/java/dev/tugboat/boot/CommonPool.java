package dev.tugboat.boot;

/**
 * Gives the JVM's common fork-join pool at least two threads, before anything touches it.
 *
 * <p>Why: Pekko hands out its futures (asks, stream results) as Scala futures behind
 * {@code CompletionStage}, and those run every callback asynchronously, {@code thenApply} included,
 * on the common pool. The pool's default parallelism is one less than the cores, so 1 on a 2-core
 * machine, and with a parallelism of 1 {@code CompletableFuture} starts <em>a new thread for every
 * task</em>: the API benchmark found 250 threads started a second, one per callback of every request.
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
