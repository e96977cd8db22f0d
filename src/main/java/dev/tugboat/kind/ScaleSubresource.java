package dev.tugboat.kind;

/**
 * Where a kind keeps what its {@code scale} subresource ({@code autoscaling/v1 Scale}) reads and
 * writes, as a CRD's {@code subresources.scale} says it.
 *
 * @param specReplicasPath the desired replicas ({@code .spec.replicas}), which a scale writes
 * @param statusReplicasPath the observed replicas ({@code .status.replicas})
 * @param labelSelectorPath a selector in its string form ({@code .status.selector}), or null; for
 *     the built-in kinds null, and the Scale's selector is formatted from {@code spec.selector}
 */
public record ScaleSubresource(String specReplicasPath, String statusReplicasPath, String labelSelectorPath) {
  /** Deployments' and ReplicaSets'. */
  public static final ScaleSubresource REPLICAS = new ScaleSubresource(".spec.replicas", ".status.replicas", null);
}
