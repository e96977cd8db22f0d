package dev.tugboat.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tug}: Tugboat's command line. Each verb is a subcommand class of its own. */
@Command(
    name = "tug",
    mixinStandardHelpOptions = true,
    versionProvider = TugCommand.Version.class,
    description = "Tugboat: a Kubernetes-style container orchestrator on Apache Pekko Cluster.",
    subcommands = {UpCommand.class, ApplyCommand.class, CreateCommand.class, GetCommand.class, DescribeCommand.class,
        EditCommand.class, PatchCommand.class, LabelCommand.class, SetCommand.class, DeleteCommand.class,
        ScaleCommand.class, RolloutCommand.class, LogsCommand.class, ExecCommand.class, PortForwardCommand.class, HistoryCommand.class, ClusterCommand.class,
        SecretsCommand.class, TopCommand.class, BenchCommand.class, CompletionCommand.class,
        CommandLine.HelpCommand.class})
public final class TugCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Runs the command line and returns the exit code. */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /**
   * The command line with tug's error handling: a failure prints its message (the server's Status
   * message for API errors) on stderr and exits 1, never with a stack trace.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new TugCommand());
    cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      commandLine.getErr().println(message(e));
      commandLine.getErr().flush();
      return e instanceof CliException c ? c.exitCode() : 1;
    });
    return cli;
  }

  /** kubectl's forms: {@code Error from server (Reason): ...} for Status errors, else {@code error: ...}. */
  static String message(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.startsWith("Error from server") || m.startsWith("error:") ? m : "error: " + m;
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
