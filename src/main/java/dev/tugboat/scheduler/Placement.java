package dev.tugboat.scheduler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a pod goes, as kube-scheduler's framework decides it: every node through the filters, the
 * feasible ones through the weighted scores, the best one wins. Ties go to the node whose name
 * hashes highest together with the pod's uid (rendezvous hashing): equal nodes share the pods, a
 * decision can be reproduced, and thousands of equal nodes cost one pass, not a sort per pod.
 * Pure: no actors, no I/O.
 */
public final class Placement {
  private final List<FilterPlugin> filters;
  private final List<ScorePlugin> scores;

  public Placement(List<FilterPlugin> filters, List<ScorePlugin> scores) {
    this.filters = List.copyOf(filters);
    this.scores = List.copyOf(scores);
  }

  /** The plugins kube-scheduler runs by default that apply to Tugboat's pods. */
  public static Placement defaults() {
    return new Placement(
        List.of(new NodeReadyFilter(), new NodeAffinityFilter(), new TaintTolerationFilter(), new HostPortsFilter(),
            new ResourcesFitFilter()),
        List.of(new LeastAllocatedScore(), new BalancedAllocationScore(), new OwnerSpreadScore()));
  }

  public sealed interface Decision permits Fit, Unfit {}

  /** The chosen node and its total weighted score. */
  public record Fit(String node, long score) implements Decision {}

  /** No node fits: kube-scheduler's message, and how many nodes gave each reason. */
  public record Unfit(String message, Map<String, Integer> reasons) implements Decision {}

  public Decision place(PodRequest pod, Collection<NodeSnapshot> nodes) {
    if (nodes.isEmpty()) return new Unfit("no nodes available to schedule pods", Map.of());
    int podHash = pod.uid() == null ? pod.key().hashCode() : pod.uid().hashCode();
    NodeSnapshot best = null;
    long bestScore = Long.MIN_VALUE;
    long bestTie = Long.MIN_VALUE;
    Map<String, Integer> reasons = null;
    for (NodeSnapshot node : nodes) {
      List<String> failed = check(pod, node);
      if (!failed.isEmpty()) {
        if (reasons == null) reasons = new TreeMap<>();
        for (String r : failed) reasons.merge(r, 1, Integer::sum);
        continue;
      }
      long score = 0;
      for (ScorePlugin s : scores) score += s.weight() * s.score(pod, node);
      long tie = score >= bestScore ? tieBreak(podHash, node.name()) : 0;
      if (score > bestScore || (score == bestScore && tie > bestTie)) {
        best = node;
        bestScore = score;
        bestTie = tie;
      }
    }
    if (best == null) return new Unfit(message(nodes.size(), reasons), Map.copyOf(reasons));
    return new Fit(best.name(), bestScore);
  }

  /** A well-mixed 64-bit value of the pod and the node (SplitMix64's finaliser). */
  private static long tieBreak(int podHash, String node) {
    long z = ((long) podHash << 32) ^ (node.hashCode() & 0xffffffffL);
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** The first filter that fails decides, as in kube-scheduler (which stops at it). */
  private List<String> check(PodRequest pod, NodeSnapshot node) {
    for (FilterPlugin f : filters) {
      List<String> failed = f.filter(pod, node);
      if (!failed.isEmpty()) return failed;
    }
    return List.of();
  }

  /**
   * {@code 0/3 nodes are available: 1 Insufficient cpu, 2 node(s) were not ready.}: each reason with
   * its count, sorted as text, as kube-scheduler's FitError writes them.
   */
  static String message(int nodes, Map<String, Integer> reasons) {
    List<String> counted = new ArrayList<>();
    reasons.forEach((reason, count) -> counted.add(count + " " + reason));
    counted.sort(null);
    return "0/" + nodes + " nodes are available: " + String.join(", ", counted) + ".";
  }
}
