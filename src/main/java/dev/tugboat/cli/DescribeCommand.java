package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.Cells;
import dev.tugboat.model.Codec;
import dev.tugboat.model.ResourceType;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tug describe KIND NAME}: the object's identity, labels and annotations, its spec and status
 * as indented YAML, and the Events recorded about it (Type, Reason, Age, From, Message), newest last.
 */
@Command(name = "describe", mixinStandardHelpOptions = true, description = "Show an object in detail, with its events.")
final class DescribeCommand implements Callable<Integer> {
  @Mixin ClientOptions options;
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "KIND, or KIND/NAME.") String kind;
  @Parameters(index = "1..*", description = "NAME... (all objects of the kind when none).") List<String> names = new ArrayList<>();

  @Override
  public Integer call() {
    List<String> wanted = new ArrayList<>(names);
    String k = kind;
    if (kind.contains("/")) {
      String[] kn = kind.split("/", 2);
      k = kn[0];
      wanted.add(0, kn[1]);
    }
    ResourceType type = Resources.type(options.client(), k);
    String ns = type.namespaced() ? options.namespace() : null;
    ApiClient api = options.client();
    List<JsonNode> objects = new ArrayList<>();
    if (wanted.isEmpty()) api.get(Resources.collection(type, ns)).path("items").forEach(objects::add);
    for (String n : wanted) objects.add(api.get(Resources.object(type, ns, n)));
    PrintWriter out = spec.commandLine().getOut();
    for (int i = 0; i < objects.size(); i++) {
      if (i > 0) out.println();
      describe(api, type, objects.get(i), out);
    }
    return 0;
  }

  private static void describe(ApiClient api, ResourceType type, JsonNode o, PrintWriter out) {
    JsonNode meta = o.path("metadata");
    field(out, "Name", meta.path("name").asText());
    if (type.namespaced()) field(out, "Namespace", meta.path("namespace").asText());
    field(out, "Kind", type.kind());
    map(out, "Labels", meta.path("labels"));
    map(out, "Annotations", meta.path("annotations"));
    field(out, "CreationTimestamp", meta.path("creationTimestamp").asText("<unknown>"));
    field(out, "UID", meta.path("uid").asText());
    field(out, "ResourceVersion", meta.path("resourceVersion").asText());
    if (meta.has("deletionTimestamp")) field(out, "DeletionTimestamp", meta.path("deletionTimestamp").asText());
    if (meta.has("ownerReferences")) {
      List<String> owners = new ArrayList<>();
      meta.path("ownerReferences").forEach(r -> owners.add(r.path("kind").asText() + "/" + r.path("name").asText()));
      field(out, "Controlled By", String.join(", ", owners));
    }
    for (String section : List.of("spec", "status", "subsets", "data")) {
      if (o.has(section) && !o.path(section).isEmpty()) {
        out.println(Character.toUpperCase(section.charAt(0)) + section.substring(1) + ":");
        Codec.toYaml(o.path(section)).replaceFirst("^---\n", "").lines().forEach(l -> out.println("  " + l));
      }
    }
    if (!type.kind().equals("Event")) events(api, type, o, out);
    out.flush();
  }

  private static void events(ApiClient api, ResourceType type, JsonNode o, PrintWriter out) {
    JsonNode meta = o.path("metadata");
    String selector = "involvedObject.name=" + meta.path("name").asText() + ",involvedObject.uid=" + meta.path("uid").asText()
        + (type.namespaced() ? ",involvedObject.namespace=" + meta.path("namespace").asText() : "");
    String path = Resources.collection(Resources.type("events"), type.namespaced() ? meta.path("namespace").asText() : null)
        + "?fieldSelector=" + Resources.encode(selector);
    List<JsonNode> events = new ArrayList<>();
    api.get(path).path("items").forEach(events::add);
    if (events.isEmpty()) {
      out.println("Events:  <none>");
      return;
    }
    events.sort(java.util.Comparator.comparing((JsonNode e) -> last(e).asText("")));
    out.println("Events:");
    TextTable table = new TextTable().add(List.of("Type", "Reason", "Age", "From", "Message"))
        .add(List.of("----", "------", "----", "----", "-------"));
    Instant now = Instant.now();
    for (JsonNode e : events) {
      table.add(List.of(e.path("type").asText(""), e.path("reason").asText(""), Cells.age(last(e), now),
          e.path("source").path("component").asText(e.path("reportingComponent").asText("")),
          e.path("message").asText("").strip()));
    }
    table.lines().forEach(l -> out.println("  " + l));
  }

  private static JsonNode last(JsonNode e) {
    return e.path("lastTimestamp").asText("").isEmpty() ? e.path("eventTime") : e.path("lastTimestamp");
  }

  private static void field(PrintWriter out, String name, String value) {
    out.printf("%-19s %s%n", name + ":", value);
  }

  private static void map(PrintWriter out, String name, JsonNode map) {
    if (!map.isObject() || map.isEmpty()) {
      field(out, name, "<none>");
      return;
    }
    List<String> entries = new ArrayList<>();
    map.fields().forEachRemaining(e -> entries.add(e.getKey() + "=" + e.getValue().asText().strip()));
    entries.sort(null);
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i).length() > 120 ? entries.get(i).substring(0, 117) + "..." : entries.get(i);
      if (i == 0) field(out, name, entry);
      else out.printf("%-19s %s%n", "", entry);
    }
  }
}
