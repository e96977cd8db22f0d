package dev.tugboat.scheduler;

import dev.tugboat.model.Node;
import dev.tugboat.model.Quantity;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node as placement sees it: what it offers, and what the pods placed on it already take. Immutable;
 * placing or removing a pod gives a new snapshot.
 */
public record NodeSnapshot(String name, boolean ready, boolean unschedulable, Map<String, String> labels,
    List<Node.Taint> taints, long allocatableMilliCpu, long allocatableMemoryBytes, int allocatablePods,
    long requestedMilliCpu, long requestedMemoryBytes, int podCount, Set<String> usedHostPorts,
    Map<String, Integer> podsPerOwner) {

  /** A node with nothing placed on it yet. */
  public static NodeSnapshot of(Node node) {
    return new NodeSnapshot(node.metadata().name(), false, false, Map.of(), List.of(), 0, 0, 0, 0, 0, 0, Set.of(),
        Map.of()).withNode(node);
  }

  /** The node's new description, with the same pods placed on it. */
  public NodeSnapshot withNode(Node node) {
    Map<String, Quantity> offered = Map.of();
    boolean isReady = false;
    if (node.status() != null) {
      offered = node.status().allocatable() != null ? node.status().allocatable()
          : node.status().capacity() != null ? node.status().capacity() : Map.of();
      if (node.status().conditions() != null) {
        for (Node.Condition c : node.status().conditions()) {
          if ("Ready".equals(c.type())) isReady = "True".equals(c.status());
        }
      }
    }
    Quantity cpu = offered.get("cpu");
    Quantity memory = offered.get("memory");
    Quantity pods = offered.get("pods");
    Node.Spec spec = node.spec();
    return new NodeSnapshot(node.metadata().name(), isReady, spec != null && Boolean.TRUE.equals(spec.unschedulable()),
        node.metadata().labels() == null ? Map.of() : node.metadata().labels(),
        spec == null || spec.taints() == null ? List.of() : spec.taints(),
        cpu == null ? 0 : cpu.milliValue(), memory == null ? 0 : memory.longValue(),
        pods == null ? 110 : (int) pods.longValue(),
        requestedMilliCpu, requestedMemoryBytes, podCount, usedHostPorts, podsPerOwner);
  }

  public NodeSnapshot withPod(PodRequest pod) {
    Set<String> ports = usedHostPorts;
    if (!pod.hostPorts().isEmpty()) {
      ports = new HashSet<>(usedHostPorts);
      ports.addAll(pod.hostPorts());
    }
    Map<String, Integer> owners = podsPerOwner;
    if (pod.ownerUid() != null) {
      owners = new HashMap<>(podsPerOwner);
      owners.merge(pod.ownerUid(), 1, Integer::sum);
    }
    return new NodeSnapshot(name, ready, unschedulable, labels, taints, allocatableMilliCpu, allocatableMemoryBytes,
        allocatablePods, requestedMilliCpu + pod.milliCpu(), requestedMemoryBytes + pod.memoryBytes(), podCount + 1,
        ports, owners);
  }

  public NodeSnapshot withoutPod(PodRequest pod) {
    Set<String> ports = usedHostPorts;
    if (!pod.hostPorts().isEmpty()) {
      ports = new HashSet<>(usedHostPorts);
      ports.removeAll(pod.hostPorts());
    }
    Map<String, Integer> owners = podsPerOwner;
    if (pod.ownerUid() != null && podsPerOwner.containsKey(pod.ownerUid())) {
      owners = new HashMap<>(podsPerOwner);
      owners.computeIfPresent(pod.ownerUid(), (k, n) -> n <= 1 ? null : n - 1);
    }
    return new NodeSnapshot(name, ready, unschedulable, labels, taints, allocatableMilliCpu, allocatableMemoryBytes,
        allocatablePods, Math.max(0, requestedMilliCpu - pod.milliCpu()),
        Math.max(0, requestedMemoryBytes - pod.memoryBytes()), Math.max(0, podCount - 1), ports, owners);
  }
}
