package dev.tugboat.kinds.ingress;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.ObjectMeta;
import java.util.List;

/**
 * An Ingress (networking.k8s.io/v1): HTTP routes from outside the cluster to Services, by host and
 * path, with TLS from {@code kubernetes.io/tls} Secrets. The ingress controller of its class serves
 * it; Tugboat's ({@code tugboat.dev/ingress}) runs in every worker's proxy.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Ingress(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status)
    implements ApiObject {

  /** The class an Ingress names by annotation, from before {@code spec.ingressClassName} existed. */
  public static final String CLASS_ANNOTATION = "kubernetes.io/ingress.class";
  public static final String PREFIX = "Prefix";
  public static final String EXACT = "Exact";
  public static final String IMPLEMENTATION_SPECIFIC = "ImplementationSpecific";
  public static final List<String> PATH_TYPES = List.of(EXACT, PREFIX, IMPLEMENTATION_SPECIFIC);

  @Override
  public Ingress withMetadata(ObjectMeta metadata) {
    return new Ingress(apiVersion, kind, metadata, spec, status);
  }

  /**
   * What is routed: requests matching a rule's host and one of its paths go to that path's backend,
   * the others to {@code defaultBackend}; {@code tls} says which hosts are served over TLS with
   * which Secret's certificate.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(String ingressClassName, Backend defaultBackend, List<Tls> tls, List<Rule> rules) {}

  /** Exactly one of a Service port or a resource of another kind (which Tugboat does not route to). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Backend(ServiceBackend service, ResourceReference resource) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ServiceBackend(String name, ServiceBackendPort port) {}

  /** A Service port by its name or its number, exactly one of them. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ServiceBackendPort(String name, Integer number) {}

  /** Kubernetes' TypedLocalObjectReference. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ResourceReference(String apiGroup, String kind, String name) {}

  /** Hosts served over TLS with the certificate of the Secret {@code secretName} of the Ingress's namespace. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Tls(List<String> hosts, String secretName) {}

  /** A host ({@code foo.example.com}, {@code *.example.com}, or none: every host) and its paths. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Rule(String host, Http http) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Http(List<Path> paths) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Path(String path, String pathType, Backend backend) {}

  /** Where the Ingress is reachable: {@code loadBalancer.ingress}, the addresses of the nodes serving it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(LoadBalancer loadBalancer) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record LoadBalancer(List<LoadBalancerIngress> ingress) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record LoadBalancerIngress(String ip, String hostname, List<PortStatus> ports) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PortStatus(Integer port, String protocol, String error) {}
}
