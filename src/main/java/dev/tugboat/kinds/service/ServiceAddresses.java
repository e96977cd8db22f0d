package dev.tugboat.kinds.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Where a Service can be reached, decided without I/O: its cluster IP, its node ports, and the port
 * pods use for each Service port. The service controller assigns them; the node agent (the
 * Services' environment variables) and the service proxy (its listeners) read them, so the rules
 * live with the kind.
 *
 * <p>The addressing model (docs/services.md): a Service's {@code spec.clusterIP} is an address of
 * the cluster IP range ({@link ClusterIpRange}, {@code 10.96.0.0/12} by default), which every worker
 * makes its host's own with one local route, and every node's proxy listens on it at the Service's
 * ports: {@code curl 10.96.3.7:80} works on any node and in any pod (whose packets to it reach the
 * host through the pod gateway). A NodePort Service also listens on the node's address at its
 * {@code nodePort}. Each Service port also gets a "pod port" on the node's pod gateway (the Docker
 * bridge's address), recorded in the {@link #POD_PORTS} annotation: how pods reach Services whose
 * cluster IPs are loopback addresses ({@code 127.16.0.0/12}, the range for hosts where no route may
 * be added), which in a pod's network namespace are the pod's own.
 */
public final class ServiceAddresses {
  public static final String POD_PORTS = "service.tugboat.dev/pod-ports";

  private ServiceAddresses() {}

  /**
   * A free cluster IP of {@code range} (neither its network nor its broadcast address), starting
   * from one derived from the Service's key so that it is stable.
   */
  public static String clusterIp(String key, Set<String> taken, ClusterIpRange range) {
    long usable = range.size() - 2;
    long start = Math.floorMod(key.hashCode(), usable);
    for (long i = 0; i < usable; i++) {
      String ip = range.address(1 + (start + i) % usable);
      if (!taken.contains(ip)) return ip;
    }
    throw new IllegalStateException("no cluster IP left in " + range);
  }

  /** Whether pods can reach a cluster IP: any but a loopback one (127/8 is a pod's own). */
  public static boolean reachableFromPods(String clusterIp) {
    return !clusterIp.isEmpty() && !clusterIp.equals("None") && !clusterIp.startsWith("127.");
  }

  /** A free port of {@code [min, max]}, starting from one derived from {@code seed}; -1 when none is left. */
  public static int port(String seed, int min, int max, Set<Integer> taken) {
    int size = max - min + 1;
    int start = Math.floorMod(seed.hashCode(), size);
    for (int i = 0; i < size; i++) {
      int port = min + (start + i) % size;
      if (!taken.contains(port)) return port;
    }
    return -1;
  }

  /** "port/PROTOCOL" of a Service port: how pod ports are keyed. */
  public static String portKey(JsonNode servicePort) {
    return servicePort.path("port").asInt() + "/" + servicePort.path("protocol").asText("TCP");
  }

  /** The pod ports of a Service, from its annotation ("80/TCP=20017,443/TCP=20018"). */
  public static Map<String, Integer> podPorts(JsonNode service) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    String text = service.path("metadata").path("annotations").path(POD_PORTS).asText("");
    for (String entry : text.split(",")) {
      int eq = entry.indexOf('=');
      if (eq <= 0) continue;
      try {
        ports.put(entry.substring(0, eq).trim(), Integer.parseInt(entry.substring(eq + 1).trim()));
      } catch (NumberFormatException e) {
        // a hand-edited annotation: that port gets a new pod port
      }
    }
    return ports;
  }

  public static String podPortsText(Map<String, Integer> ports) {
    StringBuilder s = new StringBuilder();
    ports.forEach((k, v) -> s.append(s.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return s.toString();
  }

  /** Whether the Service has no proxy of its own: headless ({@code clusterIP: None}) or ExternalName. */
  public static boolean unproxied(JsonNode service) {
    return "None".equals(service.path("spec").path("clusterIP").asText())
        || "ExternalName".equals(service.path("spec").path("type").asText());
  }

  /** Whether the Service gets node ports (NodePort and LoadBalancer). */
  public static boolean isNodePort(ObjectNode service) {
    String type = service.path("spec").path("type").asText("ClusterIP");
    return type.equals("NodePort") || type.equals("LoadBalancer");
  }
}
