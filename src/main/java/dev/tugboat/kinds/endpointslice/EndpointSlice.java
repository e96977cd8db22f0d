package dev.tugboat.kinds.endpointslice;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.ObjectMeta;
import dev.tugboat.model.ObjectReference;
import java.util.List;
import java.util.Map;

/**
 * An EndpointSlice (discovery.k8s.io/v1): a share of a Service's endpoints that all have the same
 * ports, each endpoint with its addresses and conditions (ready, serving, terminating). The
 * endpoints controller keeps them beside the Service's Endpoints, which they mirror.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EndpointSlice(String apiVersion, String kind, ObjectMeta metadata, String addressType,
    List<Endpoint> endpoints, List<Port> ports) implements ApiObject {

  /** The label naming a slice's Service. */
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  /** The label naming who manages a slice. */
  public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
  /** Kubernetes' EndpointSlice controller's name, which Tugboat's endpoints controller uses for the slices it keeps. */
  public static final String CONTROLLER_NAME = "endpointslice-controller.k8s.io";
  public static final List<String> ADDRESS_TYPES = List.of("IPv4", "IPv6", "FQDN");

  @Override
  public EndpointSlice withMetadata(ObjectMeta metadata) {
    return new EndpointSlice(apiVersion, kind, metadata, addressType, endpoints, ports);
  }

  EndpointSlice withPorts(List<Port> ports) {
    return new EndpointSlice(apiVersion, kind, metadata, addressType, endpoints, ports);
  }

  /** One backend: its addresses (one, in practice), its state, and where it runs. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Endpoint(List<String> addresses, Conditions conditions, String hostname, ObjectReference targetRef,
      Map<String, String> deprecatedTopology, String nodeName, String zone, JsonNode hints) {}

  /**
   * {@code ready}: it should get new traffic (serving and not terminating); {@code serving}: it
   * answers (its readiness, whatever else); {@code terminating}: its pod is being deleted.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Conditions(Boolean ready, Boolean serving, Boolean terminating) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Port(String name, String protocol, Integer port, String appProtocol) {
    Port withProtocol(String protocol) {
      return new Port(name, protocol, port, appProtocol);
    }
  }
}
