package dev.tugboat.cli;

/**
 * A failure {@code tug} reports as one line on stderr and exit code 1: a Status from the server, a
 * bad argument, an unreachable server. Never shown with a stack trace.
 */
public class CliException extends RuntimeException {
  private final int exitCode;

  public CliException(String message) {
    this(message, 1);
  }

  public CliException(String message, int exitCode) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
