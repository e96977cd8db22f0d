package dev.tugboat.scheduler;

import dev.tugboat.model.NodeMatch;
import java.util.List;

/** Only a Ready node that is not cordoned takes new pods (unless the pod tolerates the cordon). */
public final class NodeReadyFilter implements FilterPlugin {
  static final String UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable";

  @Override
  public String name() {
    return "NodeReady";
  }

  @Override
  public List<String> filter(PodRequest pod, NodeSnapshot node) {
    if (!node.ready()) return List.of("node(s) were not ready");
    if (node.unschedulable() && !NodeMatch.tolerates(pod.tolerations(), UNSCHEDULABLE_TAINT, null, "NoSchedule")) {
      return List.of("node(s) were unschedulable");
    }
    return List.of();
  }
}
