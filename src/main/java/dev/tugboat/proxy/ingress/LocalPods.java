package dev.tugboat.proxy.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.proxy.ServiceBackends;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The pods of this host as the ingress controller reaches them: at their pod IP and container port,
 * as Kubernetes' ingress controllers reach pods, rather than at the host port their Endpoints name.
 * A host port goes through Docker's userland proxy, which opens a second connection and copies every
 * byte; a pod elsewhere can only be reached that way, a pod here need not be.
 */
final class LocalPods {
  /** A pod of this host: its own address, and its container ports by the host port each is published on. */
  record Pod(String ip, Map<Integer, Integer> containerPortByHostPort) {}

  private LocalPods() {}

  /**
   * The pod as reached on this host; empty when it runs elsewhere ({@code status.hostIP} is not
   * {@code nodeAddress}), has no pod IP yet, or shares the host's network (its ports are the host's).
   */
  static Optional<Pod> of(JsonNode pod, String nodeAddress) {
    JsonNode status = pod.path("status");
    String ip = status.path("podIP").asText("");
    String hostIp = status.path("hostIP").asText("");
    if (ip.isEmpty() || !hostIp.equals(nodeAddress) || ip.equals(hostIp)) return Optional.empty();
    Map<Integer, Integer> ports = new HashMap<>();
    for (JsonNode p : status.path("publishedPorts")) {
      if (p.path("protocol").asText("TCP").equals("TCP") && p.path("hostPort").asInt() > 0) {
        ports.put(p.path("hostPort").asInt(), p.path("containerPort").asInt());
      }
    }
    return Optional.of(new Pod(ip, Map.copyOf(ports)));
  }

  /** Where to send a backend's traffic: its pod's own address if the pod is one of {@code local}, else as the Endpoints say. */
  static ServiceBackends.Backend reach(ServiceBackends.Backend backend, Map<String, Pod> local) {
    Pod pod = local.get(backend.podUid());
    Integer containerPort = pod == null ? null : pod.containerPortByHostPort().get(backend.port());
    if (containerPort == null) return backend;
    return new ServiceBackends.Backend(pod.ip(), containerPort, backend.podUid(), backend.nodeName());
  }
}
