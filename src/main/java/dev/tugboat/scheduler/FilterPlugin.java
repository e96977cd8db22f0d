package dev.tugboat.scheduler;

import java.util.List;

/**
 * A feasibility check of kube-scheduler's framework: can this node take this pod? Pure.
 */
public interface FilterPlugin {
  String name();

  /** Empty when the node can take the pod; otherwise each reason, in kube-scheduler's words. */
  List<String> filter(PodRequest pod, NodeSnapshot node);
}
