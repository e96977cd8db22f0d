package dev.tugboat.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.DockerRuntime;
import java.util.List;
import java.util.Map;

/**
 * Cleans up after tests that run node agents: containers outlive their agent (that is the point),
 * so a test removes every container labelled with its nodes' names when it ends, and checks that
 * none is left.
 */
public final class NodeContainers {
  private NodeContainers() {}

  public static void removeAll(String... nodes) {
    try (DockerRuntime docker = new DockerRuntime("unix:///var/run/docker.sock", "tugboat/busybox:1.0")) {
      for (String node : nodes) {
        docker.listContainers(Map.of(ContainerRuntime.NODE, node)).forEach(c -> docker.removeContainer(c.id()));
        assertEquals(List.of(), docker.listContainers(Map.of(ContainerRuntime.NODE, node)), "no container left on " + node);
      }
    }
  }
}
