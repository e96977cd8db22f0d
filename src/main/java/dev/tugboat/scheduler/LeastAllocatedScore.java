package dev.tugboat.scheduler;

/** Prefers the node with the most cpu and memory left after placing the pod (spreads load). */
public final class LeastAllocatedScore implements ScorePlugin {
  @Override
  public String name() {
    return "NodeResourcesLeastAllocated";
  }

  @Override
  public int weight() {
    return 1;
  }

  @Override
  public long score(PodRequest pod, NodeSnapshot node) {
    return (free(node.requestedMilliCpu() + pod.milliCpu(), node.allocatableMilliCpu())
        + free(node.requestedMemoryBytes() + pod.memoryBytes(), node.allocatableMemoryBytes())) / 2;
  }

  private static long free(long requested, long allocatable) {
    if (allocatable <= 0 || requested > allocatable) return 0;
    return (allocatable - requested) * 100 / allocatable;
  }
}
