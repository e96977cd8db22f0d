package dev.tugboat.kinds.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Ingresses as kubectl prints them (its printIngress): CLASS, HOSTS (three, then {@code + N more...},
 * {@code *} for none), ADDRESS (the load balancer's addresses, clipped to 16 characters) and PORTS.
 * kubectl's PORTS are always {@code 80} or {@code 80, 443}; Tugboat's controller listens on other
 * ports (8081 and 8443 by default), so where the status lists the ports it serves on, those are shown.
 */
public record IngressPrinter() implements Printer {
  private static final int HOSTS_SHOWN = 3;
  private static final int ADDRESS_WIDTH = 16;
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.of("Class", "The name of the IngressClass resource that should be used for ingress class"),
      Column.of("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
      Column.of("Address", "Address is a list containing ingress points for the load-balancer"),
      Column.of("Ports", "Ports of TLS configurations that open"),
      Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode ing, Instant now) {
    JsonNode spec = ing.path("spec");
    return List.of(
        ing.path("metadata").path("name").asText(),
        Cells.text(spec.path("ingressClassName"), Cells.NONE),
        hosts(spec.path("rules")),
        address(ing.path("status").path("loadBalancer").path("ingress")),
        ports(spec.path("tls"), ing.path("status").path("loadBalancer").path("ingress")),
        Cells.age(ing.path("metadata").path("creationTimestamp"), now));
  }

  static String hosts(JsonNode rules) {
    List<String> list = new ArrayList<>();
    boolean more = false;
    for (JsonNode rule : rules) {
      if (list.size() == HOSTS_SHOWN) more = true;
      String host = rule.path("host").asText("");
      if (!more && !host.isEmpty()) list.add(host);
    }
    if (list.isEmpty()) return "*";
    String joined = String.join(",", list);
    return more ? joined + " + " + (rules.size() - HOSTS_SHOWN) + " more..." : joined;
  }

  static String address(JsonNode ingress) {
    TreeSet<String> addresses = new TreeSet<>();
    for (JsonNode i : ingress) {
      String ip = i.path("ip").asText("");
      String hostname = i.path("hostname").asText("");
      if (!ip.isEmpty()) addresses.add(ip);
      else if (!hostname.isEmpty()) addresses.add(hostname);
    }
    String joined = String.join(",", addresses);
    return joined.length() > ADDRESS_WIDTH ? joined.substring(0, ADDRESS_WIDTH - 3) + "..." : joined;
  }

  static String ports(JsonNode tls, JsonNode ingress) {
    Set<Integer> ports = new LinkedHashSet<>(); // as listed: HTTP first, as kubectl's "80, 443"
    for (JsonNode i : ingress) i.path("ports").forEach(p -> ports.add(p.path("port").asInt()));
    if (!ports.isEmpty()) return String.join(", ", ports.stream().map(String::valueOf).toList());
    return tls.isArray() && !tls.isEmpty() ? "80, 443" : "80";
  }
}
