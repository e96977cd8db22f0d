package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import dev.tugboat.model.ResourceType;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tug get KIND[,KIND...]|all [NAME...]}: the server's Tables (the same columns kubectl shows),
 * aligned; or the objects as YAML, JSON or names; {@code -w} prints every later change as a row.
 */
@Command(name = "get", mixinStandardHelpOptions = true, description = "List objects, or show some by name.")
final class GetCommand implements Callable<Integer> {
  @Mixin ClientOptions options;
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "Kind (pods, deploy, svc, ...), several separated by commas, or all.")
  String kinds;

  @Parameters(index = "1..*", description = "Names of objects to show.")
  List<String> names = new ArrayList<>();

  @Option(names = {"-A", "--all-namespaces"}, description = "List across all namespaces.")
  boolean allNamespaces;

  @Option(names = {"-l", "--selector"}, description = "Label selector, e.g. app=web,tier!=db.")
  String selector;

  @Option(names = {"-o", "--output"},
      description = "wide, yaml, json, name, jsonpath=TEMPLATE or custom-columns=HEADER:PATH,... (as kubectl's).")
  String output;

  @Option(names = "--show-labels", description = "Show each object's labels as the last column.")
  boolean showLabels;

  @Option(names = "--show-managed-fields",
      description = "With -o yaml or json, keep metadata.managedFields (hidden by default, as kubectl does).")
  boolean showManagedFields;

  @Option(names = {"-w", "--watch"}, description = "After listing, print every change until stopped.")
  boolean watch;

  @Option(names = "--watch-timeout", description = "Stop watching after this many seconds (default: never).")
  Integer watchTimeout;

  @Override
  public Integer call() {
    if (output != null && !List.of("wide", "yaml", "json", "name").contains(output)
        && !output.startsWith("jsonpath=") && !output.startsWith("custom-columns=")) {
      throw new CliException("error: unable to match a printer suitable for the output format \"" + output
          + "\", allowed formats are: custom-columns,json,jsonpath,name,wide,yaml");
    }
    // parsed before anything is asked of the server: a bad template is the user's to fix first
    JsonPathTemplate template = output != null && output.startsWith("jsonpath=")
        ? JsonPathTemplate.parse(output.substring("jsonpath=".length())) : null;
    CustomColumns columns = output != null && output.startsWith("custom-columns=")
        ? CustomColumns.parse(output.substring("custom-columns=".length())) : null;
    ApiClient api = options.client();
    List<ResourceType> types = new ArrayList<>();
    for (String k : kinds.split(",")) {
      if (k.equals("all")) types.addAll(Resources.all());
      else types.add(Resources.type(api, k));
    }
    if (watch && (types.size() != 1 || names.size() > 1)) {
      throw new CliException("error: you may only watch one kind and at most one name at a time");
    }
    PrintWriter out = spec.commandLine().getOut();
    String namespace = allNamespaces ? null : options.namespace();
    boolean structured = "yaml".equals(output) || "json".equals(output) || template != null || columns != null;
    ArrayNode collected = JsonNodeFactory.instance.arrayNode();
    boolean printedAny = false;
    for (ResourceType type : types) {
      if ("name".equals(output) || structured) {
        for (JsonNode o : objects(api, type, namespace)) {
          if (structured) collected.add(o);
          else out.println(Resources.id(type, o.path("metadata").path("name").asText()));
        }
        continue;
      }
      JsonNode table = table(api, type, namespace);
      List<JsonNode> rows = new ArrayList<>();
      table.path("rows").forEach(rows::add);
      if (rows.isEmpty() && types.size() > 1) continue;
      if (printedAny) out.println();
      TableView view = new TableView(table.path("columnDefinitions"), "wide".equals(output),
          allNamespaces && type.namespaced(), showLabels, types.size() > 1 ? type : null);
      TextTable text = new TextTable();
      text.add(view.header());
      rows.forEach(r -> text.add(view.cells(r)));
      if (rows.isEmpty()) {
        spec.commandLine().getErr().println(namespace == null || !type.namespaced()
            ? "No resources found" : "No resources found in " + namespace + " namespace.");
      } else {
        text.lines().forEach(out::println);
        printedAny = true;
      }
      out.flush();
      if (watch) watch(api, type, namespace, table.path("metadata").path("resourceVersion").asText(""), view, text.widths(), out);
    }
    if (structured) print(out, collected, template, columns);
    out.flush();
    return 0;
  }

  private void print(PrintWriter out, ArrayNode collected, JsonPathTemplate template, CustomColumns columns) {
    if (!showManagedFields) {
      collected.forEach(o -> {
        if (o.path("metadata") instanceof ObjectNode meta) meta.remove("managedFields");
      });
    }
    JsonNode body;
    if (names.size() == 1 && collected.size() == 1) {
      body = collected.get(0);
    } else {
      ObjectNode list = JsonNodeFactory.instance.objectNode();
      list.put("apiVersion", "v1");
      list.put("kind", "List");
      list.putObject("metadata").put("resourceVersion", "");
      list.set("items", collected);
      body = list;
    }
    if (template != null) {
      out.print(template.apply(body));
    } else if (columns != null) {
      List<JsonNode> rows = new ArrayList<>();
      collected.forEach(rows::add);
      columns.lines(rows).forEach(out::println);
    } else {
      out.print("json".equals(output) ? indented(body) + "\n" : Codec.toYaml(body).replaceFirst("^---\n", ""));
    }
  }

  /** JSON indented by four spaces, as kubectl prints it. */
  static String indented(JsonNode body) {
    try {
      var printer = new com.fasterxml.jackson.core.util.DefaultPrettyPrinter()
          .withObjectIndenter(new com.fasterxml.jackson.core.util.DefaultIndenter("    ", "\n"))
          .withArrayIndenter(new com.fasterxml.jackson.core.util.DefaultIndenter("    ", "\n"))
          .withSeparators(com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
              .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER));
      return new com.fasterxml.jackson.databind.ObjectMapper().writer(printer).writeValueAsString(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The objects, each with kind and apiVersion, as {@code -o yaml|json|name} print them. */
  private List<JsonNode> objects(ApiClient api, ResourceType type, String namespace) {
    List<JsonNode> out = new ArrayList<>();
    if (!names.isEmpty()) {
      for (String n : names) out.add(api.get(Resources.object(type, namespace, n)));
      return out;
    }
    JsonNode list = api.get(Resources.collection(type, namespace) + query());
    for (JsonNode item : list.path("items")) {
      ObjectNode o = (ObjectNode) item;
      o.put("apiVersion", type.apiVersion());
      o.put("kind", type.kind());
      out.add(o);
    }
    return out;
  }

  private JsonNode table(ApiClient api, ResourceType type, String namespace) {
    if (names.isEmpty()) return api.getTable(Resources.collection(type, namespace) + query());
    JsonNode first = null;
    ArrayNode rows = JsonNodeFactory.instance.arrayNode();
    for (String n : names) {
      JsonNode t = api.getTable(Resources.object(type, namespace, n));
      if (first == null) first = t;
      t.path("rows").forEach(rows::add);
    }
    ((ObjectNode) first).set("rows", rows);
    return first;
  }

  private String query() {
    return selector == null ? "" : "?labelSelector=" + Resources.encode(selector);
  }

  private void watch(ApiClient api, ResourceType type, String namespace, String resourceVersion, TableView view,
      List<Integer> widths, PrintWriter out) {
    StringBuilder q = new StringBuilder("?watch=true&resourceVersion=").append(Resources.encode(resourceVersion));
    if (selector != null) q.append("&labelSelector=").append(Resources.encode(selector));
    if (names.size() == 1) q.append("&fieldSelector=").append(Resources.encode("metadata.name=" + names.get(0)));
    if (watchTimeout != null) q.append("&timeoutSeconds=").append(watchTimeout);
    api.watch(Resources.collection(type, namespace) + q, ApiClient.TABLE, event -> {
      String kind = event.path("type").asText();
      if (kind.equals("ERROR")) throw ApiException.of(event.path("object").path("code").asInt(500), event.path("object").toString());
      for (JsonNode row : event.path("object").path("rows")) out.println(TextTable.line(view.cells(row), widths));
      out.flush();
      return true;
    });
  }

  /** Which of a Table's columns are shown, and the extra ones tug adds (NAMESPACE, LABELS). */
  private record TableView(JsonNode columns, boolean wide, boolean namespaceColumn, boolean labels, ResourceType prefix) {
    List<String> header() {
      List<String> h = new ArrayList<>();
      if (namespaceColumn) h.add("NAMESPACE");
      for (JsonNode c : columns) if (shown(c)) h.add(c.path("name").asText().toUpperCase(java.util.Locale.ROOT));
      if (labels) h.add("LABELS");
      return h;
    }

    List<String> cells(JsonNode row) {
      List<String> cells = new ArrayList<>();
      JsonNode meta = row.path("object").path("metadata");
      if (namespaceColumn) cells.add(meta.path("namespace").asText(""));
      int i = 0;
      for (JsonNode c : columns) {
        JsonNode cell = row.path("cells").path(i++);
        if (!shown(c)) continue;
        String text = cell.asText("");
        if (prefix != null && "name".equals(c.path("format").asText())) text = Resources.id(prefix, text);
        cells.add(text);
      }
      if (labels) cells.add(labelText(meta.path("labels")));
      return cells;
    }

    private boolean shown(JsonNode column) {
      return wide || column.path("priority").asInt(0) == 0;
    }

    private static String labelText(JsonNode labels) {
      if (!labels.isObject() || labels.isEmpty()) return "<none>";
      List<String> parts = new ArrayList<>();
      labels.fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + e.getValue().asText()));
      return String.join(",", parts.stream().sorted().toList());
    }
  }
}
