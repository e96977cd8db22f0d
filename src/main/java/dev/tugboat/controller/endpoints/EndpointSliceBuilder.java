package dev.tugboat.controller.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.Pods;
import dev.tugboat.kinds.endpointslice.EndpointSlice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The EndpointSlices of a Service, from the pods its selector matches, without I/O: the same
 * endpoints as its Endpoints ({@link EndpointsBuilder}), in the shape clients read today.
 *
 * <p>A slice's ports hold for every endpoint in it, and Tugboat's endpoints are node addresses at
 * host ports (docs/services.md): pods whose host ports differ cannot share a slice, so there is a
 * slice per set of ports, as there is a subset per set of ports in the Endpoints (Kubernetes' own
 * controller groups by ports the same way), and at most {@value #MAX_ENDPOINTS} endpoints in one, as
 * its default {@code --max-endpoints-per-slice}. Unlike Endpoints, a pod being deleted stays, with
 * {@code terminating: true} and {@code ready: false}, while it is still there. A Service with no
 * endpoints keeps one empty slice, as Kubernetes' placeholder.
 */
public final class EndpointSliceBuilder {
  static final int MAX_ENDPOINTS = 100;

  private EndpointSliceBuilder() {}

  /** One desired slice: the key of its ports (how it is matched with a slice that exists), and its content. */
  public record Desired(String portsKey, ObjectNode slice) {}

  public static List<Desired> build(ObjectNode service, List<ObjectNode> podsInNamespace) {
    Map<String, List<ObjectNode>> byPorts = new LinkedHashMap<>();
    Map<String, ArrayNode> portsOf = new LinkedHashMap<>();
    List<ObjectNode> pods = new ArrayList<>(podsInNamespace);
    pods.sort(Comparator.comparing(Meta::name));
    for (ObjectNode pod : pods) {
      if (!EndpointsBuilder.selects(service, pod)) continue;
      String phase = pod.path("status").path("phase").asText("");
      if (phase.equals("Succeeded") || phase.equals("Failed")) continue;
      String hostIp = pod.path("status").path("hostIP").asText("");
      if (hostIp.isEmpty()) continue;
      ArrayNode ports = slicePorts(EndpointsBuilder.ports(service, pod));
      if (ports.isEmpty()) continue;
      String key = portsKey(ports);
      portsOf.putIfAbsent(key, ports);
      byPorts.computeIfAbsent(key, k -> new ArrayList<>()).add(endpoint(service, pod, hostIp));
    }
    List<Desired> slices = new ArrayList<>();
    byPorts.forEach((key, endpoints) -> {
      for (int from = 0; from < endpoints.size(); from += MAX_ENDPOINTS) {
        List<ObjectNode> chunk = endpoints.subList(from, Math.min(endpoints.size(), from + MAX_ENDPOINTS));
        slices.add(new Desired(key, slice(service, portsOf.get(key), chunk)));
      }
    });
    if (slices.isEmpty()) {
      ArrayNode none = JsonNodeFactory.instance.arrayNode();
      slices.add(new Desired(portsKey(none), slice(service, none, List.of())));
    }
    return slices;
  }

  /** What a slice's ports are compared by: name, protocol and number of each, in order. */
  public static String portsKey(JsonNode ports) {
    StringBuilder key = new StringBuilder();
    for (JsonNode p : ports) {
      key.append(p.path("name").asText("")).append('/').append(p.path("protocol").asText("TCP")).append('/')
          .append(p.path("port").asInt()).append(';');
    }
    return key.toString();
  }

  /** The labels of every slice of the Service: its own, the service name, the manager; headless marked. */
  public static ObjectNode labels(JsonNode service) {
    ObjectNode labels = JsonNodeFactory.instance.objectNode();
    service.path("metadata").path("labels").fields().forEachRemaining(e -> labels.set(e.getKey(), e.getValue()));
    if ("None".equals(service.path("spec").path("clusterIP").asText())) labels.put("service.kubernetes.io/headless", "");
    labels.put(EndpointSlice.SERVICE_NAME_LABEL, Meta.name(service));
    labels.put(EndpointSlice.MANAGED_BY_LABEL, EndpointSlice.CONTROLLER_NAME);
    return labels;
  }

  /** Whether a slice (as JSON) is one this controller keeps for the Service named {@code service}. */
  public static boolean managedFor(JsonNode slice, String service) {
    JsonNode labels = slice.path("metadata").path("labels");
    return service.equals(labels.path(EndpointSlice.SERVICE_NAME_LABEL).asText(null))
        && EndpointSlice.CONTROLLER_NAME.equals(labels.path(EndpointSlice.MANAGED_BY_LABEL).asText());
  }

  private static ObjectNode slice(ObjectNode service, ArrayNode ports, List<ObjectNode> endpoints) {
    ObjectNode slice = JsonNodeFactory.instance.objectNode().put("apiVersion", "discovery.k8s.io/v1")
        .put("kind", "EndpointSlice");
    ObjectNode meta = slice.putObject("metadata");
    meta.put("generateName", Meta.name(service) + "-").put("namespace", Meta.namespace(service));
    meta.set("labels", labels(service));
    meta.putArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "Service")
        .put("name", Meta.name(service)).put("uid", Meta.uid(service)).put("controller", true).put("blockOwnerDeletion", true);
    slice.put("addressType", "IPv4");
    ArrayNode list = slice.putArray("endpoints");
    endpoints.forEach(list::add);
    slice.set("ports", ports.deepCopy());
    return slice;
  }

  private static ObjectNode endpoint(ObjectNode service, ObjectNode pod, String hostIp) {
    ObjectNode endpoint = JsonNodeFactory.instance.objectNode();
    endpoint.putArray("addresses").add(hostIp);
    boolean terminating = pod.path("metadata").has("deletionTimestamp");
    boolean serving = Pods.isReady(pod);
    endpoint.putObject("conditions").put("ready", serving && !terminating).put("serving", serving)
        .put("terminating", terminating);
    String hostname = EndpointsBuilder.hostname(service, pod);
    if (hostname != null) endpoint.put("hostname", hostname);
    endpoint.putObject("targetRef").put("kind", "Pod").put("namespace", Meta.namespace(pod)).put("name", Meta.name(pod))
        .put("uid", Meta.uid(pod));
    String node = pod.path("spec").path("nodeName").asText("");
    if (!node.isEmpty()) endpoint.put("nodeName", node);
    return endpoint;
  }

  /** Endpoints' ports as a slice's: every port named ("" when the Service port has no name). */
  private static ArrayNode slicePorts(ArrayNode endpointsPorts) {
    ArrayNode ports = JsonNodeFactory.instance.arrayNode();
    for (JsonNode p : endpointsPorts) {
      ports.addObject().put("name", p.path("name").asText("")).put("protocol", p.path("protocol").asText("TCP"))
          .put("port", p.path("port").asInt());
    }
    return ports;
  }
}
