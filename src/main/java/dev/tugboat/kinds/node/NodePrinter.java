package dev.tugboat.kinds.node;

import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/** Nodes: STATUS from the Ready condition (plus SchedulingDisabled), ROLES from the role labels, VERSION. */
public record NodePrinter() implements Printer {
  private static final String ROLE_PREFIX = "node-role.kubernetes.io/";
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.of("Status", "The status of the node"),
      Column.of("Roles", "The roles of the node"),
      Column.age(),
      Column.of("Version", "Kubelet Version reported by the node."),
      Column.wide("Internal-IP", "List of addresses reachable to the node. Queried from cloud provider, if available."),
      Column.wide("External-IP", "List of addresses reachable to the node. Queried from cloud provider, if available."),
      Column.wide("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
      Column.wide("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
      Column.wide("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2)."));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode node, Instant now) {
    JsonNode info = node.path("status").path("nodeInfo");
    return List.of(
        node.path("metadata").path("name").asText(),
        status(node),
        roles(node.path("metadata").path("labels")),
        Cells.age(node.path("metadata").path("creationTimestamp"), now),
        Cells.text(info.path("kubeletVersion"), ""),
        address(node, "InternalIP"),
        address(node, "ExternalIP"),
        Cells.text(info.path("osImage"), Cells.UNKNOWN),
        Cells.text(info.path("kernelVersion"), Cells.UNKNOWN),
        Cells.text(info.path("containerRuntimeVersion"), Cells.UNKNOWN));
  }

  private static String status(JsonNode node) {
    String status = "Unknown";
    for (JsonNode c : node.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) status = c.path("status").asText().equals("True") ? "Ready" : "NotReady";
    }
    return node.path("spec").path("unschedulable").asBoolean(false) ? status + ",SchedulingDisabled" : status;
  }

  private static String roles(JsonNode labels) {
    TreeSet<String> roles = new TreeSet<>();
    labels.fields().forEachRemaining(e -> {
      if (e.getKey().startsWith(ROLE_PREFIX) && e.getKey().length() > ROLE_PREFIX.length()) {
        roles.add(e.getKey().substring(ROLE_PREFIX.length()));
      } else if (e.getKey().equals("kubernetes.io/role") && !e.getValue().asText().isEmpty()) {
        roles.add(e.getValue().asText());
      }
    });
    return roles.isEmpty() ? Cells.NONE : String.join(",", roles);
  }

  private static String address(JsonNode node, String type) {
    for (JsonNode a : node.path("status").path("addresses")) {
      if (a.path("type").asText().equals(type)) return a.path("address").asText();
    }
    return Cells.NONE;
  }
}
