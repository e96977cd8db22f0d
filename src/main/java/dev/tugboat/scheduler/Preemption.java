package dev.tugboat.scheduler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * kube-scheduler's DefaultPreemption as a {@link PostFilterPlugin}. For a pod that fits nowhere
 * (and whose policy is not {@code Never}) it looks at each node as if every pod of lower priority
 * were gone; where the pod would then fit, it gives back as many of those pods as it can (the more
 * important first, those whose eviction would break a PodDisruptionBudget before the others), and
 * the rest are that node's victims. Of the candidate nodes it picks the one with the fewest
 * budget violations, then the lowest highest-priority victim, then the least total priority, then
 * the fewest victims (kube-scheduler's pickOneNodeForPreemption, without start times). Pure.
 */
public final class Preemption implements PostFilterPlugin {
  private final Placement placement;

  /** @param placement whose filters say whether the pod fits on a node once victims are gone */
  public Preemption(Placement placement) {
    this.placement = placement;
  }

  @Override
  public String name() {
    return "DefaultPreemption";
  }

  /**
   * The PodDisruptionBudgets as preemption sees them: which budgets select a pod, and how many
   * disruptions each still allows.
   */
  public interface Budgets {
    Budgets NONE = new Budgets() {
      @Override
      public List<String> of(PodRequest pod) {
        return List.of();
      }

      @Override
      public int allowed(String budget) {
        return 0;
      }
    };

    List<String> of(PodRequest pod);

    int allowed(String budget);
  }

  /** Where the preemptor goes and whom it evicts there; {@code violations}: budgets those evictions break. */
  public record Candidate(String node, List<PodRequest> victims, int violations) {
    int highestPriority() {
      return victims.stream().mapToInt(PodRequest::priority).max().orElse(Integer.MIN_VALUE);
    }

    long prioritySum() {
      // offset as kube-scheduler does, so that every victim counts, also those of negative priority
      return victims.stream().mapToLong(v -> (long) v.priority() + Integer.MAX_VALUE + 1L).sum();
    }
  }

  private static final Comparator<Candidate> BEST = Comparator.comparingInt(Candidate::violations)
      .thenComparingInt(Candidate::highestPriority)
      .thenComparingLong(Candidate::prioritySum)
      .thenComparingInt(c -> c.victims().size());

  /** More important first: higher priority, then (for equal priority) by name, so a choice can be reproduced. */
  private static final Comparator<PodRequest> MORE_IMPORTANT = Comparator.comparingInt(PodRequest::priority).reversed()
      .thenComparing(PodRequest::key);

  @Override
  public Optional<Candidate> postFilter(PodRequest pod, List<NodeSnapshot> nodes, PodsOnNodes podsOn, Budgets budgets) {
    if (!pod.preemptsOthers()) return Optional.empty();
    Candidate best = null;
    for (NodeSnapshot node : nodes) {
      Candidate c = victimsOn(pod, node, podsOn.on(node.name()), budgets);
      if (c != null && (best == null || BEST.compare(c, best) < 0)) best = c;
    }
    return Optional.ofNullable(best);
  }

  /** kube-scheduler's selectVictimsOnNode: null when even removing every lower pod does not make room. */
  Candidate victimsOn(PodRequest pod, NodeSnapshot node, List<PodRequest> placed, Budgets budgets) {
    List<PodRequest> lower = new ArrayList<>();
    for (PodRequest p : placed) if (p.priority() < pod.priority()) lower.add(p);
    if (lower.isEmpty()) return null;
    NodeSnapshot without = node;
    for (PodRequest p : lower) without = without.withoutPod(p);
    if (!placement.fits(pod, without)) return null;
    lower.sort(MORE_IMPORTANT);
    // which would break a budget if evicted, counting down each budget's allowance in this order
    Map<String, Integer> left = new HashMap<>();
    List<PodRequest> violating = new ArrayList<>();
    List<PodRequest> harmless = new ArrayList<>();
    for (PodRequest p : lower) {
      boolean breaks = false;
      for (String b : budgets.of(p)) {
        int n = left.computeIfAbsent(b, budgets::allowed) - 1;
        left.put(b, n);
        if (n < 0) breaks = true;
      }
      (breaks ? violating : harmless).add(p);
    }
    List<PodRequest> victims = new ArrayList<>();
    int violations = 0;
    for (List<PodRequest> group : List.of(violating, harmless)) {
      for (PodRequest p : group) {
        NodeSnapshot with = without.withPod(p);
        if (placement.fits(pod, with)) {
          without = with; // reprieved: the pod fits with it still there
        } else {
          victims.add(p);
          if (group == violating) violations++;
        }
      }
    }
    return new Candidate(node.name(), List.copyOf(victims), violations);
  }
}
