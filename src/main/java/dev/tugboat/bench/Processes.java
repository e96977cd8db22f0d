package dev.tugboat.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short commands (docker's CLI) to completion with a deadline, capturing their output. */
public final class Processes {
  /** A finished command: exit code and output (stdout and stderr together). */
  public record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  private Processes() {}

  public static Result run(Duration timeout, List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      // Read while it runs: a full pipe would block the command.
      var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          return "";
        }
      });
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new Wait.TimeoutException(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s");
      }
      return new Result(p.exitValue(), out.join().trim());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Runs the command and fails with its output unless it exits 0. */
  public static String check(Duration timeout, List<String> command) {
    Result r = run(timeout, command);
    if (!r.ok()) throw new IllegalStateException(String.join(" ", command) + " exited " + r.exitCode() + ": " + r.output());
    return r.output();
  }
}
