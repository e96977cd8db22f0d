package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Codec;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tug patch deploy web -p '{"spec":{"replicas":3}}' [--type strategic|merge|json]}, as kubectl's. */
@Command(name = "patch", mixinStandardHelpOptions = true, description = "Update fields of an object with a patch.")
final class PatchCommand implements Callable<Integer> {
  @Mixin ClientOptions options;
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "KIND or KIND/NAME.") String kind;
  @Parameters(index = "1", arity = "0..1", description = "NAME.") String name;

  @Option(names = {"-p", "--patch"}, required = true, description = "The patch, JSON or YAML.") String patch;

  @Option(names = "--type", description = "strategic (default), merge or json.") String type = "strategic";

  @Option(names = "--subresource", description = "status or scale, to patch that subresource.") String subresource;

  @Override
  public Integer call() {
    String contentType = switch (type) {
      case "strategic" -> "application/strategic-merge-patch+json";
      case "merge" -> "application/merge-patch+json";
      case "json" -> "application/json-patch+json";
      default -> throw new CliException("error: --type must be one of [json merge strategic], not \"" + type + "\"");
    };
    JsonNode body;
    try {
      body = Codec.parseTree(patch.getBytes(StandardCharsets.UTF_8), true);
    } catch (Codec.DecodeException e) {
      throw new CliException("error: unable to parse \"" + patch + "\": " + e.getMessage());
    }
    ApiClient api = options.client();
    Manifests.Target target = Manifests.Target.of(api, options, kind, name, "tug patch KIND NAME -p PATCH");
    String path = target.path() + (subresource == null ? "" : "/" + subresource);
    String before = api.get(path).path("metadata").path("resourceVersion").asText();
    JsonNode after = api.patch(path, body, contentType);
    boolean changed = !before.equals(after.path("metadata").path("resourceVersion").asText());
    spec.commandLine().getOut().println(target.id() + " patched" + (changed ? "" : " (no change)"));
    return 0;
  }
}
