package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tug edit deploy web}: the object as YAML in {@code $KUBE_EDITOR}, {@code $EDITOR} or vi; what
 * the editor leaves is written back as a replacement that names the resourceVersion it started
 * from, so someone else's change in the meantime is a conflict rather than lost. An unchanged file
 * writes nothing.
 */
@Command(name = "edit", mixinStandardHelpOptions = true, description = "Edit an object in your editor.")
final class EditCommand implements Callable<Integer> {
  @Mixin ClientOptions options;
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "KIND or KIND/NAME.") String kind;
  @Parameters(index = "1", arity = "0..1", description = "NAME.") String name;

  @picocli.CommandLine.Option(names = "--editor", description = "The editor command (default: $KUBE_EDITOR, else $EDITOR, else vi).")
  String editorCommand;

  @Override
  public Integer call() throws IOException, InterruptedException {
    ApiClient api = options.client();
    Manifests.Target target = Manifests.Target.of(api, options, kind, name, "tug edit KIND NAME");
    ObjectNode live = (ObjectNode) api.get(target.path());
    if (live.path("metadata") instanceof ObjectNode meta) meta.remove("managedFields");
    String before = Codec.toYaml(live).replaceFirst("^---\n", "");
    Path file = Files.createTempFile("tug-edit-", ".yaml");
    Files.writeString(file, before);
    String editor = editorCommand != null ? editorCommand
        : System.getenv().getOrDefault("KUBE_EDITOR", System.getenv().getOrDefault("EDITOR", "vi"));
    Process p = new ProcessBuilder(List.of("sh", "-c", editor + " \"$1\"", "sh", file.toString())).inheritIO().start();
    if (p.waitFor() != 0) throw new CliException("error: the editor (" + editor + ") exited with " + p.exitValue());
    String after = Files.readString(file, StandardCharsets.UTF_8);
    if (after.equals(before)) {
      Files.deleteIfExists(file);
      spec.commandLine().getOut().println("Edit cancelled, no changes made.");
      return 0;
    }
    // On an error the file stays, for the user to fix and apply.
    JsonNode edited;
    try {
      edited = Codec.parseTree(after.getBytes(StandardCharsets.UTF_8), true);
    } catch (Codec.DecodeException e) {
      throw new CliException("error: the edited file is not valid YAML: " + e.getMessage() + " (it is kept at " + file + ")");
    }
    try {
      api.send("PUT", target.path(), edited, "application/json", "application/json");
    } catch (CliException e) {
      throw new CliException(TugCommand.message(e) + "\nA copy of your changes is kept at " + file);
    }
    Files.deleteIfExists(file);
    spec.commandLine().getOut().println(target.id() + " edited");
    return 0;
  }
}
