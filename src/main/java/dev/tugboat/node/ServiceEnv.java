package dev.tugboat.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.service.ServiceAddresses;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Kubernetes' service environment variables for a container, for the Services of its namespace
 * that exist when it starts: {@code WEB_SERVICE_HOST}, {@code WEB_SERVICE_PORT},
 * {@code WEB_SERVICE_PORT_HTTP}, and the Docker-link style {@code WEB_PORT},
 * {@code WEB_PORT_80_TCP}, ... They name the Service's cluster IP and ports, as Kubernetes' do;
 * for a Service whose cluster IP is a loopback one (pods cannot reach it), the pod gateway and the
 * Service's pod ports instead (see {@link ServiceAddresses}). Pure.
 */
final class ServiceEnv {
  private ServiceEnv() {}

  static Map<String, String> of(List<ObjectNode> services, String gateway) {
    Map<String, String> env = new LinkedHashMap<>();
    services.stream().sorted(Comparator.comparing(s -> s.path("metadata").path("name").asText())).forEach(service -> {
      if (ServiceAddresses.unproxied(service)) return;
      JsonNode ports = service.path("spec").path("ports");
      String clusterIp = service.path("spec").path("clusterIP").asText("");
      boolean direct = ServiceAddresses.reachableFromPods(clusterIp);
      String host = direct ? clusterIp : gateway;
      Map<String, Integer> podPorts = ServiceAddresses.podPorts(service);
      if (ports.isEmpty() || host == null || (!direct && podPorts.isEmpty())) return;
      Function<JsonNode, Integer> portOf = direct ? port -> port.path("port").asInt()
          : port -> podPorts.get(ServiceAddresses.portKey(port));
      String prefix = service.path("metadata").path("name").asText().toUpperCase(Locale.ROOT).replace('-', '_');
      Integer first = portOf.apply(ports.get(0));
      if (first == null) return;
      env.put(prefix + "_SERVICE_HOST", host);
      env.put(prefix + "_SERVICE_PORT", Integer.toString(first));
      String proto0 = ports.get(0).path("protocol").asText("TCP").toLowerCase(Locale.ROOT);
      env.put(prefix + "_PORT", proto0 + "://" + host + ":" + first);
      for (JsonNode port : ports) {
        Integer reached = portOf.apply(port);
        if (reached == null) continue;
        if (port.hasNonNull("name")) {
          env.put(prefix + "_SERVICE_PORT_" + port.path("name").asText().toUpperCase(Locale.ROOT).replace('-', '_'),
              Integer.toString(reached));
        }
        String protocol = port.path("protocol").asText("TCP");
        String link = prefix + "_PORT_" + port.path("port").asInt() + "_" + protocol;
        env.put(link, protocol.toLowerCase(Locale.ROOT) + "://" + host + ":" + reached);
        env.put(link + "_PROTO", protocol.toLowerCase(Locale.ROOT));
        env.put(link + "_PORT", Integer.toString(reached));
        env.put(link + "_ADDR", host);
      }
    });
    return env;
  }
}
