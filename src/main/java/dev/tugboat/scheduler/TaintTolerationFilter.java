package dev.tugboat.scheduler;

import dev.tugboat.model.Node;
import dev.tugboat.model.NodeMatch;
import java.util.List;

/** Every NoSchedule and NoExecute taint of the node must be tolerated by the pod. */
public final class TaintTolerationFilter implements FilterPlugin {
  @Override
  public String name() {
    return "TaintToleration";
  }

  @Override
  public List<String> filter(PodRequest pod, NodeSnapshot node) {
    for (Node.Taint t : node.taints()) {
      if (!"NoSchedule".equals(t.effect()) && !"NoExecute".equals(t.effect())) continue;
      if (!NodeMatch.tolerates(pod.tolerations(), t.key(), t.value(), t.effect())) {
        return List.of("node(s) had untolerated taint {" + t.key() + ": " + (t.value() == null ? "" : t.value()) + "}");
      }
    }
    return List.of();
  }
}
