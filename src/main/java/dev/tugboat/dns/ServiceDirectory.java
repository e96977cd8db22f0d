package dev.tugboat.dns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster DNS's view of this member's index: Services, Endpoints, and the address and ports of
 * each pod, updated object by object as the informers tell ({@link #put}, {@link #remove}) and
 * read by the server's threads at the same time. No copy and no cache: a query sees the objects as
 * the index had them when it arrived.
 *
 * <p>Endpoints name pods by the node address and host port the proxy forwards to; a pod's own
 * address and container ports (what another pod connects to, and so what a headless Service's
 * records say) come from the Pod, joined at query time through the address's {@code targetRef}.
 */
public final class ServiceDirectory implements ClusterView {
  /** A pod's address and, per host port, the container port published there. */
  private record PodAddress(String ip, Map<Integer, Integer> containerPorts) {}

  private final Map<String, Service> services = new ConcurrentHashMap<>();
  private final Map<String, Service> byClusterIp = new ConcurrentHashMap<>();
  private final Map<String, Integer> namespaces = new ConcurrentHashMap<>();
  private final Map<String, JsonNode> endpoints = new ConcurrentHashMap<>();
  private final Map<String, PodAddress> pods = new ConcurrentHashMap<>();

  /** A Service, an Endpoints or a Pod, added or changed; other kinds are ignored. */
  public void put(String kind, ObjectNode object) {
    switch (kind) {
      case "Service" -> putService(object);
      case "Endpoints" -> endpoints.put(key(object), object);
      case "Pod" -> putPod(object);
      default -> {
        // nothing the DNS answers from
      }
    }
  }

  /** The object is gone (deleted, or no longer in the index). */
  public void remove(String kind, ObjectNode object) {
    switch (kind) {
      case "Service" -> removeService(key(object));
      case "Endpoints" -> endpoints.remove(key(object));
      case "Pod" -> pods.remove(object.path("metadata").path("uid").asText());
      default -> {
        // nothing to forget
      }
    }
  }

  // The actor is the only writer; synchronized keeps the three Service maps in step for it.
  private synchronized void putService(ObjectNode object) {
    String key = key(object);
    JsonNode spec = object.path("spec");
    List<Port> ports = new ArrayList<>();
    for (JsonNode p : spec.path("ports")) {
      ports.add(new Port(p.path("name").asText(""), p.path("protocol").asText("TCP"), p.path("port").asInt()));
    }
    String clusterIp = spec.path("clusterIP").asText("");
    boolean externalName = "ExternalName".equals(spec.path("type").asText());
    Service service = new Service(object.path("metadata").path("namespace").asText(),
        object.path("metadata").path("name").asText(), externalName || clusterIp.isEmpty() ? null : clusterIp,
        externalName ? spec.path("externalName").asText("") : null, ports);
    Service before = services.put(key, service);
    if (before == null) namespaces.merge(service.namespace(), 1, Integer::sum);
    else if (before.clusterIp() != null) byClusterIp.remove(before.clusterIp(), before);
    if (service.clusterIp() != null && !service.headless()) byClusterIp.put(service.clusterIp(), service);
  }

  private synchronized void removeService(String key) {
    Service before = services.remove(key);
    if (before == null) return;
    namespaces.computeIfPresent(before.namespace(), (ns, n) -> n > 1 ? n - 1 : null);
    if (before.clusterIp() != null) byClusterIp.remove(before.clusterIp(), before);
  }

  private void putPod(ObjectNode pod) {
    String uid = pod.path("metadata").path("uid").asText();
    String ip = pod.path("status").path("podIP").asText("");
    if (ip.isEmpty()) {
      pods.remove(uid);
      return;
    }
    Map<Integer, Integer> ports = new HashMap<>();
    for (JsonNode p : pod.path("status").path("publishedPorts")) {
      ports.put(p.path("hostPort").asInt(), p.path("containerPort").asInt());
    }
    pods.put(uid, new PodAddress(ip, Map.copyOf(ports)));
  }

  @Override
  public Optional<Service> service(String namespace, String name) {
    return Optional.ofNullable(services.get(namespace + "/" + name));
  }

  @Override
  public Optional<Service> serviceByClusterIp(String ip) {
    return Optional.ofNullable(byClusterIp.get(ip));
  }

  @Override
  public boolean hasNamespace(String namespace) {
    return namespaces.containsKey(namespace);
  }

  @Override
  public List<Endpoint> readyEndpoints(String namespace, String name) {
    JsonNode object = endpoints.get(namespace + "/" + name);
    List<Endpoint> ready = new ArrayList<>();
    if (object == null) return ready;
    for (JsonNode subset : object.path("subsets")) {
      for (JsonNode address : subset.path("addresses")) {
        JsonNode ref = address.path("targetRef");
        String hostname = address.path("hostname").asText("");
        if ("Pod".equals(ref.path("kind").asText()) && !ref.path("uid").asText("").isEmpty()) {
          // The controller's Endpoints: the pod's own address, not the node's where the proxy goes.
          PodAddress pod = pods.get(ref.path("uid").asText());
          if (pod == null) continue; // not yet seen with an address: it has none a pod could use
          List<Port> ports = new ArrayList<>();
          for (JsonNode p : subset.path("ports")) {
            int hostPort = p.path("port").asInt();
            ports.add(new Port(p.path("name").asText(""), p.path("protocol").asText("TCP"),
                pod.containerPorts().getOrDefault(hostPort, hostPort)));
          }
          ready.add(new Endpoint(pod.ip(), hostname.isEmpty() ? null : hostname, ports));
        } else {
          // Written by hand (a Service without a selector): the addresses as written.
          List<Port> ports = new ArrayList<>();
          for (JsonNode p : subset.path("ports")) {
            ports.add(new Port(p.path("name").asText(""), p.path("protocol").asText("TCP"), p.path("port").asInt()));
          }
          ready.add(new Endpoint(address.path("ip").asText(), hostname.isEmpty() ? null : hostname, ports));
        }
      }
    }
    return ready;
  }

  private static String key(JsonNode object) {
    return object.path("metadata").path("namespace").asText() + "/" + object.path("metadata").path("name").asText();
  }
}
