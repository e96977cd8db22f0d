package dev.tugboat.controller.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.ControllerLoop;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.Pods;
import dev.tugboat.controller.Writes;
import dev.tugboat.kinds.service.ClusterIpRange;
import dev.tugboat.kinds.service.KubernetesService;
import dev.tugboat.kinds.service.ServiceAddresses;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Gives every Service its addresses ({@link ServiceAddresses}): a cluster IP, node ports for
 * NodePort Services, and pod ports, each unique in the cluster. Kubernetes allocates these in the
 * API server; here one singleton does it, right after the Service is created, so no two Services
 * can take the same one. Run with one worker: allocations are decided one at a time.
 */
public final class ServiceController implements ControllerLoop.Reconciler {
  private final Registry registry;
  private final Writes writes;
  private final ClusterIpRange clusterIps;
  private final int nodePortMin;
  private final int nodePortMax;
  private final int podPortMin;
  private final int podPortMax;

  public ServiceController(Registry registry, ClusterIpRange clusterIps, int[] nodePortRange, int[] podPortRange) {
    this.registry = registry;
    this.writes = new Writes(registry);
    this.clusterIps = clusterIps;
    this.nodePortMin = nodePortRange[0];
    this.nodePortMax = nodePortRange[1];
    this.podPortMin = podPortRange[0];
    this.podPortMax = podPortRange[1];
  }

  /** "30000-32767" as {30000, 32767}. */
  public static int[] range(String text) {
    String[] parts = text.split("-");
    return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
  }

  @Override
  public String primaryKind() {
    return "Service";
  }

  @Override
  public List<String> watchedKinds() {
    return List.of("Service");
  }

  @Override
  public List<String> keysFor(Informer.ObjectEvent change) {
    return List.of(ControllerLoop.key(change.object()));
  }

  @Override
  public CompletionStage<Duration> reconcile(String key) {
    String namespace = key.substring(0, key.indexOf('/'));
    String name = key.substring(key.indexOf('/') + 1);
    return registry.get("Service", namespace, name).thenCompose(result -> {
      if (!(result instanceof Result.Ok ok) || ok.object().path("metadata").has("deletionTimestamp")
          || ServiceAddresses.unproxied(ok.object())) {
        return CompletableFuture.completedFuture(null);
      }
      return writes.list("Service", null).thenCompose(all -> allocate(key, ok.object(), all)).thenApply(v -> (Duration) null);
    });
  }

  private CompletionStage<Void> allocate(String key, ObjectNode service, List<ObjectNode> all) {
    Set<String> ips = new HashSet<>();
    // the first address is the kubernetes Service's, made by its own controller perhaps after others
    ips.add(KubernetesService.clusterIp(clusterIps));
    Set<Integer> nodePorts = new HashSet<>();
    Set<Integer> podPorts = new HashSet<>();
    for (ObjectNode other : all) {
      if (Meta.uid(other).equals(Meta.uid(service))) continue;
      ips.add(other.path("spec").path("clusterIP").asText());
      other.path("spec").path("ports").forEach(p -> nodePorts.add(p.path("nodePort").asInt(0)));
      podPorts.addAll(ServiceAddresses.podPorts(other).values());
    }
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    ObjectNode spec = JsonNodeFactory.instance.objectNode();
    String ip = service.path("spec").path("clusterIP").asText("");
    if (ip.isEmpty()) {
      ip = ServiceAddresses.clusterIp(key, ips, clusterIps);
      spec.put("clusterIP", ip);
      spec.putArray("clusterIPs").add(ip);
    }
    ArrayNode ports = service.path("spec").path("ports").deepCopy();
    boolean portsChanged = false;
    Map<String, Integer> mine = ServiceAddresses.podPorts(service);
    Map<String, Integer> wanted = new java.util.LinkedHashMap<>();
    for (JsonNode p : ports) {
      ObjectNode port = (ObjectNode) p;
      if (ServiceAddresses.isNodePort(service) && port.path("nodePort").asInt(0) == 0) {
        int chosen = ServiceAddresses.port(key + "/" + ServiceAddresses.portKey(port), nodePortMin, nodePortMax, nodePorts);
        if (chosen < 0) return CompletableFuture.completedFuture(null); // range exhausted: left as it is
        port.put("nodePort", chosen);
        nodePorts.add(chosen);
        portsChanged = true;
      }
      String portKey = ServiceAddresses.portKey(port);
      Integer podPort = mine.get(portKey);
      if (podPort == null || podPorts.contains(podPort)) {
        podPort = ServiceAddresses.port("pod:" + key + "/" + portKey, podPortMin, podPortMax, podPorts);
        if (podPort < 0) return CompletableFuture.completedFuture(null);
      }
      podPorts.add(podPort);
      wanted.put(portKey, podPort);
    }
    if (portsChanged) spec.set("ports", ports);
    if (!spec.isEmpty()) patch.set("spec", spec);
    if (!wanted.equals(mine)) {
      patch.putObject("metadata").putObject("annotations").put(ServiceAddresses.POD_PORTS, ServiceAddresses.podPortsText(wanted));
    }
    if (patch.isEmpty()) return CompletableFuture.completedFuture(null);
    ((ObjectNode) patch.with("metadata")).put("uid", Meta.uid(service));
    String namespace = service.path("metadata").path("namespace").asText();
    return Writes.allTaken(List.of(writes.patch("Service", namespace, Meta.name(service), patch)));
  }
}
