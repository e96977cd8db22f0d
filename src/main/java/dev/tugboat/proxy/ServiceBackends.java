package dev.tugboat.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The ready endpoints of one Service port, read from its Endpoints: what the service proxy forwards
 * connections to and the ingress controller forwards requests to. Pure.
 */
public final class ServiceBackends {
  private ServiceBackends() {}

  /** A ready endpoint: the address and port traffic is forwarded to, its pod, and the node it runs on ("" unknown). */
  public record Backend(String host, int port, String podUid, String nodeName) {}

  /**
   * The ready addresses of the Endpoints' subsets at the port of {@code servicePort}: the port of
   * the same name, or the only port of a Service with one unnamed port; pods in {@code terminating}
   * are left out (the proxy saw their deletion before the Endpoints say so).
   *
   * @param endpoints the Service's Endpoints, or null when it has none
   * @param servicePorts how many ports the Service has
   */
  public static List<Backend> ready(JsonNode endpoints, JsonNode servicePort, int servicePorts, Set<String> terminating) {
    List<Backend> ready = new ArrayList<>();
    if (endpoints == null) return ready;
    String name = servicePort.path("name").asText("");
    for (JsonNode subset : endpoints.path("subsets")) {
      for (JsonNode port : subset.path("ports")) {
        boolean match = name.isEmpty() ? servicePorts == 1 : name.equals(port.path("name").asText(""));
        if (!match) continue;
        for (JsonNode address : subset.path("addresses")) {
          String uid = address.path("targetRef").path("uid").asText("");
          if (terminating.contains(uid)) continue;
          ready.add(new Backend(address.path("ip").asText(), port.path("port").asInt(), uid,
              address.path("nodeName").asText("")));
        }
      }
    }
    return ready;
  }
}
