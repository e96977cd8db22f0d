package dev.tugboat.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.ResourceType;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tug scale deploy web --replicas 3}: writes the scale subresource, as kubectl does. */
@Command(name = "scale", mixinStandardHelpOptions = true, description = "Set the number of replicas of a Deployment or ReplicaSet.")
final class ScaleCommand implements Callable<Integer> {
  @Mixin ClientOptions options;
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "KIND or KIND/NAME.") String kind;
  @Parameters(index = "1", arity = "0..1", description = "NAME.") String name;

  @Option(names = "--replicas", required = true, description = "The new number of replicas.") int replicas;

  @Override
  public Integer call() {
    String[] kn = name == null && kind.contains("/") ? kind.split("/", 2) : new String[] {kind, name};
    if (kn[1] == null) throw new CliException("error: a name is required: tug scale KIND NAME --replicas N");
    ResourceType type = Resources.type(options.client(), kn[0]);
    if (!type.subresources().contains("scale")) {
      throw new CliException("error: " + type.plural() + " cannot be scaled (no scale subresource)");
    }
    if (replicas < 0) throw new CliException("error: --replicas must be 0 or more");
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch.putObject("spec").put("replicas", replicas);
    options.client().patch(Resources.object(type, options.namespace(), kn[1]) + "/scale", patch, "application/merge-patch+json");
    spec.commandLine().getOut().println(Resources.id(type, kn[1]) + " scaled");
    return 0;
  }
}
