package dev.tugboat.multijvm;

import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.FreePort;
import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.ContainerRuntime.ContainerInfo;
import dev.tugboat.runtime.DockerRuntime;
import dev.tugboat.testing.SharedCassandra;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Tugboat cluster of member JVMs for one test class, on the run's shared Cassandra (a keyspace of
 * its own) and the machine's Docker engine. A JUnit extension: register it with
 * {@code @RegisterExtension} and declare members with {@link #member}; they start in
 * {@link #startAll}.
 *
 * <p>Nothing outlives the test: after the class (passed, failed or timed out) every member JVM is
 * killed and every container labelled with one of this cluster's node names is removed; a JVM
 * shutdown hook does the same when the test JVM itself is stopped; and at the start, member JVMs and
 * containers left by a test JVM that was killed outright (no hook ran) are found by their pid files
 * and node-name prefix and removed.
 */
public final class Cluster implements BeforeAllCallback, AfterAllCallback {
  private static final String PREFIX = "mjvm-";

  private final String name;
  private final String nodePrefix;
  private final Map<String, Member> members = new LinkedHashMap<>();
  /** Members that are up, oldest first (Pekko's age: the order in which they became Up). */
  private final List<Member> upOrder = new ArrayList<>();
  private final List<String> seeds = new ArrayList<>();
  private Path dir;
  private Path jar;
  private EmbeddedCassandra cassandra;
  private DockerRuntime docker;
  private final Partition partition = new Partition();
  private com.datastax.oss.driver.api.core.CqlSession cql;
  private final Thread shutdownHook = new Thread(this::killAll, "multi-jvm-cleanup");

  public Cluster(String name) {
    this.name = name;
    this.nodePrefix = PREFIX + ProcessHandle.current().pid() + "-";
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dir = Path.of(System.getProperty("tugboat.multijvm.dir", "target/multi-jvm")).toAbsolutePath().resolve(name);
    Files.createDirectories(dir);
    jar = findJar();
    docker = new DockerRuntime("unix:///var/run/docker.sock", "tugboat/busybox:1.0");
    removeLeftovers();
    Partition.removeLeftovers();
    cassandra = SharedCassandra.get(context);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    killAll();
    List<ContainerInfo> left = containers();
    docker.close();
    if (!left.isEmpty()) throw new AssertionError("containers left behind: " + left);
  }

  /** Declares a member (started by {@link #startAll}); control-plane members are the seed nodes. */
  public Member member(String name, List<String> roles) {
    Member m = new Member(new Member.Spec(name, nodePrefix + name, roles, FreePort.find(), FreePort.find(),
        "127.0.1." + (2 + members.size())), this);
    members.put(name, m);
    if (m.spec().controlPlane()) seeds.add(m.spec().remoteAddress());
    return m;
  }

  /**
   * Starts every member that is not running, all at once, and waits until each is Up. The first
   * seed forms the cluster when no other seed answers; the others join it.
   */
  public long startAll(Duration timeout) {
    long began = System.nanoTime();
    List<Member> starting = members.values().stream().filter(m -> !m.alive()).toList();
    starting.forEach(Member::start);
    for (Member m : starting) {
      m.awaitUp(timeout);
      synchronized (upOrder) {
        upOrder.add(m);
      }
    }
    return (System.nanoTime() - began) / 1_000_000;
  }

  /** Starts one member again (same node name and ports) and waits until it is Up; returns the ms it took. */
  public long restart(Member m, Duration timeout) {
    long began = System.nanoTime();
    m.start(true);
    m.awaitUp(timeout);
    synchronized (upOrder) {
      upOrder.add(m);
    }
    return (System.nanoTime() - began) / 1_000_000;
  }

  /** Cuts the member's cluster traffic off from every other member, both ways; it keeps running. */
  public void partition(Member m) {
    partition.isolate(m, members.values().stream().filter(o -> o != m).toList());
  }

  /** Ends every partition, and thaws every frozen member. */
  public void heal() {
    partition.heal();
    members.values().forEach(Member::thaw);
  }

  /** SIGKILL. */
  public void kill(Member m) {
    synchronized (upOrder) {
      upOrder.remove(m);
    }
    m.kill();
  }

  /** SIGTERM to every member at once; waits until all have exited. Returns false if any had to be killed. */
  public boolean stopAll(Duration timeout) {
    synchronized (upOrder) {
      upOrder.clear();
    }
    return members.values().parallelStream().map(m -> m.stop(timeout)).toList().stream().allMatch(ok -> ok);
  }

  /** The running member with a role that has been Up the longest: it hosts the cluster singletons. */
  public Member oldest(String role) {
    synchronized (upOrder) {
      return upOrder.stream().filter(Member::alive).filter(m -> m.spec().roles().contains(role)).findFirst()
          .orElseThrow(() -> new AssertionError("no running member with role " + role));
    }
  }

  /** The running member with a role that joined last. */
  public Member youngest(String role) {
    synchronized (upOrder) {
      List<Member> up = upOrder.stream().filter(Member::alive).filter(m -> m.spec().roles().contains(role)).toList();
      if (up.isEmpty()) throw new AssertionError("no running member with role " + role);
      return up.get(up.size() - 1);
    }
  }

  public Member get(String name) {
    return members.get(name);
  }

  public List<Member> members() {
    return List.copyOf(members.values());
  }

  /** Every container Docker holds for one of this cluster's nodes (sandboxes included). */
  public List<ContainerInfo> containers() {
    return docker.listContainers(Map.of()).stream()
        .filter(c -> c.labels().getOrDefault(ContainerRuntime.NODE, "").startsWith(nodePrefix)).toList();
  }

  public DockerRuntime docker() {
    return docker;
  }

  Path dir() {
    return dir;
  }

  Path jar() {
    return jar;
  }

  List<String> seeds() {
    return seeds;
  }

  String keyspace() {
    return (name + "_" + ProcessHandle.current().pid()).replace('-', '_').toLowerCase();
  }

  /**
   * Who holds the cluster lease of this cluster's keyspace (boot.ClusterLease): the holding member's
   * {@code pekko://tugboat@host:port#uid}, or empty.
   */
  Optional<String> leaseHolder() {
    try (com.datastax.oss.driver.api.core.CqlSession cql = com.datastax.oss.driver.api.core.CqlSession.builder()
        .addContactPoint(new java.net.InetSocketAddress(cassandra.host(), cassandra.port()))
        .withLocalDatacenter("datacenter1").build()) {
      var row = cql.execute("SELECT holder FROM " + keyspace() + ".cluster_lease WHERE name = 'cluster'").one();
      return Optional.ofNullable(row).map(r -> r.getString("holder"));
    }
  }

  /** A session on the run's Cassandra, open until the class ends. */
  synchronized com.datastax.oss.driver.api.core.CqlSession cql() {
    if (cql == null) {
      cql = com.datastax.oss.driver.api.core.CqlSession.builder()
          .addContactPoint(new java.net.InetSocketAddress(cassandra.host(), cassandra.port()))
          .withLocalDatacenter("datacenter1").build();
    }
    return cql;
  }

  String cassandraContactPoint() {
    return cassandra.host() + ":" + cassandra.port();
  }

  private void killAll() {
    partition.remove();
    synchronized (this) {
      if (cql != null) cql.close();
      cql = null;
    }
    members.values().forEach(Member::kill);
    synchronized (upOrder) {
      upOrder.clear();
    }
    if (docker != null) removeContainers(containers());
  }

  private void removeContainers(List<ContainerInfo> containers) {
    for (ContainerInfo c : containers) {
      try {
        docker.removeContainer(c.id());
      } catch (RuntimeException gone) {
        // removed meanwhile
      }
    }
  }

  /**
   * Member JVMs whose pid files are here and whose command line says a multi-JVM test started them,
   * and containers of multi-JVM nodes whose test JVM no longer runs: leftovers of a run that was
   * killed before its hooks could run.
   */
  private void removeLeftovers() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path pidFile : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle.of(pid).filter(p -> p.info().commandLine().orElse("").contains(Member.OWNER_PROPERTY))
            .ifPresent(p -> {
              System.out.println("multi-jvm: killing leftover member JVM " + pid);
              p.destroyForcibly();
            });
        Files.delete(pidFile);
      }
    }
    removeContainers(docker.listContainers(Map.of()).stream().filter(c -> {
      String node = c.labels().getOrDefault(ContainerRuntime.NODE, "");
      if (!node.startsWith(PREFIX)) return false;
      String owner = node.substring(PREFIX.length()).split("-")[0];
      try {
        return ProcessHandle.of(Long.parseLong(owner)).isEmpty();
      } catch (NumberFormatException e) {
        return false;
      }
    }).toList());
  }

  private static Path findJar() {
    String configured = System.getProperty("tugboat.jar");
    if (configured != null) return Path.of(configured).toAbsolutePath();
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      return files.filter(f -> f.getFileName().toString().matches("tugboat-.*\\.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no target/tugboat-*.jar: run mvn package first"))
          .toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
