package dev.tugboat.controller.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.Pods;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Endpoints of a Service, from the pods its selector matches, without I/O. An address is where
 * a pod is reachable from the node and the proxy: the node's address and the host port the pod's
 * target port is published on ({@code status.publishedPorts}); pods on one node share the address,
 * so pods whose ports differ land in different subsets, as Kubernetes groups them. Ready pods are
 * {@code addresses}, the others {@code notReadyAddresses}; pods being deleted are in neither.
 */
public final class EndpointsBuilder {
  private EndpointsBuilder() {}

  /** Whether the pod's labels carry every key and value of the Service's selector (a non-empty map). */
  public static boolean selects(JsonNode service, JsonNode pod) {
    JsonNode selector = service.path("spec").path("selector");
    if (!selector.isObject() || selector.isEmpty()) return false;
    JsonNode labels = pod.path("metadata").path("labels");
    var it = selector.fields();
    while (it.hasNext()) {
      var e = it.next();
      if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) return false;
    }
    return true;
  }

  public static ObjectNode build(ObjectNode service, List<ObjectNode> podsInNamespace) {
    ObjectNode endpoints = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "Endpoints");
    ObjectNode meta = endpoints.putObject("metadata");
    meta.put("name", Meta.name(service)).put("namespace", service.path("metadata").path("namespace").asText());
    if (service.path("metadata").has("labels")) meta.set("labels", service.path("metadata").path("labels").deepCopy());
    Map<String, ObjectNode> subsets = new LinkedHashMap<>();
    List<ObjectNode> pods = new ArrayList<>(podsInNamespace);
    pods.sort(Comparator.comparing(Meta::name));
    for (ObjectNode pod : pods) {
      if (!selects(service, pod) || pod.path("metadata").has("deletionTimestamp")) continue;
      String phase = pod.path("status").path("phase").asText("");
      if (phase.equals("Succeeded") || phase.equals("Failed")) continue;
      String hostIp = pod.path("status").path("hostIP").asText("");
      if (hostIp.isEmpty()) continue;
      ArrayNode ports = ports(service, pod);
      if (ports.isEmpty()) continue;
      ObjectNode subset = subsets.computeIfAbsent(ports.toString(), k -> {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.set("ports", ports);
        return s;
      });
      ObjectNode address = JsonNodeFactory.instance.objectNode().put("ip", hostIp);
      String hostname = hostname(service, pod);
      if (hostname != null) address.put("hostname", hostname);
      String node = pod.path("spec").path("nodeName").asText("");
      if (!node.isEmpty()) address.put("nodeName", node);
      address.putObject("targetRef").put("kind", "Pod").put("namespace", pod.path("metadata").path("namespace").asText())
          .put("name", Meta.name(pod)).put("uid", Meta.uid(pod));
      subset.withArray(Pods.isReady(pod) ? "addresses" : "notReadyAddresses").add(address);
    }
    ArrayNode list = endpoints.putArray("subsets");
    subsets.values().forEach(list::add);
    return endpoints;
  }

  /** A StatefulSet pod of this Service's subdomain is named by its hostname (name-0.service.ns); null otherwise. */
  static String hostname(JsonNode service, JsonNode pod) {
    String hostname = pod.path("spec").path("hostname").asText("");
    boolean ofService = Meta.name(service).equals(pod.path("spec").path("subdomain").asText(""));
    return !hostname.isEmpty() && ofService ? hostname : null;
  }

  /** The Service's ports as this pod publishes them: the host port of each target port it has. */
  static ArrayNode ports(JsonNode service, JsonNode pod) {
    ArrayNode ports = JsonNodeFactory.instance.arrayNode();
    for (JsonNode servicePort : service.path("spec").path("ports")) {
      JsonNode target = servicePort.path("targetPort");
      if (target.isMissingNode() || target.isNull()) target = servicePort.path("port");
      for (JsonNode published : pod.path("status").path("publishedPorts")) {
        boolean match = target.isInt() ? published.path("containerPort").asInt() == target.asInt()
            : target.asText().equals(published.path("name").asText(null));
        if (match && published.path("protocol").asText("TCP").equals(servicePort.path("protocol").asText("TCP"))) {
          ObjectNode p = ports.addObject();
          if (servicePort.has("name")) p.put("name", servicePort.path("name").asText());
          p.put("port", published.path("hostPort").asInt()).put("protocol", servicePort.path("protocol").asText("TCP"));
          break;
        }
      }
    }
    return ports;
  }
}
