package dev.tugboat.scheduler;

import java.util.ArrayList;
import java.util.List;

/** The pod's requests fit in what the node has left (NodeResourcesFit); each shortage is a reason. */
public final class ResourcesFitFilter implements FilterPlugin {
  @Override
  public String name() {
    return "NodeResourcesFit";
  }

  @Override
  public List<String> filter(PodRequest pod, NodeSnapshot node) {
    List<String> reasons = null;
    if (node.podCount() + 1 > node.allocatablePods()) reasons = add(reasons, "Too many pods");
    if (pod.milliCpu() > 0 && node.requestedMilliCpu() + pod.milliCpu() > node.allocatableMilliCpu()) {
      reasons = add(reasons, "Insufficient cpu");
    }
    if (pod.memoryBytes() > 0 && node.requestedMemoryBytes() + pod.memoryBytes() > node.allocatableMemoryBytes()) {
      reasons = add(reasons, "Insufficient memory");
    }
    return reasons == null ? List.of() : reasons;
  }

  private static List<String> add(List<String> reasons, String reason) {
    List<String> r = reasons == null ? new ArrayList<>(3) : reasons;
    r.add(reason);
    return r;
  }
}
