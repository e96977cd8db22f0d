package dev.tugboat.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Docker's own command line, the baseline the benchmarks compare with: {@code docker run -d},
 * {@code docker service create} on Swarm. Everything the benchmarks start carries the label
 * {@value #LABEL}{@code =1}, so clean-up (also of an earlier crashed run) finds it.
 */
public final class DockerCli {
  /** Marks containers and services started by a benchmark. */
  public static final String LABEL = "tugboat.bench";
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private DockerCli() {}

  public static String docker(String... args) {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(Arrays.asList(args));
    return Processes.check(TIMEOUT, command);
  }

  public static Processes.Result tryDocker(String... args) {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(Arrays.asList(args));
    return Processes.run(TIMEOUT, command);
  }

  /** Fails with a clear message when the engine does not answer or the image is missing. */
  public static void requireEngineAndImage(String image) {
    Processes.Result info = tryDocker("version", "--format", "{{.Server.Version}}");
    if (!info.ok()) {
      throw new IllegalStateException("the Docker engine does not answer (start it: nohup dockerd >/var/log/dockerd.log 2>&1 &): "
          + info.output());
    }
    if (!tryDocker("image", "inspect", "--format", "{{.Id}}", image).ok()) {
      throw new IllegalStateException("image " + image + " is missing; build it with examples/images/build.sh");
    }
  }

  public static String engineVersion() {
    Processes.Result r = tryDocker("version", "--format", "{{.Server.Version}}");
    return r.ok() ? r.output() : "unknown";
  }

  /** Removes every container carrying {@code label} (key=value), running or not. */
  public static int removeContainers(String label) {
    String ids = docker("ps", "-aq", "--filter", "label=" + label);
    if (ids.isBlank()) return 0;
    List<String> command = new ArrayList<>(List.of("rm", "-f"));
    command.addAll(Arrays.asList(ids.split("\\s+")));
    docker(command.toArray(String[]::new));
    return command.size() - 2;
  }

  /** The number of containers with {@code label} (key=value), running or not. */
  public static int countContainers(String label) {
    String ids = docker("ps", "-aq", "--filter", "label=" + label);
    return ids.isBlank() ? 0 : ids.split("\\s+").length;
  }
}
