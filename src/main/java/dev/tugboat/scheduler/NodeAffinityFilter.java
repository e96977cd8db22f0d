package dev.tugboat.scheduler;

import dev.tugboat.model.NodeMatch;
import java.util.List;

/**
 * {@code spec.nodeSelector} and required node affinity: the selector's labels must all match, and
 * one of the required terms (each an AND of expressions) must hold.
 */
public final class NodeAffinityFilter implements FilterPlugin {
  static final String REASON = "node(s) didn't match Pod's node affinity/selector";

  @Override
  public String name() {
    return "NodeAffinity";
  }

  @Override
  public List<String> filter(PodRequest pod, NodeSnapshot node) {
    return NodeMatch.selects(pod.nodeSelector(), pod.affinity(), node.name(), node.labels()) ? List.of() : List.of(REASON);
  }
}
