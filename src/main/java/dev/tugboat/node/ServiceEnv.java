package dev.tugboat.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.service.ServiceAddresses;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Kubernetes' service environment variables for a container, for the Services of its namespace
 * that exist when it starts: {@code WEB_SERVICE_HOST}, {@code WEB_SERVICE_PORT},
 * {@code WEB_SERVICE_PORT_HTTP}, and the Docker-link style {@code WEB_PORT},
 * {@code WEB_PORT_80_TCP}, ... They point at the pod gateway and the Services' pod ports, the
 * address pods reach Services at (see {@link ServiceAddresses}). Pure.
 */
final class ServiceEnv {
  private ServiceEnv() {}

  static Map<String, String> of(List<ObjectNode> services, String gateway) {
    Map<String, String> env = new LinkedHashMap<>();
    if (gateway == null) return env;
    services.stream().sorted(Comparator.comparing(s -> s.path("metadata").path("name").asText())).forEach(service -> {
      if (ServiceAddresses.unproxied(service)) return;
      Map<String, Integer> podPorts = ServiceAddresses.podPorts(service);
      JsonNode ports = service.path("spec").path("ports");
      if (ports.isEmpty() || podPorts.isEmpty()) return;
      String prefix = service.path("metadata").path("name").asText().toUpperCase(Locale.ROOT).replace('-', '_');
      Integer first = podPorts.get(ServiceAddresses.portKey(ports.get(0)));
      if (first == null) return;
      env.put(prefix + "_SERVICE_HOST", gateway);
      env.put(prefix + "_SERVICE_PORT", Integer.toString(first));
      String proto0 = ports.get(0).path("protocol").asText("TCP").toLowerCase(Locale.ROOT);
      env.put(prefix + "_PORT", proto0 + "://" + gateway + ":" + first);
      for (JsonNode port : ports) {
        Integer podPort = podPorts.get(ServiceAddresses.portKey(port));
        if (podPort == null) continue;
        if (port.hasNonNull("name")) {
          env.put(prefix + "_SERVICE_PORT_" + port.path("name").asText().toUpperCase(Locale.ROOT).replace('-', '_'),
              Integer.toString(podPort));
        }
        String protocol = port.path("protocol").asText("TCP");
        String link = prefix + "_PORT_" + port.path("port").asInt() + "_" + protocol;
        env.put(link, protocol.toLowerCase(Locale.ROOT) + "://" + gateway + ":" + podPort);
        env.put(link + "_PROTO", protocol.toLowerCase(Locale.ROOT));
        env.put(link + "_PORT", Integer.toString(podPort));
        env.put(link + "_ADDR", gateway);
      }
    });
    return env;
  }
}
