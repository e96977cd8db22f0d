package dev.tugboat.bench;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A clean-up that runs exactly once: when closed (the normal end, or an exception leaving a
 * try-with-resources), or from a JVM shutdown hook when the benchmark is interrupted by Ctrl-C or
 * SIGTERM. So containers, services, child processes and Cassandra do not outlive a stopped run.
 */
public final class Cleanup implements AutoCloseable {
  private final Runnable action;
  private final AtomicBoolean done = new AtomicBoolean();
  private final Thread hook;

  private Cleanup(String name, Runnable action) {
    this.action = action;
    this.hook = new Thread(this::runOnce, "bench-cleanup " + name);
  }

  public static Cleanup of(String name, Runnable action) {
    Cleanup cleanup = new Cleanup(name, action);
    Runtime.getRuntime().addShutdownHook(cleanup.hook);
    return cleanup;
  }

  private void runOnce() {
    if (done.compareAndSet(false, true)) action.run();
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: runOnce keeps it to one run
    }
    runOnce();
  }
}
