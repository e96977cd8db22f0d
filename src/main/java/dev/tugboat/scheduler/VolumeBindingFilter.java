package dev.tugboat.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kinds.persistentvolume.Volumes;
import java.util.List;

/**
 * kube-scheduler's VolumeBinding filter: a pod goes only where its claims' volumes are
 * ({@link VolumeConstraints}, resolved by the scheduler from its cache before placement).
 */
public final class VolumeBindingFilter implements FilterPlugin {
  static final String CONFLICT = "node(s) had volume node affinity conflict";
  static final String SELECTED = "node(s) did not match the node selected for a claim";

  @Override
  public String name() {
    return "VolumeBinding";
  }

  @Override
  public List<String> filter(PodRequest pod, NodeSnapshot node) {
    VolumeConstraints v = pod.volumes();
    if (v.unschedulable() != null) return List.of(v.unschedulable());
    for (JsonNode pv : v.volumes()) {
      if (!Volumes.availableOn(pv, node.name(), node.labels())) return List.of(CONFLICT);
    }
    for (String selected : v.selectedNodes()) {
      if (!selected.equals(node.name())) return List.of(SELECTED);
    }
    return List.of();
  }
}
