package dev.tugboat.scheduler;

/** A ranking of feasible nodes: 0 to 100, higher is better, multiplied by {@link #weight()}. Pure. */
public interface ScorePlugin {
  String name();

  int weight();

  long score(PodRequest pod, NodeSnapshot node);
}
