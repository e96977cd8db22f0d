package dev.tugboat.scheduler;

import java.util.List;

/** A host port the pod asks for must be free on the node (NodePorts). */
public final class HostPortsFilter implements FilterPlugin {
  @Override
  public String name() {
    return "NodePorts";
  }

  @Override
  public List<String> filter(PodRequest pod, NodeSnapshot node) {
    for (String port : pod.hostPorts()) {
      if (node.usedHostPorts().contains(port)) return List.of("node(s) didn't have free ports for the requested pod ports");
    }
    return List.of();
  }
}
