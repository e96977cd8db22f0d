package dev.tugboat.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kinds.persistentvolume.Volumes;
import dev.tugboat.kinds.persistentvolumeclaim.PersistentVolumeClaim;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a pod's claims ask of its node, as kube-scheduler's VolumeBinding plugin reads them: a bound
 * claim's volume must be usable there (its node affinity); an unbound claim of an Immediate class
 * (or of none) makes the pod unschedulable until it is bound; an unbound WaitForFirstConsumer claim
 * takes any node, and is told the chosen one when the pod is bound ({@link #delayedClaims}), or keeps
 * to the node it was told before.
 *
 * @param unschedulable why no node can take the pod now, or null
 * @param volumes the bound volumes whose node affinity each node must match
 * @param selectedNodes the nodes unbound claims were already told (the pod must go there)
 * @param delayedClaims unbound WaitForFirstConsumer claims without a node yet
 */
public record VolumeConstraints(String unschedulable, List<JsonNode> volumes, List<String> selectedNodes,
    List<String> delayedClaims) {
  public static final VolumeConstraints NONE = new VolumeConstraints(null, List.of(), List.of(), List.of());
  static final String UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims";

  /**
   * The constraints of {@code claims} (names in {@code namespace}) from the scheduler's cache.
   *
   * @param claimsByKey claims by {@code namespace/name}; volumes and classes by name
   */
  public static VolumeConstraints resolve(String namespace, List<String> claims, Map<String, ? extends JsonNode> claimsByKey,
      Map<String, ? extends JsonNode> volumesByName, Map<String, ? extends JsonNode> classesByName) {
    if (claims.isEmpty()) return NONE;
    List<JsonNode> volumes = new ArrayList<>();
    List<String> selected = new ArrayList<>();
    List<String> delayed = new ArrayList<>();
    for (String name : claims) {
      JsonNode claim = claimsByKey.get(namespace + "/" + name);
      if (claim == null) return unfit("persistentvolumeclaim \"" + name + "\" not found");
      if (claim.path("metadata").has("deletionTimestamp")) {
        return unfit("persistentvolumeclaim \"" + name + "\" is being deleted");
      }
      String volumeName = claim.path("spec").path("volumeName").asText("");
      if (!volumeName.isEmpty()) {
        JsonNode pv = volumesByName.get(volumeName);
        if (pv == null) return unfit("persistentvolume \"" + volumeName + "\" not found");
        volumes.add(pv);
        continue;
      }
      JsonNode storageClass = classesByName.get(Volumes.className(claim));
      boolean delayedBinding = storageClass != null
          && "WaitForFirstConsumer".equals(storageClass.path("volumeBindingMode").asText());
      if (!delayedBinding) return unfit(UNBOUND_IMMEDIATE);
      String node = claim.path("metadata").path("annotations").path(PersistentVolumeClaim.SELECTED_NODE).asText("");
      if (node.isEmpty()) delayed.add(name);
      else selected.add(node);
    }
    return new VolumeConstraints(null, List.copyOf(volumes), List.copyOf(selected), List.copyOf(delayed));
  }

  private static VolumeConstraints unfit(String why) {
    return new VolumeConstraints(why, List.of(), List.of(), List.of());
  }
}
