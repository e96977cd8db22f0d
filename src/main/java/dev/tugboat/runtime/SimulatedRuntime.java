package dev.tugboat.runtime;

import java.io.Closeable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A hollow runtime for scale benchmarks only (the kubemark/KWOK idea): no containers, just their
 * records, with a configurable start latency and failure rate, so the real node agent code can run
 * thousands of simulated nodes on one machine. Never used where behaviour must be proven.
 */
public final class SimulatedRuntime implements ContainerRuntime {
  private record Entry(String id, String image, Map<String, String> labels, ContainerInfo.State state, Integer exitCode,
      Instant startedAt, Instant finishedAt) {
    Entry with(ContainerInfo.State state, Integer exitCode, Instant startedAt, Instant finishedAt) {
      return new Entry(id, image, labels, state, exitCode, startedAt, finishedAt);
    }
  }

  private final Map<String, Entry> containers = new ConcurrentHashMap<>();
  private final Duration startLatency;
  private final double failureRate;
  private final Random random;
  private final AtomicInteger nextPort = new AtomicInteger(40000);

  /**
   * @param startLatency how long a container start takes
   * @param failureRate the share of starts that exit at once with code 1
   * @param seed for reproducible failures
   */
  public SimulatedRuntime(Duration startLatency, double failureRate, long seed) {
    this.startLatency = startLatency;
    this.failureRate = failureRate;
    this.random = new Random(seed);
  }

  @Override
  public String runPodSandbox(SandboxConfig config) {
    Map<String, String> labels = new HashMap<>(config.labels());
    labels.put(ROLE, "sandbox");
    for (PortMapping p : config.ports()) labels.put("simulated.port." + p.containerPort(), Integer.toString(nextPort.incrementAndGet()));
    String id = UUID.randomUUID().toString();
    containers.put(id, new Entry(id, "simulated/sandbox", labels, ContainerInfo.State.RUNNING, null, Instant.now(), null));
    return id;
  }

  @Override
  public Map<Integer, Integer> sandboxHostPorts(String sandboxId) {
    Map<Integer, Integer> ports = new HashMap<>();
    entry(sandboxId).labels().forEach((k, v) -> {
      if (k.startsWith("simulated.port.")) ports.put(Integer.parseInt(k.substring(15)), Integer.parseInt(v));
    });
    return ports;
  }

  @Override
  public String sandboxIp(String sandboxId) {
    entry(sandboxId);
    return "10.0.0.1";
  }

  @Override
  public void stopPodSandbox(String sandboxId) {
    String uid = entry(sandboxId).labels().get(POD_UID);
    listContainers(Map.of(POD_UID, uid)).forEach(c -> stopContainer(c.id(), 0));
  }

  @Override
  public void removePodSandbox(String sandboxId) {
    Entry sandbox = containers.get(sandboxId);
    if (sandbox == null) return;
    listContainers(Map.of(POD_UID, sandbox.labels().get(POD_UID))).forEach(c -> containers.remove(c.id()));
  }

  @Override
  public String createContainer(String sandboxId, SandboxConfig sandbox, ContainerConfig config) {
    Map<String, String> labels = new HashMap<>(sandbox.labels());
    labels.put(ROLE, "container");
    labels.put(CONTAINER, config.name());
    labels.putAll(config.labels());
    String id = UUID.randomUUID().toString();
    containers.put(id, new Entry(id, config.image(), labels, ContainerInfo.State.CREATED, null, null, null));
    return id;
  }

  @Override
  public void startContainer(String containerId) {
    if (!startLatency.isZero()) LockSupport.parkNanos(startLatency.toNanos());
    boolean fails;
    synchronized (random) {
      fails = random.nextDouble() < failureRate;
    }
    Instant now = Instant.now();
    containers.computeIfPresent(containerId, (id, e) -> fails
        ? e.with(ContainerInfo.State.EXITED, 1, now, now)
        : e.with(ContainerInfo.State.RUNNING, null, now, null));
  }

  @Override
  public void stopContainer(String containerId, int gracePeriodSeconds) {
    containers.computeIfPresent(containerId, (id, e) -> e.state() == ContainerInfo.State.RUNNING
        ? e.with(ContainerInfo.State.EXITED, 0, e.startedAt(), Instant.now()) : e);
  }

  @Override
  public void removeContainer(String containerId) {
    containers.remove(containerId);
  }

  @Override
  public List<ContainerInfo> listContainers(Map<String, String> labels) {
    return containers.values().stream()
        .filter(e -> labels.entrySet().stream().allMatch(l -> l.getValue().equals(e.labels().get(l.getKey()))))
        .map(SimulatedRuntime::info).toList();
  }

  @Override
  public ContainerInfo inspectContainer(String containerId) {
    return info(entry(containerId));
  }

  @Override
  public ExecResult exec(String containerId, List<String> command, Duration timeout) {
    entry(containerId);
    return new ExecResult(0, "");
  }

  @Override
  public Closeable logs(String containerId, int tail, boolean follow, Consumer<String> line, Runnable end) {
    entry(containerId);
    end.run();
    return () -> { };
  }

  @Override
  public boolean imagePresent(String image) {
    return true;
  }

  @Override
  public void ensureImage(String image) {
    // every image is present in a simulation
  }

  @Override
  public String version() {
    return "simulated://1";
  }

  @Override
  public void close() {
    containers.clear();
  }

  private Entry entry(String id) {
    Entry e = containers.get(id);
    if (e == null) throw new RuntimeFailure("no such container: " + id, null);
    return e;
  }

  private static ContainerInfo info(Entry e) {
    return new ContainerInfo(e.id(), e.image(), e.labels(), e.state(), e.exitCode(), e.startedAt(), e.finishedAt(), null);
  }
}
