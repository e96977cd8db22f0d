package dev.tugboat.cli;

import dev.tugboat.boot.CommonPool;

/** Entry point of the Tugboat jar: hands the command line to {@code tug}. */
public final class Main {
  private Main() {}

  static {
    CommonPool.ensureParallel();
  }

  public static void main(String[] args) {
    int code = TugCommand.execute(args);
    System.exit(code);
  }
}
