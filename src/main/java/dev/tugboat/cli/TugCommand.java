package dev.tugboat.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tug}: Tugboat's command line. Each verb is a subcommand class of its own. */
@Command(
    name = "tug",
    mixinStandardHelpOptions = true,
    versionProvider = TugCommand.Version.class,
    description = "Tugboat: a Kubernetes-style container orchestrator on Apache Pekko Cluster.",
    subcommands = {UpCommand.class, CommandLine.HelpCommand.class})
public final class TugCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Runs the command line and returns the exit code. */
  public static int execute(String... args) {
    return new CommandLine(new TugCommand()).execute(args);
  }

  /** The version printed by {@code tug --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = TugCommand.class.getPackage().getImplementationVersion();
      return new String[] {"tug " + (v == null ? "dev" : v)};
    }
  }
}
