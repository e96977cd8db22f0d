package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tug set image deploy/web httpd=busybox:2}: kubectl's {@code set} commands that tug has. */
@Command(name = "set", mixinStandardHelpOptions = true, subcommands = SetCommand.Image.class,
    description = "Set specific fields of objects.")
final class SetCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * {@code set image KIND/NAME CONTAINER=IMAGE...} ({@code *} for every container): a strategic
   * merge patch of the pod template's containers (of a pod's own for a Pod), merged by name.
   */
  @Command(name = "image", mixinStandardHelpOptions = true, description = "Update the image of containers of a workload or pod.")
  static final class Image implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "KIND/NAME (or KIND, then NAME).") String kind;
    @Parameters(index = "1..*", description = "NAME (unless KIND/NAME), then CONTAINER=IMAGE for each container.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
      List<String> rest = new ArrayList<>(args);
      String name = kind.contains("/") || rest.isEmpty() || rest.get(0).contains("=") ? null : rest.remove(0);
      if (rest.isEmpty()) throw new CliException("error: at least one image update is required: CONTAINER=IMAGE");
      ApiClient api = options.client();
      Manifests.Target target = Manifests.Target.of(api, options, kind, name, "tug set image KIND/NAME CONTAINER=IMAGE");
      JsonNode live = api.get(target.path());
      boolean pod = target.type().kind().equals("Pod");
      JsonNode podSpec = pod ? live.path("spec") : live.path("spec").path("template").path("spec");
      if (!podSpec.path("containers").isArray()) {
        throw new CliException("error: " + target.id() + " has no containers to set an image of");
      }
      Map<String, String> images = new LinkedHashMap<>();
      for (String update : rest) {
        int eq = update.indexOf('=');
        if (eq <= 0 || eq == update.length() - 1) throw new CliException("error: invalid image update: " + update + " (CONTAINER=IMAGE)");
        images.put(update.substring(0, eq), update.substring(eq + 1));
      }
      ArrayNode containers = JsonNodeFactory.instance.arrayNode();
      for (String container : images.keySet()) {
        if (container.equals("*")) continue;
        boolean found = false;
        for (JsonNode c : podSpec.path("containers")) found |= c.path("name").asText().equals(container);
        for (JsonNode c : podSpec.path("initContainers")) found |= c.path("name").asText().equals(container);
        if (!found) throw new CliException("error: unable to find container named \"" + container + "\"");
      }
      ObjectNode patch = JsonNodeFactory.instance.objectNode();
      ObjectNode specNode = pod ? patch.putObject("spec") : patch.putObject("spec").putObject("template").putObject("spec");
      for (String list : List.of("containers", "initContainers")) {
        ArrayNode changed = JsonNodeFactory.instance.arrayNode();
        for (JsonNode c : podSpec.path(list)) {
          String image = images.getOrDefault(c.path("name").asText(), images.get("*"));
          if (image != null) changed.addObject().put("name", c.path("name").asText()).put("image", image);
        }
        if (!changed.isEmpty()) specNode.set(list, changed);
      }
      api.patch(target.path(), patch, "application/strategic-merge-patch+json");
      spec.commandLine().getOut().println(target.id() + " image updated");
      return 0;
    }
  }
}
