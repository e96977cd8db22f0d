package dev.tugboat.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@link ContainerRuntime} on a Docker engine through docker-java. A pod's sandbox is a small
 * container that owns the pod's network namespace and published ports; the pod's containers join
 * it ({@code --network container:<sandbox>}), so they share localhost, as in Kubernetes.
 */
public final class DockerRuntime implements ContainerRuntime {
  private final DockerClient docker;
  /** The engine's address, for the connections that carry a process's streams ({@link DockerStreams}). */
  private final String host;
  /** Where a fenced sandbox sees its node's lease directory. */
  static final String FENCE_MOUNT = "/run/tugboat-fence";

  private final String sandboxImage;
  private volatile String gateway;
  /** Inspections reused while a container lists unchanged: pod workers list their containers every second. */
  private final Inspections inspections = new Inspections();

  /**
   * @param host the engine, e.g. {@code unix:///var/run/docker.sock}
   * @param sandboxImage the image of the sandbox container; it must have {@code /bin/sh}
   */
  public DockerRuntime(String host, String sandboxImage) {
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    var http = new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .maxConnections(64)
        .connectionTimeout(Duration.ofSeconds(5))
        .responseTimeout(Duration.ofSeconds(60))
        .build();
    this.docker = DockerClientImpl.getInstance(config, http);
    this.host = host;
    this.sandboxImage = sandboxImage;
  }

  @Override
  public String runPodSandbox(SandboxConfig config) {
    ensureImage(sandboxImage);
    Ports bindings = new Ports();
    List<ExposedPort> exposed = new ArrayList<>();
    for (PortMapping p : config.ports()) {
      ExposedPort port = new ExposedPort(p.containerPort(), InternetProtocol.parse(p.protocol() == null ? "tcp" : p.protocol().toLowerCase()));
      exposed.add(port);
      String ip = p.hostIp() == null ? "127.0.0.1" : p.hostIp();
      // Host port 0: the engine picks a free one, read back by sandboxHostPorts.
      bindings.bind(port, p.hostPort() == 0 ? Ports.Binding.bindIp(ip) : Ports.Binding.bindIpAndPort(ip, p.hostPort()));
    }
    Map<String, String> labels = new HashMap<>(config.labels());
    labels.put(ROLE, "sandbox");
    HostConfig host = HostConfig.newHostConfig().withPortBindings(bindings);
    if (config.fence() != null) host.withBinds(new Bind(config.fence().dir(), new Volume(FENCE_MOUNT), AccessMode.ro));
    dns(host, config.dns());
    String id = call("create the sandbox of " + config.namespace() + "/" + config.podName(), () -> {
      CreateContainerCmd create = docker.createContainerCmd(sandboxImage)
          .withName(name(config, "sandbox"))
          .withLabels(labels)
          .withCmd("/bin/sh", "-c", sandboxScript(config.fence()))
          .withExposedPorts(exposed)
          .withHostConfig(host);
      // The pod's containers share the sandbox's UTS namespace and /etc/hosts: its name is theirs.
      if (config.hostname() != null) create.withHostName(config.hostname());
      if (config.domain() != null) create.withDomainName(config.domain());
      return create.exec().getId();
    });
    call("start the sandbox " + id, () -> docker.startContainerCmd(id).exec());
    return id;
  }

  /**
   * PID 1 of the sandbox. It exits at once on SIGTERM, so stopping a pod does not wait out a
   * timeout. A fenced sandbox also exits when its lease file is older than the fence's timeout, or
   * missing: checked every second, to whole seconds (the file's mtime), so a pod dies within the
   * timeout plus two seconds of its node's last confirmation.
   */
  static String sandboxScript(Fence fence) {
    if (fence == null) return "trap 'exit 0' TERM INT; while true; do sleep 3600 & wait $!; done";
    String file = FENCE_MOUNT + "/" + fence.file();
    return "trap 'exit 0' TERM INT; "
        + "while [ $(( $(date +%s) - $(stat -c %Y " + file + " 2>/dev/null || echo 0) )) -le " + fence.timeoutSeconds() + " ]; "
        + "do sleep 1 & wait $!; done; echo 'fence: lease file stale, ending the pod' >&2";
  }

  /**
   * The pod's resolv.conf, set on the sandbox: Docker writes it from these (taking the host's for
   * any part left empty), and the pod's containers, joined to the sandbox's network
   * ({@code --network container:}), are given the sandbox's file, not one of their own (Docker
   * refuses {@code --dns} beside that network mode). An empty search list is Docker's {@code "."},
   * "no search domains", so that the host's do not leak in where the pod asked for none.
   */
  private static HostConfig dns(HostConfig host, DnsConfig dns) {
    if (dns == null) return host;
    if (!dns.servers().isEmpty()) host.withDns(dns.servers());
    host.withDnsSearch(dns.searches().isEmpty() ? List.of(".") : dns.searches());
    if (!dns.options().isEmpty()) host.withDnsOptions(dns.options());
    return host;
  }

  @Override
  public Map<Integer, Integer> sandboxHostPorts(String sandboxId) {
    return hostPorts(call("inspect " + sandboxId, () -> docker.inspectContainerCmd(sandboxId).exec()));
  }

  @Override
  public SandboxNetwork sandboxNetwork(String sandboxId) {
    InspectContainerResponse inspect = call("inspect " + sandboxId, () -> docker.inspectContainerCmd(sandboxId).exec());
    return new SandboxNetwork(hostPorts(inspect), ip(inspect));
  }

  private static Map<Integer, Integer> hostPorts(InspectContainerResponse inspect) {
    Map<Integer, Integer> result = new HashMap<>();
    Map<ExposedPort, Ports.Binding[]> ports = inspect.getNetworkSettings().getPorts().getBindings();
    ports.forEach((port, bound) -> {
      if (bound != null && bound.length > 0) result.put(port.getPort(), Integer.parseInt(bound[0].getHostPortSpec()));
    });
    return result;
  }

  @Override
  public String sandboxIp(String sandboxId) {
    return ip(call("inspect " + sandboxId, () -> docker.inspectContainerCmd(sandboxId).exec()));
  }

  private static String ip(InspectContainerResponse inspect) {
    String ip = inspect.getNetworkSettings().getIpAddress();
    if (ip == null || ip.isEmpty()) {
      ip = inspect.getNetworkSettings().getNetworks().values().stream()
          .map(n -> n.getIpAddress()).filter(a -> a != null && !a.isEmpty()).findFirst().orElse(null);
    }
    return ip;
  }

  @Override
  public void stopPodSandbox(String sandboxId) {
    for (ContainerInfo c : podOf(sandboxId)) {
      if (!c.isSandbox()) stopContainer(c.id(), 10);
    }
    stopContainer(sandboxId, 2);
  }

  @Override
  public void removePodSandbox(String sandboxId) {
    for (ContainerInfo c : podOf(sandboxId)) {
      if (!c.isSandbox()) removeContainer(c.id());
    }
    removeContainer(sandboxId);
  }

  private List<ContainerInfo> podOf(String sandboxId) {
    try {
      String uid = docker.inspectContainerCmd(sandboxId).exec().getConfig().getLabels().get(POD_UID);
      return uid == null ? List.of() : listContainers(Map.of(POD_UID, uid));
    } catch (NotFoundException e) {
      return List.of();
    }
  }

  @Override
  public String createContainer(String sandboxId, SandboxConfig sandbox, ContainerConfig config) {
    ensureImage(config.image(), config.pullAuth());
    Map<String, String> labels = new HashMap<>(sandbox.labels());
    labels.put(ROLE, "container");
    labels.put(CONTAINER, config.name());
    labels.putAll(config.labels());
    HostConfig host = HostConfig.newHostConfig().withNetworkMode("container:" + sandboxId);
    // A fenced pod's processes live in its sandbox's PID namespace: when the sandbox (its init) exits,
    // the kernel kills them all, whether or not anyone is left to ask Docker.
    if (sandbox.fence() != null) host.withPidMode("container:" + sandboxId);
    if (config.memoryLimitBytes() > 0) host.withMemory(config.memoryLimitBytes());
    if (config.cpuLimitMillis() > 0) host.withNanoCPUs(config.cpuLimitMillis() * 1_000_000L);
    List<Bind> binds = new ArrayList<>();
    for (Mount m : config.mounts()) {
      binds.add(new Bind(m.hostPath(), new Volume(m.containerPath()),
          m.readOnly() ? AccessMode.ro : AccessMode.rw));
    }
    host.withBinds(binds);
    ContainerRuntime.Security security = config.security();
    if (security.readOnlyRootFilesystem()) host.withReadonlyRootfs(true);
    if (security.privileged()) host.withPrivileged(true);
    if (!security.capAdd().isEmpty()) host.withCapAdd(capabilities(security.capAdd()));
    if (!security.capDrop().isEmpty()) host.withCapDrop(capabilities(security.capDrop()));
    if (security.noNewPrivileges()) host.withSecurityOpts(List.of("no-new-privileges"));
    if (!security.groups().isEmpty()) host.withGroupAdd(security.groups().stream().map(String::valueOf).toList());
    return call("create container " + config.name() + " of " + sandbox.namespace() + "/" + sandbox.podName(), () -> {
      CreateContainerCmd cmd = docker.createContainerCmd(config.image())
          .withName(name(sandbox, config.name() + "-" + Long.toString(System.nanoTime() % 100000, 36)))
          .withLabels(labels)
          .withHostConfig(host)
          .withEnv(config.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
      // Kubernetes' command replaces the image's entrypoint, args its cmd.
      if (config.command() != null && !config.command().isEmpty()) {
        cmd.withEntrypoint(config.command());
        cmd.withCmd(config.args() == null ? List.of() : config.args());
      } else if (config.args() != null && !config.args().isEmpty()) {
        cmd.withCmd(config.args());
      }
      if (config.workingDir() != null) cmd.withWorkingDir(config.workingDir());
      // a group alone keeps the image's user: Docker's --user needs a user, so it is root's 0 only if the image says so
      if (security.user() != null) {
        cmd.withUser(security.user() + (security.group() != null ? ":" + security.group() : ""));
      }
      if (config.stdin()) cmd.withStdinOpen(true).withStdInOnce(config.stdinOnce()).withAttachStdin(true);
      if (config.tty()) cmd.withTty(true);
      return cmd.exec().getId();
    });
  }

  /**
   * Kubernetes' capability names ({@code NET_ADMIN}, or {@code CAP_NET_ADMIN}) as docker-java's; a
   * name it does not know fails the create (CreateContainerError), as Docker would refuse it.
   */
  private static com.github.dockerjava.api.model.Capability[] capabilities(List<String> names) {
    return names.stream().map(n -> {
      String name = n.startsWith("CAP_") ? n.substring(4) : n;
      try {
        return com.github.dockerjava.api.model.Capability.valueOf(name);
      } catch (IllegalArgumentException e) {
        throw new RuntimeFailure("unknown capability: " + n, e);
      }
    }).toArray(com.github.dockerjava.api.model.Capability[]::new);
  }

  @Override
  public java.util.Optional<String> imageUser(String image) {
    try {
      var config = docker.inspectImageCmd(image).exec().getConfig();
      return java.util.Optional.of(config == null || config.getUser() == null ? "" : config.getUser());
    } catch (NotFoundException e) {
      return java.util.Optional.empty();
    }
  }

  @Override
  public void startContainer(String containerId) {
    call("start " + containerId, () -> docker.startContainerCmd(containerId).exec());
  }

  @Override
  public void stopContainer(String containerId, int gracePeriodSeconds) {
    try {
      docker.stopContainerCmd(containerId).withTimeout(gracePeriodSeconds).exec();
    } catch (NotModifiedException | NotFoundException e) {
      // already stopped, or gone: the desired state holds
    } catch (DockerException e) {
      throw new RuntimeFailure("cannot stop " + containerId + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void removeContainer(String containerId) {
    inspections.forget(containerId);
    try {
      docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      // gone already
    } catch (ConflictException e) {
      // "removal ... is already in progress": someone else's removal (an agent's that was stopping) ends it
      if (!String.valueOf(e.getMessage()).contains("already in progress")) {
        throw new RuntimeFailure("cannot remove " + containerId + ": " + e.getMessage(), e);
      }
    } catch (DockerException e) {
      throw new RuntimeFailure("cannot remove " + containerId + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<ContainerInfo> listContainers(Map<String, String> labels) {
    var list = docker.listContainersCmd().withShowAll(true);
    // Without labels: every container Tugboat made (they all carry a role).
    if (labels.isEmpty()) list.withLabelFilter(List.of(ROLE));
    else list.withLabelFilter(labels);
    List<ContainerInfo> result = new ArrayList<>();
    Set<String> listed = new HashSet<>();
    for (var c : call("list containers", () -> list.exec())) {
      listed.add(c.getId());
      try {
        result.add(inspections.of(new Inspections.Listed(c.getId(), c.getState(), c.getStatus()), this::inspect));
      } catch (NotFoundException e) {
        // removed between the list and the inspect: it is not there any more
        inspections.forget(c.getId());
      }
    }
    inspections.retainListed(labels, listed);
    return result;
  }

  /**
   * One non-streaming stats request per container, sent at once (16 at a time): Docker answers each
   * after its collector's next tick (about a second), with that tick's counters and the one before,
   * so a pass over a node's containers takes about a second per 16 of them.
   */
  @Override
  public boolean measuresUsage() {
    return true;
  }

  @Override
  public Map<String, ContainerStats> stats(List<String> containerIds, Duration timeout) {
    Map<String, ContainerStats> result = new HashMap<>();
    for (int from = 0; from < containerIds.size(); from += MAX_STATS_IN_FLIGHT) {
      result.putAll(statsOf(containerIds.subList(from, Math.min(containerIds.size(), from + MAX_STATS_IN_FLIGHT)), timeout));
    }
    return result;
  }

  /**
   * Stats requests sent at once: each holds one of the client's 64 connections for about a second,
   * and the pods' workers, logs and exec streams need the others.
   */
  private static final int MAX_STATS_IN_FLIGHT = 16;

  private Map<String, ContainerStats> statsOf(List<String> containerIds, Duration timeout) {
    Map<String, java.util.concurrent.CompletableFuture<Statistics>> asked = new HashMap<>();
    for (String id : containerIds) {
      var answer = new java.util.concurrent.CompletableFuture<Statistics>();
      asked.put(id, answer);
      try {
        docker.statsCmd(id).withNoStream(true).exec(new ResultCallback.Adapter<Statistics>() {
          @Override
          public void onNext(Statistics s) {
            answer.complete(s);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onComplete() {
            answer.complete(null);
          }
        });
      } catch (RuntimeException e) {
        answer.completeExceptionally(e);
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, ContainerStats> result = new HashMap<>();
    asked.forEach((id, answer) -> {
      try {
        Statistics s = answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        ContainerStats stats = s == null ? null : DockerStats.of(s);
        if (stats != null) result.put(id, stats);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        answer.cancel(true); // gone, stopped, or too slow: left out of this pass
      }
    });
    return result;
  }

  @Override
  public ContainerInfo inspectContainer(String containerId) {
    try {
      return inspect(containerId);
    } catch (DockerException e) {
      throw new RuntimeFailure("cannot inspect " + containerId + ": " + e.getMessage(), e);
    }
  }

  private ContainerInfo inspect(String containerId) {
    InspectContainerResponse r = docker.inspectContainerCmd(containerId).exec();
    InspectContainerResponse.ContainerState s = r.getState();
    ContainerInfo.State state = Boolean.TRUE.equals(s.getRunning()) ? ContainerInfo.State.RUNNING
        : "created".equals(s.getStatus()) ? ContainerInfo.State.CREATED
        : "exited".equals(s.getStatus()) || "dead".equals(s.getStatus()) ? ContainerInfo.State.EXITED
        : ContainerInfo.State.UNKNOWN;
    return new ContainerInfo(r.getId(), r.getConfig().getImage(), r.getConfig().getLabels(), state,
        s.getExitCodeLong() == null ? null : s.getExitCodeLong().intValue(), time(s.getStartedAt()), time(s.getFinishedAt()),
        s.getError() == null || s.getError().isEmpty() ? null : s.getError());
  }

  @Override
  public ExecResult exec(String containerId, List<String> command, Duration timeout) {
    String execId = call("exec in " + containerId, () -> docker.execCreateCmd(containerId)
        .withCmd(command.toArray(String[]::new)).withAttachStdout(true).withAttachStderr(true).exec().getId());
    StringBuilder output = new StringBuilder();
    try {
      boolean finished = docker.execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>() {
        @Override
        public void onNext(Frame frame) {
          // Like the kubelet, keep only the start of a probe's output.
          if (output.length() < 4096) output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
        }
      }).awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) throw new RuntimeFailure("command " + command + " timed out after " + timeout.toSeconds() + "s", null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeFailure("interrupted while running " + command, e);
    } catch (DockerException e) {
      throw new RuntimeFailure("cannot run " + command + " in " + containerId + ": " + e.getMessage(), e);
    }
    Long code = call("inspect exec " + execId, () -> docker.inspectExecCmd(execId).exec().getExitCodeLong());
    return new ExecResult(code == null ? -1 : code.intValue(), output.toString());
  }

  @Override
  public AttachedStreams execStreams(String containerId, List<String> command, StreamOptions options) {
    String execId = call("exec in " + containerId, () -> docker.execCreateCmd(containerId)
        .withCmd(command.toArray(String[]::new))
        .withAttachStdin(options.stdin())
        .withAttachStdout(options.stdout())
        .withAttachStderr(options.stderr())
        .withTty(options.tty())
        .exec().getId());
    return DockerStreams.startExec(docker, host, containerId, execId, options.tty());
  }

  @Override
  public AttachedStreams attach(String containerId, StreamOptions options) {
    InspectContainerResponse inspect = call("inspect " + containerId, () -> docker.inspectContainerCmd(containerId).exec());
    if (!Boolean.TRUE.equals(inspect.getState().getRunning())) {
      throw new RuntimeFailure("container " + containerId + " is not running", null);
    }
    // A terminal is the container's own setting: an attach sees what the container was created with.
    boolean tty = Boolean.TRUE.equals(inspect.getConfig().getTty());
    return DockerStreams.attach(docker, host, containerId, options, tty);
  }

  @Override
  public Closeable logs(String containerId, int tail, boolean follow, Consumer<String> line, Runnable end) {
    var cmd = docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(follow);
    if (tail >= 0) cmd.withTail(tail);
    StringBuilder partial = new StringBuilder();
    ResultCallback.Adapter<Frame> callback = cmd.exec(new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame frame) {
        partial.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
        int nl;
        while ((nl = partial.indexOf("\n")) >= 0) {
          line.accept(partial.substring(0, nl));
          partial.delete(0, nl + 1);
        }
      }

      @Override
      public void onComplete() {
        if (partial.length() > 0) line.accept(partial.toString());
        partial.setLength(0);
        super.onComplete();
        end.run();
      }

      @Override
      public void onError(Throwable error) {
        super.onError(error);
        end.run();
      }
    });
    if (!follow) {
      try {
        callback.awaitCompletion(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return callback;
  }

  @Override
  public boolean imagePresent(String image) {
    try {
      docker.inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  @Override
  public void ensureImage(String image) {
    ensureImage(image, null);
  }

  @Override
  public void ensureImage(String image, RegistryAuth auth) {
    if (imagePresent(image)) return;
    try {
      var pull = docker.pullImageCmd(image);
      if (auth != null) {
        pull.withAuthConfig(new com.github.dockerjava.api.model.AuthConfig().withRegistryAddress(auth.server())
            .withUsername(auth.username()).withPassword(auth.password()));
      }
      pull.start().awaitCompletion(5, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageUnavailableException("image " + image + ": interrupted while pulling");
    } catch (RuntimeException e) {
      throw new ImageUnavailableException("image " + image + " is not present on this node and cannot be pulled: "
          + e.getMessage());
    }
    if (!imagePresent(image)) throw new ImageUnavailableException("image " + image + " is not present on this node after a pull");
  }

  @Override
  public String podGateway() {
    // The bridge's gateway is the engine's configuration: asked once, not on every pod start.
    String known = gateway;
    if (known != null) return known;
    try {
      var config = docker.inspectNetworkCmd().withNetworkId("bridge").exec().getIpam().getConfig();
      if (config == null || config.isEmpty()) return null;
      String given = config.get(0).getGateway();
      // Some engines report the default bridge's subnet without its gateway (seen here: IPAM config
      // {"Subnet":"172.17.0.0/16"} while docker0 holds 172.17.0.1): Docker's gateway is then the
      // subnet's first address.
      gateway = given != null && !given.isEmpty() ? given : firstAddress(config.get(0).getSubnet());
      return gateway;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** {@code 172.17.0.1} of {@code 172.17.0.0/16}; null for anything that is not an IPv4 subnet. */
  static String firstAddress(String subnet) {
    if (subnet == null || !subnet.contains("/")) return null;
    String[] octets = subnet.substring(0, subnet.indexOf('/')).split("\\.");
    if (octets.length != 4) return null;
    try {
      long address = 0;
      for (String o : octets) address = (address << 8) | Integer.parseInt(o);
      address += 1;
      return ((address >> 24) & 255) + "." + ((address >> 16) & 255) + "." + ((address >> 8) & 255) + "." + (address & 255);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public String version() {
    return "docker://" + call("ask the engine's version", () -> docker.versionCmd().exec().getVersion());
  }

  @Override
  public void close() {
    try {
      docker.close();
    } catch (IOException e) {
      // closing a client: nothing to do
    }
  }

  private static String name(SandboxConfig pod, String suffix) {
    return "tugboat_" + pod.namespace() + "_" + pod.podName() + "_" + pod.podUid().substring(0, Math.min(8, pod.podUid().length()))
        + "_" + suffix;
  }

  private static Instant time(String docker) {
    if (docker == null || docker.startsWith("0001-01-01")) return null;
    try {
      return Instant.parse(docker);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private interface Call<T> {
    T run();
  }

  private static <T> T call(String what, Call<T> call) {
    try {
      return call.run();
    } catch (DockerException e) {
      throw new RuntimeFailure("cannot " + what + ": " + e.getMessage(), e);
    }
  }

  private static void call(String what, Runnable call) {
    call(what, () -> {
      call.run();
      return null;
    });
  }
}
