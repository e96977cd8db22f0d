package dev.tugboat.kinds.service;

import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Services: TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S) ({@code 80:30080/TCP}); wide: selector. */
public record ServicePrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.of("Type", "type determines how the Service is exposed."),
      Column.of("Cluster-IP", "clusterIP is the IP address of the service."),
      Column.of("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
      Column.of("Port(s)", "The ports that are exposed by this service."),
      Column.age(),
      Column.wide("Selector", "Route service traffic to pods with label keys and values matching this selector."));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode svc, Instant now) {
    JsonNode spec = svc.path("spec");
    String type = Cells.text(spec.path("type"), "ClusterIP");
    return List.of(
        svc.path("metadata").path("name").asText(),
        type,
        Cells.text(spec.path("clusterIP"), Cells.NONE),
        externalIp(type, svc),
        ports(spec.path("ports")),
        Cells.age(svc.path("metadata").path("creationTimestamp"), now),
        Cells.labels(spec.path("selector")));
  }

  private static String externalIp(String type, JsonNode svc) {
    JsonNode spec = svc.path("spec");
    List<String> ips = new ArrayList<>();
    spec.path("externalIPs").forEach(ip -> ips.add(ip.asText()));
    return switch (type) {
      case "ExternalName" -> Cells.text(spec.path("externalName"), Cells.NONE);
      case "LoadBalancer" -> {
        svc.path("status").path("loadBalancer").path("ingress").forEach(i ->
            ips.add(Cells.text(i.path("ip"), i.path("hostname").asText(""))));
        yield ips.isEmpty() ? "<pending>" : String.join(",", ips);
      }
      default -> ips.isEmpty() ? Cells.NONE : String.join(",", ips);
    };
  }

  private static String ports(JsonNode ports) {
    if (ports.isEmpty()) return Cells.NONE;
    List<String> parts = new ArrayList<>();
    for (JsonNode p : ports) {
      String protocol = Cells.text(p.path("protocol"), "TCP");
      int nodePort = p.path("nodePort").asInt(0);
      parts.add(nodePort > 0 ? p.path("port").asInt() + ":" + nodePort + "/" + protocol
          : p.path("port").asInt() + "/" + protocol);
    }
    return String.join(",", parts);
  }
}
