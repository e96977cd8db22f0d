package dev.tugboat.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.SharedCassandra;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tug up} as a user runs it: the jar in its own process starts embedded Cassandra and a
 * one-member cluster, says where its API listens, serves it, and stops everything on SIGTERM.
 */
class TugUpIT {
  private Process tug;

  @AfterEach
  void kill() {
    if (tug != null && tug.isAlive()) tug.destroyForcibly();
  }

  @Test
  void tugUpStartsCassandraAndAClusterOfTwoNodesAndStopsThemCleanly() throws Exception {
    Path dir = SharedCassandra.itDir().resolve("tug-up-" + ProcessHandle.current().pid());
    Files.createDirectories(dir);
    int apiPort = FreePort.find();
    int cassandraPort = FreePort.find();
    String node = "tugup-" + ProcessHandle.current().pid();
    Path log = dir.resolve("tug-up.log");
    tug = new ProcessBuilder(List.of(
            ProcessHandle.current().info().command().orElse("java"), "-Xmx1g", "-jar", System.getProperty("tugboat.jar"),
            "up", "--api-port", Integer.toString(apiPort), "--data-dir", dir.toString(),
            "--cassandra-port", Integer.toString(cassandraPort), "--keyspace", "tugup",
            "--node-name", node, "--workers", "1"))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();

    String output = Await.until("tug up to say where its API listens", Duration.ofSeconds(120), () -> {
      String text = read(log);
      if (!tug.isAlive()) throw new AssertionError("tug up exited: " + text);
      return text.contains("Press Ctrl-C to stop.") ? text : null;
    });
    assertTrue(output.contains("API:       http://127.0.0.1:" + apiPort), output);
    assertTrue(output.contains("Cassandra: embedded on 127.0.0.1:" + cassandraPort), output);
    Api api = new Api("http://127.0.0.1:" + apiPort);
    Await.until("readiness", Duration.ofSeconds(60), () -> api.get("/readyz").code() == 200);
    Await.until("the default namespace", Duration.ofSeconds(60), () -> api.get("/api/v1/namespaces/default").code() == 200);
    // --workers 1: a second member in the same process, a node of its own on its own address
    assertTrue(output.contains("Worker:    " + node + "-w1 on 127.0.0.2"), output);
    for (String n : List.of(node, node + "-w1")) {
      Await.until("node " + n + " Ready", Duration.ofSeconds(60), () -> {
        Api.Reply r = api.get("/api/v1/nodes/" + n);
        if (r.code() != 200) return false;
        for (var c : r.json().path("status").path("conditions")) {
          if (c.path("type").asText().equals("Ready")) return c.path("status").asText().equals("True");
        }
        return false;
      });
    }
    assertTrue(api.get("/api/v1/nodes/" + node + "-w1").body().contains("127.0.0.2"), "its InternalIP");
    long cassandraPid = Long.parseLong(Files.readString(dir.resolve("cassandra/cassandra.pid")).trim());
    assertTrue(ProcessHandle.of(cassandraPid).map(ProcessHandle::isAlive).orElse(false));

    tug.destroy(); // SIGTERM, as Ctrl-C's shutdown path
    assertTrue(tug.waitFor(90, TimeUnit.SECONDS), "tug up stops");
    Await.until("Cassandra to stop", Duration.ofSeconds(30),
        () -> !ProcessHandle.of(cassandraPid).map(ProcessHandle::isAlive).orElse(false));
    assertFalse(EmbeddedCassandra.accepts("127.0.0.1", cassandraPort));
    assertTrue(read(dir.resolve("cassandra/cassandra.log")).contains("Cassandra shutdown complete")
        || read(dir.resolve("cassandra/cassandra.log")).contains("DRAINED"), "Cassandra drained before it stopped");
    assertEquals(-1, probe(apiPort), "the API port is closed");
  }

  private static int probe(int port) {
    try (var s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
      return port;
    } catch (IOException e) {
      return -1;
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
