package dev.tugboat.bench;

import com.typesafe.config.ConfigFactory;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.FreePort;
import dev.tugboat.boot.Tugboat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Tugboat for a benchmark, in this JVM: a Cassandra of its own (the project's embedded server,
 * a child JVM, on a free port under the work directory) and one member with both roles, its API on a
 * free port. The member can be stopped and started again on the same Cassandra (the restart figure of
 * {@code scale}). {@link #close()} stops both and deletes the data; containers are the caller's to
 * remove (they outlive their node agent by design).
 */
public final class LocalCluster implements AutoCloseable {
  private final Path dir;
  private final EmbeddedCassandra cassandra;
  private final Map<String, Object> overrides;
  private Tugboat tugboat;
  private HttpApi api;
  private Cleanup onExit;

  private LocalCluster(Path dir, EmbeddedCassandra cassandra, Map<String, Object> overrides) {
    this.dir = dir;
    this.cassandra = cassandra;
    this.overrides = overrides;
  }

  /**
   * Starts Cassandra, then the member.
   *
   * @param overrides configuration keys over {@code application.conf} (the runtime, node names, ...)
   * @param cassandraHeap the server's maximum heap (large pod counts need more than the default 1g)
   * @param commitLog when the server acknowledges a write ({@link CommitLogOptions})
   */
  public static LocalCluster start(Path dir, String nodeName, Map<String, Object> overrides, String cassandraHeap,
      EmbeddedCassandra.CommitLog commitLog) {
    try {
      deleteTree(dir);
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    EmbeddedCassandra cassandra = EmbeddedCassandra.start(new EmbeddedCassandra.Settings(dir.resolve("cassandra"),
        "127.0.0.1", FreePort.find(), "256m", cassandraHeap, Duration.ofSeconds(180), Duration.ofSeconds(60),
        commitLog));
    Map<String, Object> o = new HashMap<>(overrides);
    o.put("tugboat.cassandra.contact-points", cassandra.host() + ":" + cassandra.port());
    o.put("tugboat.cassandra.keyspace", "bench");
    o.put("tugboat.api.port", 0);
    o.put("tugboat.node-name", nodeName);
    o.putIfAbsent("pekko.cluster.roles", List.of("control-plane", "worker"));
    o.put("tugboat.data-dir", dir.resolve("tugboat").toString());
    LocalCluster cluster = new LocalCluster(dir, cassandra, o);
    // From here on Ctrl-C stops the member and Cassandra too, even while the member is still starting.
    cluster.onExit = Cleanup.of("cluster " + nodeName, cluster::stopAll);
    try {
      cluster.startMember();
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** Starts the member (again) and waits until it is ready and the default namespace exists. */
  public void startMember() {
    tugboat = Tugboat.start(Tugboat.loadConfig(ConfigFactory.parseMap(overrides)));
    api = HttpApi.admin(tugboat);
    Wait.until("the API ready with the default namespace", Duration.ofSeconds(120), Duration.ofMillis(50), () -> {
      HttpApi.Reply ready = api.tryGetText("/readyz");
      if (ready == null || ready.code() != 200) return false;
      HttpApi.Reply ns = api.tryGet("/api/v1/namespaces/default");
      return ns != null && ns.code() == 200;
    });
  }

  /** Stops the member (as Ctrl-C would), leaving Cassandra running. */
  public synchronized void stopMember() {
    if (tugboat != null) tugboat.close();
    tugboat = null;
  }

  public HttpApi api() {
    return api;
  }

  public Tugboat tugboat() {
    return tugboat;
  }

  public EmbeddedCassandra cassandra() {
    return cassandra;
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    if (onExit != null) onExit.close();
    else stopAll();
  }

  private synchronized void stopAll() {
    try {
      stopMember();
    } finally {
      cassandra.close();
      try {
        deleteTree(dir.resolve("cassandra").resolve("data"));
      } catch (IOException e) {
        // the data of a benchmark is disposable; a leftover is removed by the next run
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
