package dev.tugboat.dns;

import java.util.List;
import java.util.Optional;

/**
 * What the cluster resolver reads: the Services, and the ready addresses behind headless ones. The
 * server's is {@link ServiceDirectory}, kept current from this member's index; a test builds one
 * from objects it writes.
 */
public interface ClusterView {

  /** A Service port as DNS names it ({@code _http._tcp}): a name, a protocol, a number. */
  record Port(String name, String protocol, int port) {}

  /**
   * A Service as the DNS sees it.
   *
   * @param clusterIp its address; "None" for a headless Service, null while none is allocated
   * @param externalName for type ExternalName, the name it aliases; else null
   */
  record Service(String namespace, String name, String clusterIp, String externalName, List<Port> ports) {
    public Service {
      ports = List.copyOf(ports);
    }

    public boolean headless() {
      return "None".equals(clusterIp);
    }
  }

  /**
   * A ready address of a Service: the pod's own address for a pod (what pods reach each other at),
   * the written address for hand-made Endpoints; its hostname (StatefulSet pods) or null; its ports,
   * the pod's container ports.
   */
  record Endpoint(String ip, String hostname, List<Port> ports) {
    public Endpoint {
      ports = List.copyOf(ports);
    }
  }

  Optional<Service> service(String namespace, String name);

  /** The Service that holds this cluster IP. */
  Optional<Service> serviceByClusterIp(String ip);

  /** The ready addresses of the Service's Endpoints, in their order. */
  List<Endpoint> readyEndpoints(String namespace, String name);

  /** Whether any Service lives in the namespace (its name then exists in DNS, with no records of its own). */
  boolean hasNamespace(String namespace);
}
