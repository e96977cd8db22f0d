package dev.tugboat.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tug create -f FILE}: creates each object of the manifests, failing for one that exists (409),
 * where apply would update it; {@code tug create namespace NAME}.
 */
@Command(name = "create", mixinStandardHelpOptions = true, subcommands = CreateCommand.Namespace.class,
    description = "Create objects from manifests (an existing one is an error; see apply).")
final class CreateCommand implements Callable<Integer> {
  @Mixin ClientOptions options;
  @Spec CommandSpec spec;

  // Not required to picocli, which would ask it of `create namespace` too.
  @Option(names = {"-f", "--filename"}, description = "A manifest file, a directory of them, or - for stdin.")
  List<String> files;

  @Option(names = {"-R", "--recursive"}, description = "Read directories recursively.")
  boolean recursive;

  @Override
  public Integer call() {
    if (files == null || files.isEmpty()) {
      throw new CliException("error: must specify -f FILE, or what to create (tug create namespace NAME)");
    }
    ApiClient api = options.client();
    return Manifests.forEach(spec, files, recursive, m -> {
      Manifests.Target target = m.target(api, options);
      if (target.name().isEmpty() && m.object().path("metadata").path("generateName").asText("").isEmpty()) {
        throw new CliException("error: " + m.source() + ": a " + target.type().kind() + " needs metadata.name or generateName");
      }
      var created = api.post(target.collection(), m.object());
      return Resources.id(target.type(), created.path("metadata").path("name").asText()) + " created";
    });
  }

  /** {@code tug create namespace NAME}. */
  @Command(name = "namespace", aliases = "ns", mixinStandardHelpOptions = true, description = "Create a namespace.")
  static final class Namespace implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "Its name.") String name;

    @Override
    public Integer call() {
      ObjectNode ns = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "Namespace");
      ns.putObject("metadata").put("name", name);
      options.client().post("/api/v1/namespaces", ns);
      spec.commandLine().getOut().println("namespace/" + name + " created");
      return 0;
    }
  }
}
