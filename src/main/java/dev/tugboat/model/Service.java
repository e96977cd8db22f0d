package dev.tugboat.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A Service: a stable address and ports in front of the ready pods its selector matches (or the
 * Endpoints its user writes, without a selector), or a DNS alias of another name (ExternalName).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Service(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status)
    implements ApiObject {

  @Override
  public Service withMetadata(ObjectMeta metadata) {
    return new Service(apiVersion, kind, metadata, spec, status);
  }

  public Service withSpec(Spec spec) {
    return new Service(apiVersion, kind, metadata, spec, status);
  }

  public Service withStatus(Status status) {
    return new Service(apiVersion, kind, metadata, spec, status);
  }

  /**
   * {@code externalName}: for type ExternalName, the name the cluster DNS answers as a CNAME;
   * {@code sessionAffinityConfig}: with {@code sessionAffinity: ClientIP}, how long a client stays on
   * its endpoint without a new connection; {@code externalTrafficPolicy}: for node ports, {@code Local}
   * sends only to endpoints on the node the connection reached.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(String type, Map<String, String> selector, List<Port> ports, String clusterIP,
      List<String> clusterIPs, String sessionAffinity, String externalTrafficPolicy, String externalName,
      SessionAffinityConfig sessionAffinityConfig) {

    public Spec withDefaults(String type, List<Port> ports, String sessionAffinity) {
      return new Spec(type, selector, ports, clusterIP, clusterIPs, sessionAffinity, externalTrafficPolicy, externalName,
          sessionAffinityConfig);
    }

    public Spec withTraffic(String externalTrafficPolicy, SessionAffinityConfig sessionAffinityConfig) {
      return new Spec(type, selector, ports, clusterIP, clusterIPs, sessionAffinity, externalTrafficPolicy, externalName,
          sessionAffinityConfig);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SessionAffinityConfig(ClientIPConfig clientIP) {}

  /** Kubernetes' default timeout is 10800 s (3 hours), its maximum 86400 (a day). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ClientIPConfig(Integer timeoutSeconds) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Port(String name, String protocol, Integer port, IntOrString targetPort, Integer nodePort) {
    public Port withDefaults(String protocol, IntOrString targetPort) {
      return new Port(name, protocol, port, targetPort, nodePort);
    }
  }

  /** {@code loadBalancer} is kept as written: Tugboat has no load balancers to report. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(JsonNode loadBalancer) {}
}
