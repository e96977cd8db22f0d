package dev.tugboat.cli;

import picocli.CommandLine.Option;

/** The options every client command shares: which server, which namespace. */
final class ClientOptions {
  @Option(names = "--server", description = "URL of the Tugboat API (default: the kubeconfig's server, else "
      + TugConfig.DEFAULT_SERVER + ").")
  String server;

  @Option(names = {"-n", "--namespace"}, description = "Namespace (default: from the config file, else default).")
  String namespace;

  @Option(names = "--kubeconfig", description = "Kubeconfig file(s) to use (default: $KUBECONFIG, else ~/.tugboat/kubeconfig as tug up writes it).")
  String kubeconfig;

  @Option(names = "--context", description = "The kubeconfig context to use (default: its current-context).")
  String context;

  private TugConfig config;

  TugConfig config() {
    if (config == null) config = TugConfig.load(server, namespace, kubeconfig, context);
    return config;
  }

  /** The command this mixin is part of: where the server's warnings are printed. */
  @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE) picocli.CommandLine.Model.CommandSpec command;

  ApiClient client() {
    ApiClient client = new ApiClient(config().server(), config().tls());
    return command == null ? client : client.warningsTo(command.commandLine().getErr());
  }

  String namespace() {
    return config().namespace();
  }
}
