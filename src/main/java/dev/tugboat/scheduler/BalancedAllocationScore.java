package dev.tugboat.scheduler;

/**
 * Prefers the node whose cpu and memory would be used in equal shares after placing the pod, so
 * neither runs out while the other is left idle.
 */
public final class BalancedAllocationScore implements ScorePlugin {
  @Override
  public String name() {
    return "NodeResourcesBalancedAllocation";
  }

  @Override
  public int weight() {
    return 1;
  }

  @Override
  public long score(PodRequest pod, NodeSnapshot node) {
    double cpu = share(node.requestedMilliCpu() + pod.milliCpu(), node.allocatableMilliCpu());
    double memory = share(node.requestedMemoryBytes() + pod.memoryBytes(), node.allocatableMemoryBytes());
    return Math.round(100 - Math.abs(cpu - memory) * 100);
  }

  private static double share(long requested, long allocatable) {
    return allocatable <= 0 ? 1 : Math.min(1, (double) requested / allocatable);
  }
}
