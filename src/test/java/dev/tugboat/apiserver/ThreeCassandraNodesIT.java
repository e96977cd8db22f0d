package dev.tugboat.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.FreePort;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.SharedCassandra;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Durability as docs/operations.md states it: three Cassandra servers (child JVMs of
 * {@link EmbeddedCassandra} on 127.0.0.1, .2 and .3, one ring), a Tugboat member on a keyspace of
 * replication factor 3 (the schema of docs/operations.md) writing and reading at QUORUM. Under a load of creates one server is
 * SIGKILLed: writes go on being acknowledged, and every acknowledged write is there afterwards, read
 * from Cassandra at QUORUM with the driver and through the API of a member started again (its
 * entities recovered and its index rebuilt from the two servers left).
 */
class ThreeCassandraNodesIT {
  private static final List<String> HOSTS = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3");
  private static final String KEYSPACE = "three_nodes";
  private static final String CONFIG_MAPS = "/api/v1/namespaces/default/configmaps";
  private static final int WRITERS = 4;
  private static final Duration BEFORE_KILL = Duration.ofSeconds(4);
  private static final Duration AFTER_KILL = Duration.ofSeconds(10);

  private final Path dir = SharedCassandra.itDir().resolve("three-nodes-" + ProcessHandle.current().pid());
  private final List<EmbeddedCassandra> servers = new ArrayList<>();
  private Tugboat tugboat;

  /** One create: its object's name, the answer's code, when it was sent and answered (nanoTime). */
  private record Write(String name, int code, long sent, long answered) {}

  @AfterEach
  void stop() throws IOException {
    try {
      if (tugboat != null) tugboat.close();
    } finally {
      // The data is thrown away: SIGKILL (no 5 s drain each), and wait until each is gone.
      for (EmbeddedCassandra server : servers) {
        server.pid().flatMap(ProcessHandle::of).ifPresent(p -> {
          p.destroyForcibly();
          p.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        });
      }
      // The data goes; each server's cassandra.log and yaml stay for a failure's reader.
      for (EmbeddedCassandra server : servers) deleteTree(server.logFile().resolveSibling("data"));
      deleteTree(dir.resolve("tugboat"));
    }
  }

  @Test
  void aServerKilledUnderWriteLoadLosesNoAcknowledgedWrite() throws Exception {
    List<InetSocketAddress> cql = startRing();
    Map<String, Object> config = new HashMap<>();
    config.put("tugboat.cassandra.contact-points", String.join(",",
        cql.stream().map(a -> a.getHostString() + ":" + a.getPort()).toList()));
    config.put("tugboat.cassandra.keyspace", KEYSPACE);
    // As in production: the schema of docs/operations.md (replication factor 3), created by startRing
    config.put("tugboat.cassandra.auto-create", false);
    config.put("tugboat.cassandra.write-consistency", "QUORUM");
    config.put("tugboat.cassandra.read-consistency", "QUORUM");
    config.put("tugboat.data-dir", dir.resolve("tugboat").toString());
    config.put("tugboat.api.port", 0);
    config.put("tugboat.node-name", "three-nodes");
    config.put("pekko.cluster.roles", List.of("control-plane"));
    // the API alone: nothing else writes while the test counts
    config.put("tugboat.controllers.run", List.of("namespace"));
    tugboat = Tugboat.start(Tugboat.loadConfig(ConfigFactory.parseMap(config)));
    Api api = Api.of(tugboat);
    Await.until("the default namespace", Duration.ofSeconds(90), () -> api.get("/api/v1/namespaces/default").code() == 200);
    try (CqlSession session = session(cql)) {
      for (String keyspace : List.of(KEYSPACE, KEYSPACE + "_snapshot")) {
        assertEquals("3", session.execute("SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?", keyspace)
            .one().getMap("replication", String.class, String.class).get("datacenter1"), keyspace);
      }
    }

    // The load: creates from a few threads, each object written once, until told to stop.
    ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
    AtomicLong killedAt = new AtomicLong();
    try {
      List<CompletableFuture<Void>> load = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        load.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; !stop.get(); i++) {
            String name = "cm-" + writer + "-" + i;
            long sent = System.nanoTime();
            int code;
            try {
              code = api.post(CONFIG_MAPS, configMap(name, i)).code();
            } catch (RuntimeException e) {
              code = -1; // no answer at all: not acknowledged
            }
            writes.add(new Write(name, code, sent, System.nanoTime()));
          }
        }, writers));
      }
      long start = System.nanoTime();
      Await.until("writes acknowledged before the kill", BEFORE_KILL.plusSeconds(60), () ->
          System.nanoTime() - start > BEFORE_KILL.toNanos() && writes.stream().filter(x -> x.code() == 201).count() >= 50);
      EmbeddedCassandra victim = servers.get(0);
      ProcessHandle process = ProcessHandle.of(victim.pid().orElseThrow()).orElseThrow();
      killedAt.set(System.nanoTime());
      process.destroyForcibly(); // SIGKILL: no drain, as a crash
      process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
      Await.until("writing on after the kill", AFTER_KILL.plusSeconds(5),
          () -> System.nanoTime() - killedAt.get() > AFTER_KILL.toNanos());
      stop.set(true);
      CompletableFuture.allOf(load.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    } finally {
      stop.set(true);
      writers.shutdownNow();
    }

    long kill = killedAt.get();
    List<Write> all = new ArrayList<>(writes);
    List<Write> acknowledged = all.stream().filter(x -> x.code() == 201).toList();
    List<Write> before = acknowledged.stream().filter(x -> x.answered() < kill).toList();
    List<Write> after = acknowledged.stream().filter(x -> x.sent() > kill).toList();
    long lastSecondsFrom = kill + AFTER_KILL.toNanos() / 2;
    long inSecondHalf = after.stream().filter(x -> x.sent() > lastSecondsFrom).count();
    List<Write> failed = all.stream().filter(x -> x.code() != 201).toList();
    Map<Integer, Integer> failedByCode = new TreeMap<>();
    failed.forEach(x -> failedByCode.merge(x.code(), 1, Integer::sum));
    double lastFailureAfterKill = failed.stream().mapToLong(Write::answered).max().orElse(kill) - kill;
    String figures = String.format("%d writes: %d acknowledged (%d before the kill, %d sent after it, %d of them in the "
            + "last %d s), %d not (by code %s, the last answered %.1f s after the kill)", all.size(), acknowledged.size(),
        before.size(), after.size(), inSecondHalf, AFTER_KILL.toSeconds() / 2, failed.size(), failedByCode,
        lastFailureAfterKill / 1e9);
    System.out.println("ThreeCassandraNodesIT: " + figures);
    assertTrue(before.size() >= 50, figures);
    assertTrue(inSecondHalf > 0, "writes are acknowledged again seconds after the kill: " + figures);
    // A write whose Cassandra request was in flight on the killed server may fail (503 when the
    // journal fails it, 504 past the ask timeout); never another answer, and a tenth at most.
    assertTrue(failedByCode.keySet().stream().allMatch(code -> code == 503 || code == 504),
        "only 503/504 for writes caught by the kill: " + figures);
    assertTrue(failed.size() * 10 <= all.size(), "few writes fail: " + figures);

    // Every acknowledged write is in the journal, read from the two servers left at QUORUM.
    Set<String> names = new HashSet<>();
    acknowledged.forEach(x -> names.add(x.name()));
    try (CqlSession session = session(cql.subList(1, 3))) {
      PreparedStatement select = session.prepare(SimpleStatement.newInstance("SELECT count(*) FROM " + KEYSPACE
          + ".messages WHERE persistence_id = ? AND partition_nr = 0").setConsistencyLevel(ConsistencyLevel.QUORUM));
      List<String> missing = names.stream().sorted()
          .filter(name -> session.execute(select.bind("ConfigMap|default/" + name)).one().getLong(0) < 1).toList();
      assertEquals(List.of(), missing, "acknowledged writes missing from the journal read at QUORUM (" + figures + ")");
    }

    // And through the API of a member started again: entities recovered, the index rebuilt.
    tugboat.close();
    tugboat = null;
    tugboat = Tugboat.start(Tugboat.loadConfig(ConfigFactory.parseMap(config)));
    Api again = Api.of(tugboat);
    Await.until("the default namespace after the restart", Duration.ofSeconds(90),
        () -> again.get("/api/v1/namespaces/default").code() == 200);
    JsonNode list = Await.until("the list of ConfigMaps", Duration.ofSeconds(60), () -> {
      Api.Reply r = again.get(CONFIG_MAPS);
      return r.code() == 200 ? r.json() : null;
    });
    Set<String> listed = new HashSet<>(list.findValuesAsText("name"));
    List<String> notListed = names.stream().filter(n -> !listed.contains(n)).sorted().toList();
    assertEquals(List.of(), notListed, "acknowledged ConfigMaps the rebuilt index does not list (" + figures + ")");
    List<String> notRead = names.stream().sorted().filter(n -> {
      Api.Reply r = again.get(CONFIG_MAPS + "/" + n);
      return r.code() != 200 || !n.equals(r.json().at("/metadata/name").asText());
    }).toList();
    assertEquals(List.of(), notRead, "acknowledged ConfigMaps not read back (" + figures + ")");
  }

  /**
   * Starts the three servers at once, all seeds of one ring (so none bootstraps); creates Tugboat's
   * keyspaces and tables with the CQL of docs/operations.md (replication factor 3) and a probe table;
   * waits until every server has every table, and a write at ALL succeeds: all three are up in one ring.
   */
  private List<InetSocketAddress> startRing() throws IOException {
    int storagePort = FreePort.find();
    EmbeddedCassandra.Ring ring = new EmbeddedCassandra.Ring("three-nodes", storagePort,
        HOSTS.stream().map(h -> h + ":" + storagePort).toList());
    ExecutorService starters = Executors.newFixedThreadPool(HOSTS.size());
    List<CompletableFuture<EmbeddedCassandra>> starting = new ArrayList<>();
    try {
      for (String host : HOSTS) {
        EmbeddedCassandra.Settings settings = new EmbeddedCassandra.Settings(dir.resolve("cassandra-" + host), host,
            FreePort.find(), "256m", "512m", Duration.ofSeconds(120), Duration.ofSeconds(30),
            EmbeddedCassandra.CommitLog.configured()).withRing(ring);
        starting.add(CompletableFuture.supplyAsync(() -> EmbeddedCassandra.start(settings), starters));
      }
      RuntimeException failure = null;
      for (CompletableFuture<EmbeddedCassandra> s : starting) {
        try {
          servers.add(s.join()); // each one started is stopped by stop(), also when another failed
        } catch (RuntimeException e) {
          if (failure == null) failure = e;
        }
      }
      if (failure != null) throw failure;
    } finally {
      starters.shutdown();
    }
    List<InetSocketAddress> cql = servers.stream().map(s -> new InetSocketAddress(s.host(), s.port())).toList();
    List<String> schema = new ArrayList<>(operationsCql());
    schema.add("CREATE KEYSPACE IF NOT EXISTS ring_probe WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
    schema.add("CREATE TABLE IF NOT EXISTS ring_probe.t (k int PRIMARY KEY)");
    try (CqlSession session = session(cql)) {
      // Every schema change through one server: another could still lack the keyspace its
      // predecessor created (Cassandra pushes schema changes to the others asynchronously, and the
      // driver's agreement check can pass on the old version), as seen here with auto-creation on.
      Await.until("the driver to know three servers", Duration.ofSeconds(60),
          () -> session.getMetadata().getNodes().size() == HOSTS.size());
      Node first = session.getMetadata().getNodes().values().stream()
          .filter(n -> n.getEndPoint().resolve().equals(cql.get(0))).findFirst().orElseThrow();
      for (String statement : schema) {
        session.execute(SimpleStatement.newInstance(statement).setNode(first).setTimeout(Duration.ofSeconds(30)));
      }
      for (Node node : session.getMetadata().getNodes().values()) {
        Await.until("every table on " + node.getEndPoint(), Duration.ofSeconds(60), () -> {
          long tables = 0;
          for (String keyspace : List.of(KEYSPACE, KEYSPACE + "_snapshot", "ring_probe")) {
            tables += session.execute(SimpleStatement.newInstance(
                "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", keyspace).setNode(node)).all().size();
          }
          return tables == 8; // messages, metadata, all_persistence_ids, cluster_lease, shard_leases, member_sessions; snapshots; t
        });
      }
      Await.until("a write at ALL: three servers in one ring", Duration.ofSeconds(60), () -> {
        try {
          session.execute(SimpleStatement.newInstance("INSERT INTO ring_probe.t (k) VALUES (1)")
              .setConsistencyLevel(ConsistencyLevel.ALL));
          return true;
        } catch (RuntimeException notYet) {
          return false;
        }
      });
    }
    return cql;
  }

  /** The production CQL of docs/operations.md, on this test's keyspaces (OperationsCqlIT reads it alike). */
  private static List<String> operationsCql() throws IOException {
    Matcher block = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(Path.of("docs/operations.md")));
    assertTrue(block.find(), "docs/operations.md has a CQL block");
    List<String> statements = new ArrayList<>();
    for (String s : block.group(1).split(";")) {
      if (s.isBlank()) continue;
      statements.add(s.trim().replace("tugboat_snapshot", KEYSPACE + "_snapshot").replace("tugboat.", KEYSPACE + ".")
          .replace("KEYSPACE IF NOT EXISTS tugboat", "KEYSPACE IF NOT EXISTS " + KEYSPACE));
    }
    return statements;
  }

  private static CqlSession session(List<InetSocketAddress> contactPoints) {
    return CqlSession.builder().addContactPoints(contactPoints).withLocalDatacenter("datacenter1").build();
  }

  private static String configMap(String name, int i) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},"
        + "\"data\":{\"i\":\"" + i + "\"}}";
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
