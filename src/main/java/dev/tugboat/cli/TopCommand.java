package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Quantity;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tug top pods|nodes}: what pods and nodes use now, from the resource metrics API
 * ({@code metrics.k8s.io/v1beta1}), printed as {@code kubectl top} prints it: CPU in millicores,
 * memory in MiB, and for nodes the share of what each node can allocate.
 */
@Command(name = "top", mixinStandardHelpOptions = true,
    description = "Show the CPU and memory pods or nodes use now (pods, nodes).")
final class TopCommand implements Callable<Integer> {
  private static final String API = "/apis/metrics.k8s.io/v1beta1";
  @Mixin ClientOptions options;
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "pods (po) or nodes (no)")
  String what;

  @Parameters(index = "1", arity = "0..1", description = "A pod's or node's name.")
  String name;

  @Option(names = {"-A", "--all-namespaces"}, description = "Pods of all namespaces.")
  boolean allNamespaces;

  @Option(names = {"-l", "--selector"}, description = "Label selector, e.g. app=web.")
  String selector;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String query = selector == null ? "" : "?labelSelector=" + URLEncoder.encode(selector, StandardCharsets.UTF_8);
    switch (what) {
      case "pods", "pod", "po" -> {
        String base = allNamespaces ? API + "/pods" : API + "/namespaces/" + options.namespace() + "/pods";
        List<JsonNode> items = items(options.client().get(name == null ? base + query : base + "/" + name));
        if (items.isEmpty()) throw new CliException("metrics not available yet");
        podTable(items, allNamespaces).forEach(out::println);
      }
      case "nodes", "node", "no" -> {
        List<JsonNode> items = items(options.client().get(name == null ? API + "/nodes" + query : API + "/nodes/" + name));
        if (items.isEmpty()) throw new CliException("metrics not available yet");
        Map<String, JsonNode> allocatable = new HashMap<>();
        options.client().get("/api/v1/nodes").path("items").forEach(n ->
            allocatable.put(n.path("metadata").path("name").asText(), n.path("status").path("allocatable")));
        nodeTable(items, allocatable).forEach(out::println);
      }
      default -> throw new CliException("tug top: unknown resource \"" + what + "\": pods or nodes");
    }
    return 0;
  }

  private static List<JsonNode> items(JsonNode answer) {
    List<JsonNode> items = new ArrayList<>();
    if (answer.has("items")) answer.path("items").forEach(items::add);
    else items.add(answer);
    return items;
  }

  /** kubectl's columns: [NAMESPACE] NAME CPU(cores) MEMORY(bytes), each pod's containers summed. */
  static List<String> podTable(List<JsonNode> pods, boolean namespaces) {
    TextTable t = new TextTable().add(namespaces ? List.of("NAMESPACE", "NAME", "CPU(cores)", "MEMORY(bytes)")
        : List.of("NAME", "CPU(cores)", "MEMORY(bytes)"));
    for (JsonNode p : pods) {
      long cpu = 0;
      long memory = 0;
      for (JsonNode c : p.path("containers")) {
        cpu += milliCores(c.path("usage").path("cpu"));
        memory += bytes(c.path("usage").path("memory"));
      }
      List<String> row = new ArrayList<>();
      if (namespaces) row.add(p.path("metadata").path("namespace").asText());
      row.add(p.path("metadata").path("name").asText());
      row.add(cpu + "m");
      row.add(memory / (1024 * 1024) + "Mi");
      t.add(row);
    }
    return t.lines();
  }

  /** kubectl's columns: NAME CPU(cores) CPU(%) MEMORY(bytes) MEMORY(%), shares of the node's allocatable. */
  static List<String> nodeTable(List<JsonNode> nodes, Map<String, JsonNode> allocatable) {
    TextTable t = new TextTable().add(List.of("NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"));
    for (JsonNode n : nodes) {
      String node = n.path("metadata").path("name").asText();
      long cpu = milliCores(n.path("usage").path("cpu"));
      long memory = bytes(n.path("usage").path("memory"));
      JsonNode room = allocatable.get(node);
      long cpuRoom = room == null ? 0 : milliCores(room.path("cpu"));
      long memoryRoom = room == null ? 0 : bytes(room.path("memory"));
      t.add(List.of(node, cpu + "m", cpuRoom == 0 ? "<unknown>" : cpu * 100 / cpuRoom + "%",
          memory / (1024 * 1024) + "Mi", memoryRoom == 0 ? "<unknown>" : memory * 100 / memoryRoom + "%"));
    }
    return t.lines();
  }

  private static long milliCores(JsonNode q) {
    return q.isTextual() || q.isNumber() ? Quantity.parse(q.asText()).milliValue() : 0;
  }

  private static long bytes(JsonNode q) {
    return q.isTextual() || q.isNumber() ? Quantity.parse(q.asText()).longValue() : 0;
  }
}
