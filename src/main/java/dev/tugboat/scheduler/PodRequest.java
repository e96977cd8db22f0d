package dev.tugboat.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.ObjectMeta;
import dev.tugboat.model.Pod;
import dev.tugboat.model.Quantity;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pod as placement sees it: what it requests, where it may go, and whose it is. Host ports are
 * {@code "TCP/8080"}; the owner is the uid of its controlling owner (a ReplicaSet), null if none.
 * {@code priority} is {@code spec.priority} (0 when absent), and {@code preemptsOthers} false for
 * {@code preemptionPolicy: Never}.
 */
public record PodRequest(String namespace, String name, String uid, long milliCpu, long memoryBytes,
    Map<String, String> nodeSelector, List<Pod.Toleration> tolerations, JsonNode affinity,
    Set<String> hostPorts, String ownerUid, List<String> claims, VolumeConstraints volumes, int priority,
    boolean preemptsOthers) {

  public PodRequest(String namespace, String name, String uid, long milliCpu, long memoryBytes,
      Map<String, String> nodeSelector, List<Pod.Toleration> tolerations, JsonNode affinity, Set<String> hostPorts,
      String ownerUid) {
    this(namespace, name, uid, milliCpu, memoryBytes, nodeSelector, tolerations, affinity, hostPorts, ownerUid, List.of(),
        VolumeConstraints.NONE, 0, true);
  }

  /** The pod with what its claims ask of a node, resolved from the scheduler's cache. */
  public PodRequest withVolumes(VolumeConstraints volumes) {
    return new PodRequest(namespace, name, uid, milliCpu, memoryBytes, nodeSelector, tolerations, affinity, hostPorts,
        ownerUid, claims, volumes, priority, preemptsOthers);
  }

  /** The pod with a priority and preemption policy of its own (tests; admission sets them on real pods). */
  public PodRequest withPriority(int priority, boolean preemptsOthers) {
    return new PodRequest(namespace, name, uid, milliCpu, memoryBytes, nodeSelector, tolerations, affinity, hostPorts,
        ownerUid, claims, volumes, priority, preemptsOthers);
  }

  /**
   * Kubernetes' effective request: the sum over the containers (a container with limits but no
   * requests counts its limits), or the largest init container's when that is more.
   */
  public static PodRequest of(Pod pod) {
    Pod.Spec spec = pod.spec();
    long cpu = 0;
    long memory = 0;
    Set<String> ports = new HashSet<>();
    if (spec != null && spec.containers() != null) {
      for (Pod.Container c : spec.containers()) {
        cpu += request(c, "cpu", true);
        memory += request(c, "memory", false);
        if (c.ports() == null) continue;
        for (Pod.ContainerPort p : c.ports()) {
          if (p.hostPort() != null && p.hostPort() > 0) {
            ports.add((p.protocol() == null ? "TCP" : p.protocol()) + "/" + p.hostPort());
          }
        }
      }
    }
    if (spec != null && spec.initContainers() != null) {
      for (Pod.Container c : spec.initContainers()) {
        cpu = Math.max(cpu, request(c, "cpu", true));
        memory = Math.max(memory, request(c, "memory", false));
      }
    }
    ObjectMeta meta = pod.metadata();
    String owner = null;
    if (meta.ownerReferences() != null) {
      for (ObjectMeta.OwnerReference o : meta.ownerReferences()) {
        if (Boolean.TRUE.equals(o.controller())) owner = o.uid();
      }
    }
    return new PodRequest(meta.namespace(), meta.name(), meta.uid(), cpu, memory,
        spec == null || spec.nodeSelector() == null ? Map.of() : spec.nodeSelector(),
        spec == null || spec.tolerations() == null ? List.of() : spec.tolerations(),
        spec == null ? null : spec.affinity(), Set.copyOf(ports), owner, claims(spec), VolumeConstraints.NONE,
        spec == null || spec.priority() == null ? 0 : spec.priority(),
        spec == null || !"Never".equals(spec.preemptionPolicy()));
  }

  /** The claims the pod's volumes name. */
  private static List<String> claims(Pod.Spec spec) {
    if (spec == null || spec.volumes() == null) return List.of();
    return spec.volumes().stream().filter(v -> v.persistentVolumeClaim() != null && v.persistentVolumeClaim().claimName() != null)
        .map(v -> v.persistentVolumeClaim().claimName()).toList();
  }

  private static long request(Pod.Container c, String resource, boolean milli) {
    Pod.Resources r = c.resources();
    if (r == null) return 0;
    Quantity q = r.requests() != null && r.requests().containsKey(resource) ? r.requests().get(resource)
        : r.limits() != null ? r.limits().get(resource) : null;
    if (q == null) return 0;
    return milli ? q.milliValue() : q.longValue();
  }

  public String key() {
    return namespace + "/" + name;
  }
}
