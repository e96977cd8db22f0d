package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import dev.tugboat.model.ResourceType;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tug apply -f FILE|DIR|-}: creates what does not exist and updates what does with kubectl's
 * client-side apply: the {@code kubectl.kubernetes.io/last-applied-configuration} annotation and a
 * three-way merge ({@link ThreeWayPatch}), so kubectl and tug can apply the same objects in turn.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
    description = "Create or update objects from manifests (YAML or JSON; several documents per file).")
final class ApplyCommand implements Callable<Integer> {
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  @Mixin ClientOptions options;
  @Spec CommandSpec spec;

  @Option(names = {"-f", "--filename"}, required = true, description = "A manifest file, a directory of them, or - for stdin.")
  List<String> files;

  @Option(names = {"-R", "--recursive"}, description = "Read directories recursively.")
  boolean recursive;

  @Override
  public Integer call() {
    ApiClient api = options.client();
    return Manifests.forEach(spec, files, recursive, m -> apply(api, m));
  }

  private String apply(ApiClient api, Manifests.Manifest m) {
    ObjectNode object = m.object().deepCopy();
    Manifests.Target target = m.target(api, options);
    if (target.name().isEmpty()) {
      throw new CliException("error: " + m.source() + ": a " + target.type().kind() + " must have metadata.name to be applied");
    }
    ResourceType type = target.type();
    String name = target.name();
    String namespace = target.namespace();
    ObjectNode meta = object.withObjectProperty("metadata");
    // The annotation holds the manifest as applied, without the annotation itself.
    ObjectNode annotations = meta.withObjectProperty("annotations");
    annotations.remove(LAST_APPLIED);
    if (annotations.isEmpty()) meta.remove("annotations");
    String lastApplied = Codec.toJson(object) + "\n";
    meta.withObjectProperty("annotations").put(LAST_APPLIED, lastApplied);

    String id = Resources.id(type, name);
    JsonNode live = api.find(Resources.object(type, namespace, name));
    if (live == null) {
      api.post(Resources.collection(type, namespace), object);
      return id + " created";
    }
    JsonNode original = null;
    String previous = live.path("metadata").path("annotations").path(LAST_APPLIED).asText("");
    if (!previous.isEmpty()) {
      try {
        original = Codec.parseTree(previous.getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
      } catch (Codec.DecodeException e) {
        original = null; // an unreadable annotation: apply as if there were none
      }
    }
    ObjectNode patch = ThreeWayPatch.compute(original, object, live);
    if (patch.isEmpty()) return id + " unchanged";
    api.patch(Resources.object(type, namespace, name), patch, "application/merge-patch+json");
    return id + " configured";
  }
}
