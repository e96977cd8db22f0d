package dev.tugboat.kinds.lease;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.ObjectMeta;

/**
 * A Lease (coordination.k8s.io/v1): who holds a named lock, since when, and for how long, as
 * operators' leader election (client-go's leaderelection, fabric8's {@code LeaderElector}) uses it.
 * Mutual exclusion comes from the entity's optimistic concurrency: a contender writes with the
 * resourceVersion it read, and only one of two such writes succeeds (the other gets 409).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Lease(String apiVersion, String kind, ObjectMeta metadata, Spec spec) implements ApiObject {

  @Override
  public Lease withMetadata(ObjectMeta metadata) {
    return new Lease(apiVersion, kind, metadata, spec);
  }

  /**
   * The lease's terms. Times are MicroTime strings ({@code 2026-12-04T08:40:00.123456Z}) kept as
   * the client wrote them: clients compare them with their own reading, so they must come back
   * unchanged.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(String holderIdentity, Integer leaseDurationSeconds, String acquireTime, String renewTime,
      Integer leaseTransitions, String strategy, String preferredHolder) {}
}
