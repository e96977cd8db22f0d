package dev.tugboat.scheduler;

import dev.tugboat.model.Node;
import dev.tugboat.model.Pod;
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
      if (!tolerates(pod.tolerations(), t.key(), t.value(), t.effect())) {
        return List.of("node(s) had untolerated taint {" + t.key() + ": " + (t.value() == null ? "" : t.value()) + "}");
      }
    }
    return List.of();
  }

  /** Kubernetes' ToleratesTaint: effect empty matches all; Exists with no key tolerates everything. */
  public static boolean tolerates(List<Pod.Toleration> tolerations, String key, String value, String effect) {
    for (Pod.Toleration t : tolerations) {
      if (t.effect() != null && !t.effect().isEmpty() && !t.effect().equals(effect)) continue;
      boolean anyKey = t.key() == null || t.key().isEmpty();
      if (!anyKey && !t.key().equals(key)) continue;
      if ("Exists".equals(t.operator())) return true;
      if (anyKey) continue; // Equal needs a key
      String v = t.value() == null ? "" : t.value();
      if (v.equals(value == null ? "" : value)) return true;
    }
    return false;
  }
}
