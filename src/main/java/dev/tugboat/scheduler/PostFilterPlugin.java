package dev.tugboat.scheduler;

import java.util.List;
import java.util.Optional;

/**
 * What kube-scheduler's framework runs when no node passed the filters: a plugin that may make
 * room (preemption). Pure: it says what to do; the scheduler does it.
 */
public interface PostFilterPlugin {
  String name();

  /**
   * A node and the pods to remove from it so that {@code pod} fits there, or empty when nothing
   * can be done.
   *
   * @param podsOn the pods placed on each node by name (bound, or assumed)
   * @param budgets the PodDisruptionBudgets placement should try not to break
   */
  Optional<Preemption.Candidate> postFilter(PodRequest pod, List<NodeSnapshot> nodes, PodsOnNodes podsOn,
      Preemption.Budgets budgets);

  /** The pods placed on a node. */
  @FunctionalInterface
  interface PodsOnNodes {
    List<PodRequest> on(String node);
  }
}
