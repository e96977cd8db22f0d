package dev.tugboat.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;
import java.util.List;

/**
 * Docker Swarm on the local engine, the peer {@code converge} compares with. Joins the engine to a
 * one-node swarm when it is not in one, and leaves it again on {@link #close()} only in that case.
 * Services are created with Docker's own CLI (what a user types); their tasks are counted through the
 * engine's API (docker-java), which is cheap enough to ask every 50 ms.
 */
public final class Swarm implements AutoCloseable {
  private final DockerClient docker;
  private final boolean createdHere;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private Swarm(DockerClient docker, boolean createdHere) {
    this.docker = docker;
    this.createdHere = createdHere;
  }

  public static Swarm join() {
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost("unix:///var/run/docker.sock").build();
    var http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).maxConnections(4)
        .connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofSeconds(60)).build();
    DockerClient docker = DockerClientImpl.getInstance(config, http);
    String state = DockerCli.docker("info", "--format", "{{.Swarm.LocalNodeState}}");
    boolean created = false;
    if (!state.equals("active")) {
      DockerCli.docker("swarm", "init", "--advertise-addr", "127.0.0.1");
      created = true;
    }
    return new Swarm(docker, created);
  }

  public boolean createdHere() {
    return createdHere;
  }

  /** Tasks of the service that run now (state running, desired running). */
  public int running(String service) {
    List<Task> tasks = docker.listTasksCmd().withServiceFilter(service).exec();
    int n = 0;
    for (Task t : tasks) {
      if (t.getStatus() != null && t.getStatus().getState() == TaskState.RUNNING && t.getDesiredState() == TaskState.RUNNING) n++;
    }
    return n;
  }

  /** Removes the service and waits until its containers are gone. */
  public void remove(String service) {
    DockerCli.tryDocker("service", "rm", service);
    Wait.until("service " + service + "'s containers gone", Duration.ofMinutes(3), Duration.ofMillis(250),
        () -> DockerCli.countContainers("com.docker.swarm.service.name=" + service) == 0);
  }

  /** Removes every service a benchmark created (label tugboat.bench=1), also of earlier crashed runs. */
  public void removeBenchServices() {
    String services = DockerCli.docker("service", "ls", "-q", "--filter", "label=" + DockerCli.LABEL + "=1");
    for (String id : services.split("\\s+")) if (!id.isBlank()) remove(id);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return; // from the shutdown hook and the try block alike
    try {
      removeBenchServices();
    } finally {
      if (createdHere) DockerCli.tryDocker("swarm", "leave", "--force");
      try {
        docker.close();
      } catch (java.io.IOException e) {
        // the client holds only connections
      }
    }
  }
}
