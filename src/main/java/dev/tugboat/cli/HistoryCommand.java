package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.ResourceType;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tug history KIND NAME}: every change the object's entity persisted, with its time, who made
 * it (user and program) and the fields it changed, read from the event journal. Kubernetes keeps
 * only the latest state; Tugboat keeps every event, so this shows what happened and when, also across a delete and re-create.
 */
@Command(name = "history", mixinStandardHelpOptions = true, description = "Show every persisted change of an object.")
final class HistoryCommand implements Callable<Integer> {
  private static final int VALUE_WIDTH = 60;

  @Mixin ClientOptions options;
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "KIND, or KIND/NAME.") String kind;
  @Parameters(index = "1", arity = "0..1", description = "NAME.") String name;

  @Override
  public Integer call() {
    String[] kn = name == null && kind.contains("/") ? kind.split("/", 2) : new String[] {kind, name};
    if (kn[1] == null) throw new CliException("error: a name is required: tug history KIND NAME");
    ResourceType type = Resources.type(options.client(), kn[0]);
    JsonNode history = options.client().get(
        Resources.object(type, type.namespaced() ? options.namespace() : null, kn[1]) + "/history");
    PrintWriter out = spec.commandLine().getOut();
    TextTable table = new TextTable().add(List.of("SEQ", "TIME", "EVENT", "RESOURCEVERSION", "GEN", "BY", "AGENT", "CHANGE"));
    for (JsonNode item : history.path("items")) {
      List<String> head = List.of(item.path("sequenceNr").asText(), item.path("time").asText(), item.path("type").asText(),
          item.path("resourceVersion").asText(), item.path("generation").asText(),
          item.path("by").path("username").asText("<unknown>"), agent(item.path("by").path("userAgent").asText("")));
      JsonNode changes = item.path("changes");
      String event = item.path("type").asText();
      if (event.equals("Created")) {
        table.add(concat(head, "created (uid " + item.path("uid").asText() + ")"));
      } else if (event.equals("Deleted")) {
        table.add(concat(head, "deleted"));
      } else if (changes.isEmpty()) {
        table.add(concat(head, "(no field changed)"));
      } else {
        boolean first = true;
        for (JsonNode c : changes) {
          String text = c.path("path").asText() + ": " + value(c.get("before")) + " -> " + value(c.get("after"));
          table.add(concat(first ? head : List.of("", "", "", "", "", "", ""), text));
          first = false;
        }
      }
    }
    table.lines().forEach(out::println);
    return 0;
  }

  private static List<String> concat(List<String> head, String last) {
    List<String> row = new java.util.ArrayList<>(head);
    row.add(last);
    return row;
  }

  /** The program of a User-Agent ({@code kubectl/v1.33.0 (linux/amd64) kubernetes/abc} is {@code kubectl/v1.33.0}). */
  static String agent(String userAgent) {
    String program = userAgent.split(" ", 2)[0];
    return program.isEmpty() ? "-" : program;
  }

  private static String value(JsonNode v) {
    if (v == null) return "<none>";
    String s = v.isTextual() ? v.asText() : v.toString();
    return s.length() > VALUE_WIDTH ? s.substring(0, VALUE_WIDTH - 3) + "..." : s;
  }
}
