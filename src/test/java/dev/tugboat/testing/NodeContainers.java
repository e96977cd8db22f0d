package dev.tugboat.testing;

import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.DockerRuntime;
import java.time.Duration;
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
        // a removal the engine had already begun for someone else ends on its own
        Await.until("no container left on " + node, Duration.ofSeconds(30),
            () -> docker.listContainers(Map.of(ContainerRuntime.NODE, node)).isEmpty());
      }
    }
  }
}
