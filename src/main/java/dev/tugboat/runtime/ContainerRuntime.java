package dev.tugboat.runtime;

import java.io.Closeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the node agent needs from a container runtime, modelled on Kubernetes' CRI: a pod sandbox
 * (the network namespace and published ports the pod's containers share) and containers inside it.
 * Everything carries labels, so an agent finds, adopts and collects its containers after any restart.
 * Knows nothing of the registry or the API.
 */
public interface ContainerRuntime extends AutoCloseable {

  /** Labels every container of a pod carries. */
  String POD_UID = "tugboat.pod.uid";
  String POD_NAMESPACE = "tugboat.pod.namespace";
  String POD_NAME = "tugboat.pod.name";
  String NODE = "tugboat.node";
  String CONTAINER = "tugboat.container";
  /** "sandbox" or "container". */
  String ROLE = "tugboat.role";
  /** "true" on the sandbox and containers of a fenced pod: found, and killed, together. */
  String FENCED = "tugboat.fenced";

  /** A container port published on the node: hostPort 0 lets the runtime choose a free one. */
  record PortMapping(int containerPort, String protocol, String hostIp, int hostPort) {}

  /**
   * A pod's sandbox: who it is (labels), the ports published for all its containers, and what the
   * pod's containers share with it: its resolv.conf ({@code dns}; null: the runtime's default, the
   * host's) and its host name ({@code hostname}, and {@code domain} for a pod with a subdomain, so
   * that {@code hostname -f} says {@code web-0.nginx.default.svc.cluster.local}; null: the runtime's).
   * {@code fence}: null, or the lease file the sandbox watches; it then ends the pod (every
   * container shares its PID namespace) once the file is older than the fence's timeout.
   */
  record SandboxConfig(String podUid, String namespace, String podName, String nodeName, List<PortMapping> ports,
      Fence fence, DnsConfig dns, String hostname, String domain) {
    public SandboxConfig(String podUid, String namespace, String podName, String nodeName, List<PortMapping> ports,
        Fence fence) {
      this(podUid, namespace, podName, nodeName, ports, fence, null, null, null);
    }

    public Map<String, String> labels() {
      return fence == null ? Map.of(POD_UID, podUid, POD_NAMESPACE, namespace, POD_NAME, podName, NODE, nodeName)
          : Map.of(POD_UID, podUid, POD_NAMESPACE, namespace, POD_NAME, podName, NODE, nodeName, FENCED, "true");
    }
  }

  /** A node's lease file ({@code dir/file}) and how stale it may get, in seconds, before a fenced pod dies. */
  record Fence(String dir, String file, int timeoutSeconds) {}

  /** A directory of the node mounted into a container. */
  record Mount(String hostPath, String containerPath, boolean readOnly) {}

  /**
   * One container of a pod. Limits of 0 mean none. {@code labels} are added to the pod's (the agent
   * keeps a container's restart count there, as the kubelet does). {@code stdin} keeps its input
   * open for an attach ({@code stdinOnce}: until the first attach ends it), {@code tty} gives it a
   * terminal: a pod's {@code stdin}, {@code stdinOnce} and {@code tty}, as {@code kubectl run -it}.
   */
  record ContainerConfig(String name, String image, List<String> command, List<String> args, Map<String, String> env,
      String workingDir, List<Mount> mounts, long memoryLimitBytes, long cpuLimitMillis, Map<String, String> labels,
      RegistryAuth pullAuth, boolean stdin, boolean stdinOnce, boolean tty, Security security) {
    public ContainerConfig {
      if (security == null) security = Security.NONE;
    }

    /** A container with the runtime's default security ({@link Security#NONE}). */
    public ContainerConfig(String name, String image, List<String> command, List<String> args, Map<String, String> env,
        String workingDir, List<Mount> mounts, long memoryLimitBytes, long cpuLimitMillis, Map<String, String> labels,
        RegistryAuth pullAuth, boolean stdin, boolean stdinOnce, boolean tty) {
      this(name, image, command, args, env, workingDir, mounts, memoryLimitBytes, cpuLimitMillis, labels, pullAuth, stdin,
          stdinOnce, tty, Security.NONE);
    }
  }

  /**
   * How a container's processes run, as a pod's securityContext asks: {@code user} and {@code group}
   * (null: the image's), extra {@code groups}, a read-only root filesystem, capabilities added to and
   * dropped from the runtime's default set ("ALL" drops every one), {@code noNewPrivileges} (setuid
   * binaries and file capabilities give nothing: allowPrivilegeEscalation=false) and
   * {@code privileged} (every capability and every device: only where Pod Security admitted it).
   */
  record Security(Long user, Long group, List<Long> groups, boolean readOnlyRootFilesystem, List<String> capAdd,
      List<String> capDrop, boolean noNewPrivileges, boolean privileged) {
    public static final Security NONE = new Security(null, null, List.of(), false, List.of(), List.of(), false, false);

    public Security {
      groups = List.copyOf(groups);
      capAdd = List.copyOf(capAdd);
      capDrop = List.copyOf(capDrop);
    }
  }

  /** Credentials for the registry an image is pulled from (a pod's imagePullSecrets), or none. */
  record RegistryAuth(String server, String username, String password) {
    @Override
    public String toString() {
      return "RegistryAuth[" + server + ", " + username + "]"; // never the password
    }
  }

  /** What a command run in a container ended with: its exit code and (the start of) its output. */
  record ExecResult(int exitCode, String output) {}

  /** What the runtime reports of a sandbox or container. */
  record ContainerInfo(String id, String image, Map<String, String> labels, State state, Integer exitCode,
      Instant startedAt, Instant finishedAt, String error) {
    public enum State { CREATED, RUNNING, EXITED, UNKNOWN }

    public boolean isSandbox() {
      return "sandbox".equals(labels.get(ROLE));
    }
  }

  /** The image is not on the node and cannot be pulled; the message names it and says why. */
  final class ImageUnavailableException extends RuntimeException {
    public ImageUnavailableException(String message) {
      super(message);
    }
  }

  /** The runtime refused or failed an operation; the message is the runtime's. */
  final class RuntimeFailure extends RuntimeException {
    public RuntimeFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Creates and starts a pod's sandbox; returns its id. */
  String runPodSandbox(SandboxConfig config);

  /** The node's host port for each published container port of a running sandbox. */
  Map<Integer, Integer> sandboxHostPorts(String sandboxId);

  /** The sandbox's address on the engine's network (the pod's IP), null when it has none. */
  String sandboxIp(String sandboxId);

  /** A sandbox's host ports and address together. */
  record SandboxNetwork(Map<Integer, Integer> hostPorts, String ip) {}

  /**
   * {@link #sandboxHostPorts} and {@link #sandboxIp} at once; a runtime that reads both from one
   * inspection overrides it (a pod start asks for both, and every call to a busy engine costs).
   */
  default SandboxNetwork sandboxNetwork(String sandboxId) {
    return new SandboxNetwork(sandboxHostPorts(sandboxId), sandboxIp(sandboxId));
  }

  /** Stops every container of the pod and its sandbox. */
  void stopPodSandbox(String sandboxId);

  /** Removes every container of the pod and its sandbox; absent ones are fine. */
  void removePodSandbox(String sandboxId);

  /** Creates a container in the sandbox's namespaces; returns its id. */
  String createContainer(String sandboxId, SandboxConfig sandbox, ContainerConfig config);

  void startContainer(String containerId);

  /** SIGTERM, then SIGKILL after the grace period. */
  void stopContainer(String containerId, int gracePeriodSeconds);

  void removeContainer(String containerId);

  /** Containers and sandboxes carrying all these labels, running or not. */
  List<ContainerInfo> listContainers(Map<String, String> labels);

  ContainerInfo inspectContainer(String containerId);

  /**
   * Runs a command in a running container (an exec probe) and waits for it, at most {@code timeout}.
   *
   * @throws RuntimeFailure when it cannot run or does not finish in time
   */
  ExecResult exec(String containerId, List<String> command, java.time.Duration timeout);

  /** Which standard streams of a process the caller holds, and whether they are a terminal. */
  record StreamOptions(boolean stdin, boolean stdout, boolean stderr, boolean tty) {}

  /**
   * Runs a command in a running container with its standard streams attached to the caller, as
   * {@code kubectl exec} does: returns once the process has started (its output may already hold
   * the runtime's complaint, as a missing executable's, then exit code 126 or 127).
   *
   * @throws RuntimeFailure when the container is gone or not running
   */
  default AttachedStreams execStreams(String containerId, List<String> command, StreamOptions options) {
    throw new RuntimeFailure("this container runtime cannot run commands with attached streams", null);
  }

  /**
   * Attaches to the standard streams of a running container's own process, as {@code kubectl
   * attach}; its input reaches it only if the container was created with stdin open.
   */
  default AttachedStreams attach(String containerId, StreamOptions options) {
    throw new RuntimeFailure("this container runtime cannot attach to containers", null);
  }

  /**
   * The container's output, the last {@code tail} lines (-1: all), then new lines while
   * {@code follow}; {@code end} runs once the output is over (at once without follow, when the
   * container stops with it). Close the returned handle to stop following.
   */
  Closeable logs(String containerId, int tail, boolean follow, Consumer<String> line, Runnable end);

  /**
   * What a running container has used, as one read of the runtime's counters: its CPU time so far
   * (nanoseconds, cumulative) at {@code read}, the same about a second before ({@code previousRead},
   * null when the runtime gave none), and its memory working set (what it uses minus the page cache
   * the kernel may reclaim, as the kubelet counts it).
   */
  record ContainerStats(Instant read, long cpuUsageNanos, Instant previousRead, long previousCpuNanos,
      long memoryWorkingSetBytes) {}

  /**
   * The stats of each of {@code containerIds} that is running, read at once and waited for at most
   * {@code timeout}; containers gone or slower than that are left out. None by default (a runtime
   * that measures nothing).
   */
  default Map<String, ContainerStats> stats(List<String> containerIds, java.time.Duration timeout) {
    return Map.of();
  }

  /** Whether {@link #stats} measures anything (a simulated runtime does not: its agents skip metrics). */
  default boolean measuresUsage() {
    return false;
  }

  boolean imagePresent(String image);

  /**
   * The user an image runs as when nothing else is said (its {@code USER}; "" means root), for
   * runAsNonRoot's check; empty when the image is not present.
   */
  default java.util.Optional<String> imageUser(String image) {
    return imagePresent(image) ? java.util.Optional.of("") : java.util.Optional.empty();
  }

  /**
   * Makes the image present, pulling it when a registry is reachable.
   *
   * @throws ImageUnavailableException naming the image when it cannot be had
   */
  void ensureImage(String image);

  /** {@link #ensureImage(String)}, pulling with {@code auth} (null: anonymously). */
  default void ensureImage(String image, RegistryAuth auth) {
    ensureImage(image);
  }

  /**
   * The node's address as pods see it from their own network namespaces (Docker: the bridge's
   * gateway), where the service proxy listens for them; null when pods cannot reach the node.
   */
  default String podGateway() {
    return null;
  }

  /** The runtime's name and version, for the Node's nodeInfo ({@code docker://20.10.24}). */
  String version();

  @Override
  void close();
}
