package dev.tugboat.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A Node: a worker member's capacity, conditions and heartbeat. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Node(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status) implements ApiObject {

  @Override
  public Node withMetadata(ObjectMeta metadata) {
    return new Node(apiVersion, kind, metadata, spec, status);
  }

  public Node withSpec(Spec spec) {
    return new Node(apiVersion, kind, metadata, spec, status);
  }

  public Node withStatus(Status status) {
    return new Node(apiVersion, kind, metadata, spec, status);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(Boolean unschedulable, List<Taint> taints, String podCIDR, String providerID) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Taint(String key, String value, String effect, Instant timeAdded) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(Map<String, Quantity> capacity, Map<String, Quantity> allocatable, List<Condition> conditions,
      List<Address> addresses, NodeInfo nodeInfo) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Condition(String type, String status, Instant lastHeartbeatTime, Instant lastTransitionTime,
      String reason, String message) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Address(String type, String address) {}

  /** What {@code kubectl get nodes -o wide} shows: versions, OS and architecture. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NodeInfo(String machineID, String systemUUID, String bootID, String kernelVersion, String osImage,
      String containerRuntimeVersion, String kubeletVersion, String kubeProxyVersion, String operatingSystem,
      String architecture) {}
}
