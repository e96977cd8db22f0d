package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tug label pod web-1 tier=front env-}: sets and removes labels, as kubectl's; a label that has
 * another value is changed only with {@code --overwrite}. The change is a merge patch that names the
 * resourceVersion it read, so a label written meanwhile by someone else is a conflict, not lost.
 */
@Command(name = "label", mixinStandardHelpOptions = true, description = "Set (KEY=VALUE) or remove (KEY-) labels of an object.")
final class LabelCommand implements Callable<Integer> {
  @Mixin ClientOptions options;
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "KIND or KIND/NAME.") String kind;
  @Parameters(index = "1..*", description = "NAME (unless KIND/NAME), then KEY=VALUE or KEY- for each label.")
  List<String> args = new ArrayList<>();

  @Option(names = "--overwrite", description = "Replace a label's existing value.") boolean overwrite;

  @Override
  public Integer call() {
    List<String> rest = new ArrayList<>(args);
    String name = kind.contains("/") || rest.isEmpty() ? null : rest.remove(0);
    if (rest.isEmpty()) throw new CliException("error: at least one label update is required");
    ApiClient api = options.client();
    Manifests.Target target = Manifests.Target.of(api, options, kind, name, "tug label KIND NAME KEY=VALUE...");
    JsonNode live = api.get(target.path());
    JsonNode labels = live.path("metadata").path("labels");
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    ObjectNode meta = patch.putObject("metadata");
    meta.put("resourceVersion", live.path("metadata").path("resourceVersion").asText());
    ObjectNode changes = meta.putObject("labels");
    boolean setsAny = false;
    for (String update : rest) {
      if (update.endsWith("-") && !update.contains("=")) {
        changes.putNull(update.substring(0, update.length() - 1));
        continue;
      }
      int eq = update.indexOf('=');
      if (eq <= 0) throw new CliException("error: invalid label spec: " + update);
      String key = update.substring(0, eq);
      String value = update.substring(eq + 1);
      if (labels.has(key) && !labels.path(key).asText().equals(value) && !overwrite) {
        throw new CliException("error: '" + key + "' already has a value (" + labels.path(key).asText()
            + "), and --overwrite is false");
      }
      changes.put(key, value);
      setsAny = true;
    }
    api.patch(target.path(), patch, "application/merge-patch+json");
    spec.commandLine().getOut().println(target.id() + (setsAny ? " labeled" : " unlabeled"));
    return 0;
  }
}
