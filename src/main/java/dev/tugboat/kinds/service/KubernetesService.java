package dev.tugboat.kinds.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code kubernetes} Service of namespace {@code default}: how pods reach the API, as in
 * Kubernetes. A ClusterIP Service without selector at the first address of the cluster IP range
 * ({@code 10.96.0.1}), port 443 named {@code https}, whose Endpoints list the members serving the
 * API (kept by the {@code kubernetes-service} controller). The API's serving certificate names it
 * ({@link #dnsNames}, {@link #clusterIp}), and every pod, of whatever namespace, gets its
 * {@code KUBERNETES_SERVICE_HOST}/{@code _PORT} variables. Pure.
 */
public final class KubernetesService {
  public static final String NAMESPACE = "default";
  public static final String NAME = "kubernetes";
  public static final int PORT = 443;
  public static final String PORT_NAME = "https";

  private KubernetesService() {}

  /** One member serving the API: where the proxy forwards to. */
  public record ApiAddress(String ip, int port) {}

  /** Kubernetes reserves the first address of the range for this Service; the allocator hands it to no other. */
  public static String clusterIp(ClusterIpRange range) {
    return range.address(1);
  }

  /** The names a pod may use for the API, as kube-apiserver's serving certificate carries them. */
  public static List<String> dnsNames(String clusterDomain) {
    return List.of("kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc." + clusterDomain);
  }

  public static boolean is(String namespace, String name) {
    return NAMESPACE.equals(namespace) && NAME.equals(name);
  }

  /** The Service as the controller wants it (labelled as Kubernetes labels its own). */
  public static ObjectNode service(ClusterIpRange range, int targetPort) {
    ObjectNode s = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "Service");
    ObjectNode meta = s.putObject("metadata").put("name", NAME).put("namespace", NAMESPACE);
    meta.putObject("labels").put("component", "apiserver").put("provider", "kubernetes");
    ObjectNode spec = s.putObject("spec").put("type", "ClusterIP").put("clusterIP", clusterIp(range))
        .put("sessionAffinity", "None");
    spec.putArray("clusterIPs").add(clusterIp(range));
    spec.set("ports", ports(targetPort));
    return s;
  }

  /** The Service's one port; {@code targetPort} is the API's port (of the first member: they may differ). */
  public static ArrayNode ports(int targetPort) {
    ArrayNode ports = JsonNodeFactory.instance.arrayNode();
    ports.addObject().put("name", PORT_NAME).put("port", PORT).put("protocol", "TCP").put("targetPort", targetPort);
    return ports;
  }

  /**
   * The Endpoints' subsets for these members: one per API port (members of one cluster usually
   * share it; tests on one host do not), addresses sorted, so the same members give the same object.
   */
  public static ArrayNode subsets(List<ApiAddress> members) {
    Map<Integer, List<String>> byPort = new TreeMap<>();
    for (ApiAddress a : members) byPort.computeIfAbsent(a.port(), p -> new java.util.ArrayList<>()).add(a.ip());
    ArrayNode subsets = JsonNodeFactory.instance.arrayNode();
    byPort.forEach((port, ips) -> {
      ObjectNode subset = subsets.addObject();
      ArrayNode addresses = subset.putArray("addresses");
      ips.stream().distinct().sorted(Comparator.naturalOrder()).forEach(ip -> addresses.addObject().put("ip", ip));
      subset.putArray("ports").addObject().put("name", PORT_NAME).put("port", port).put("protocol", "TCP");
    });
    return subsets;
  }
}
