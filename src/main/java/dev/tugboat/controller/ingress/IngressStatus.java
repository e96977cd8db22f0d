package dev.tugboat.controller.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.TreeSet;

/**
 * The status of an Ingress Tugboat's controller serves, without I/O: {@code loadBalancer.ingress}
 * lists the InternalIP of every Ready node (every worker runs the controller, so each is a way in),
 * once per address, sorted, each with the ports the controller listens on: HTTP, and HTTPS when the
 * Ingress has TLS.
 */
public final class IngressStatus {
  private IngressStatus() {}

  public static ObjectNode of(JsonNode ingress, List<? extends JsonNode> nodes, int httpPort, int httpsPort) {
    TreeSet<String> addresses = new TreeSet<>();
    for (JsonNode node : nodes) {
      if (!ready(node) || node.path("metadata").has("deletionTimestamp")) continue;
      for (JsonNode a : node.path("status").path("addresses")) {
        if ("InternalIP".equals(a.path("type").asText()) && !a.path("address").asText("").isEmpty()) {
          addresses.add(a.path("address").asText());
        }
      }
    }
    boolean tls = ingress.path("spec").path("tls").isArray() && !ingress.path("spec").path("tls").isEmpty();
    ObjectNode status = JsonNodeFactory.instance.objectNode();
    ObjectNode loadBalancer = status.putObject("loadBalancer");
    if (addresses.isEmpty()) return status;
    ArrayNode points = loadBalancer.putArray("ingress");
    for (String address : addresses) {
      ObjectNode point = points.addObject().put("ip", address);
      ArrayNode ports = point.putArray("ports");
      ports.addObject().put("port", httpPort).put("protocol", "TCP");
      if (tls && httpsPort > 0) ports.addObject().put("port", httpsPort).put("protocol", "TCP");
    }
    return status;
  }

  private static boolean ready(JsonNode node) {
    for (JsonNode c : node.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) return "True".equals(c.path("status").asText());
    }
    return false;
  }
}
