package dev.tugboat.scheduler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a pod goes, as kube-scheduler's framework decides it: nodes through the filters, the
 * feasible ones through the weighted scores, the best one wins. In a large cluster the search stops
 * once enough feasible nodes are found, as kube-scheduler's {@code percentageOfNodesToScore}: the
 * caller starts each search where the last one stopped, so every node gets its turn. Ties go to the node whose name
 * hashes highest together with the pod's uid (rendezvous hashing): equal nodes share the pods, a
 * decision can be reproduced, and thousands of equal nodes cost one pass, not a sort per pod.
 * Pure: no actors, no I/O.
 */
public final class Placement {
  /** Below this many nodes every node is examined (kube-scheduler's minFeasibleNodesToFind). */
  static final int MIN_FEASIBLE_NODES = 100;

  private final List<FilterPlugin> filters;
  private final List<ScorePlugin> scores;
  private final int percentageOfNodesToScore;

  /**
   * @param percentageOfNodesToScore how many feasible nodes to find before choosing, in percent of
   *     all nodes; 0 adapts to the cluster's size as kube-scheduler's default does (50 % at 100
   *     nodes, 10 % at 5,000, never under 5 %), 100 examines every node
   */
  public Placement(List<FilterPlugin> filters, List<ScorePlugin> scores, int percentageOfNodesToScore) {
    if (percentageOfNodesToScore < 0 || percentageOfNodesToScore > 100) {
      throw new IllegalArgumentException("percentageOfNodesToScore must be 0 to 100: " + percentageOfNodesToScore);
    }
    this.filters = List.copyOf(filters);
    this.scores = List.copyOf(scores);
    this.percentageOfNodesToScore = percentageOfNodesToScore;
  }

  /** The plugins kube-scheduler runs by default that apply to Tugboat's pods, every node examined. */
  public static Placement defaults() {
    return defaults(100);
  }

  /** The default plugins, with {@code percentageOfNodesToScore} (0: adaptive). */
  public static Placement defaults(int percentageOfNodesToScore) {
    return new Placement(
        List.of(new NodeReadyFilter(), new NodeAffinityFilter(), new TaintTolerationFilter(), new HostPortsFilter(),
            new VolumeBindingFilter(),
            new ResourcesFitFilter()),
        List.of(new LeastAllocatedScore(), new BalancedAllocationScore(), new OwnerSpreadScore()),
        percentageOfNodesToScore);
  }

  public sealed interface Decision permits Fit, Unfit {}

  /**
   * The chosen node and its total weighted score; {@code examined}: how many nodes the search went
   * through, where the next one should start.
   */
  public record Fit(String node, long score, int examined) implements Decision {}

  /** No node fits: kube-scheduler's message, and how many nodes gave each reason. */
  public record Unfit(String message, Map<String, Integer> reasons) implements Decision {}

  /** Places {@code pod} searching {@code nodes} from the first. */
  public Decision place(PodRequest pod, Collection<NodeSnapshot> nodes) {
    return place(pod, nodes instanceof List<NodeSnapshot> list ? list : List.copyOf(nodes), 0);
  }

  /**
   * Places {@code pod} searching {@code nodes} from index {@code start} round, until enough feasible
   * nodes are found ({@link #feasibleNodesToFind}) or all were examined.
   */
  public Decision place(PodRequest pod, List<NodeSnapshot> nodes, int start) {
    if (nodes.isEmpty()) return new Unfit("no nodes available to schedule pods", Map.of());
    int podHash = pod.uid() == null ? pod.key().hashCode() : pod.uid().hashCode();
    int enough = feasibleNodesToFind(nodes.size());
    int n = nodes.size();
    int feasible = 0;
    int examined = 0;
    NodeSnapshot best = null;
    long bestScore = Long.MIN_VALUE;
    long bestTie = Long.MIN_VALUE;
    Map<String, Integer> reasons = null;
    for (int i = 0; i < n && feasible < enough; i++) {
      NodeSnapshot node = nodes.get(Math.floorMod(start + i, n));
      examined++;
      List<String> failed = check(pod, node);
      if (!failed.isEmpty()) {
        if (reasons == null) reasons = new TreeMap<>();
        for (String r : failed) reasons.merge(r, 1, Integer::sum);
        continue;
      }
      feasible++;
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
    return new Fit(best.name(), bestScore, examined);
  }

  /** kube-scheduler's numFeasibleNodesToFind: how many feasible nodes are enough to choose among. */
  int feasibleNodesToFind(int nodes) {
    if (nodes < MIN_FEASIBLE_NODES || percentageOfNodesToScore >= 100) return nodes;
    int percentage = percentageOfNodesToScore > 0 ? percentageOfNodesToScore : Math.max(5, 50 - nodes / 125);
    return Math.max(MIN_FEASIBLE_NODES, nodes * percentage / 100);
  }

  /** A well-mixed 64-bit value of the pod and the node (SplitMix64's finaliser). */
  private static long tieBreak(int podHash, String node) {
    long z = ((long) podHash << 32) ^ (node.hashCode() & 0xffffffffL);
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Whether {@code pod} passes every filter on {@code node} (preemption asks it of a node without its victims). */
  public boolean fits(PodRequest pod, NodeSnapshot node) {
    return check(pod, node).isEmpty();
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
