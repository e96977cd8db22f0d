package dev.tugboat.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.DockerRuntime;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.NodeContainers;
import dev.tugboat.testing.SharedCassandra;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tug up} as a user runs it: the jar in its own process starts embedded Cassandra and a
 * cluster of three nodes ({@code --workers 2}), says where its API listens, serves it, runs the
 * DaemonSet example on every node (following a taint and a node that joins from a process of its
 * own), and stops everything on SIGTERM.
 */
class TugUpIT {
  private static final String DAEMONS = "/api/v1/namespaces/default/pods?labelSelector=app%3Dnode-agent";
  private final String node = "tugup-" + ProcessHandle.current().pid();
  private Process tug;
  private Process joiner;

  @AfterEach
  void kill() {
    if (joiner != null && joiner.isAlive()) joiner.destroyForcibly();
    if (tug != null && tug.isAlive()) tug.destroyForcibly();
    NodeContainers.removeAll(node, node + "-w1", node + "-w2", node + "-x");
  }

  @Test
  void tugUpStartsCassandraAndAClusterOfThreeNodesRunsADaemonOnEachAndStopsThemCleanly() throws Exception {
    Path dir = SharedCassandra.itDir().resolve("tug-up-" + ProcessHandle.current().pid());
    Files.createDirectories(dir);
    int apiPort = FreePort.find();
    int cassandraPort = FreePort.find();
    int remotePort = FreePort.find();
    Path log = dir.resolve("tug-up.log");
    tug = new ProcessBuilder(List.of(
            ProcessHandle.current().info().command().orElse("java"), "-Xmx1g", "-jar", System.getProperty("tugboat.jar"),
            "up", "--api-port", Integer.toString(apiPort), "--data-dir", dir.toString(),
            "--cassandra-port", Integer.toString(cassandraPort), "--keyspace", "tugup", "--remote-port", Integer.toString(remotePort),
            "--node-name", node, "--workers", "2", "--apply", Path.of("examples/node-agent.yaml").toAbsolutePath().toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();

    String output = Await.until("tug up to say where its API listens", Duration.ofSeconds(120), () -> {
      String text = read(log);
      if (!tug.isAlive()) throw new AssertionError("tug up exited: " + text);
      return text.contains("Press Ctrl-C to stop.") ? text : null;
    });
    assertTrue(output.contains("API:       https://127.0.0.1:" + apiPort), output);
    assertTrue(output.contains("export KUBECONFIG=" + dir.resolve("kubeconfig")), output);
    assertTrue(output.contains("Cassandra: embedded on 127.0.0.1:" + cassandraPort), output);
    Api api = Api.admin("https://127.0.0.1:" + apiPort, dir.resolve("pki"));
    Await.until("readiness", Duration.ofSeconds(60), () -> api.get("/readyz").code() == 200);
    Await.until("the default namespace", Duration.ofSeconds(60), () -> api.get("/api/v1/namespaces/default").code() == 200);
    // --workers 2: two more members in the same process, each a node of its own on its own address
    assertTrue(output.contains("Worker:    " + node + "-w1 on 127.0.0.2"), output);
    assertTrue(output.contains("Worker:    " + node + "-w2 on 127.0.0.3"), output);
    assertTrue(output.contains("daemonset.apps/node-agent created"), output);
    for (String n : List.of(node, node + "-w1", node + "-w2")) awaitNodeReady(api, n);
    assertTrue(api.get("/api/v1/nodes/" + node + "-w1").body().contains("127.0.0.2"), "its InternalIP");

    // The DaemonSet example: a daemon on every node, Running in Docker
    awaitDaemonsOn(api, Set.of(node, node + "-w1", node + "-w2"));
    // a NoExecute taint it does not tolerate takes the daemon off its node, and back when it goes
    Api.Reply tainted = api.patch("/api/v1/nodes/" + node + "-w2",
        "{\"spec\":{\"taints\":[{\"key\":\"dedicated\",\"value\":\"db\",\"effect\":\"NoExecute\"}]}}", "application/merge-patch+json");
    assertEquals(200, tainted.code(), tainted.body());
    awaitDaemonsOn(api, Set.of(node, node + "-w1"));
    assertEquals(200, api.patch("/api/v1/nodes/" + node + "-w2", "{\"spec\":{\"taints\":null}}",
        "application/merge-patch+json").code());
    awaitDaemonsOn(api, Set.of(node, node + "-w1", node + "-w2"));
    // a node that joins the cluster from a process of its own gets a daemon too
    joiner = new ProcessBuilder(List.of(
            ProcessHandle.current().info().command().orElse("java"), "-Xmx384m", "-Dtugboat.node.address=127.0.0.4",
            // one cluster, one CA: the joiner serves its API with a certificate of the first member's
            "-Dtugboat.api.tls.pki-dir=" + dir.resolve("pki"),
            "-jar", System.getProperty("tugboat.jar"), "up", "--roles", "worker", "--seed", "127.0.0.1:" + remotePort,
            "--cassandra", "127.0.0.1:" + cassandraPort, "--keyspace", "tugup", "--api-port", "0",
            "--data-dir", dir.resolve("x").toString(), "--node-name", node + "-x"))
        .redirectErrorStream(true).redirectOutput(dir.resolve("joiner.log").toFile()).start();
    awaitNodeReady(api, node + "-x");
    awaitDaemonsOn(api, Set.of(node, node + "-w1", node + "-w2", node + "-x"));
    var ds = api.get("/apis/apps/v1/namespaces/default/daemonsets/node-agent").json().path("status");
    assertEquals(4, ds.path("desiredNumberScheduled").asInt(), ds.toString());
    Await.until("4 daemons ready in the DaemonSet's status", Duration.ofSeconds(30), () -> api
        .get("/apis/apps/v1/namespaces/default/daemonsets/node-agent").json().path("status").path("numberReady").asInt() == 4);
    assertEquals(200, api.delete("/apis/apps/v1/namespaces/default/daemonsets/node-agent").code());
    Await.until("the daemons gone", Duration.ofSeconds(60), () -> api.get(DAEMONS).json().path("items").isEmpty());
    joiner.destroy();
    assertTrue(joiner.waitFor(60, TimeUnit.SECONDS), "the joined worker stops");
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

  private static void awaitNodeReady(Api api, String name) {
    Await.until("node " + name + " Ready", Duration.ofSeconds(90), () -> {
      Api.Reply r = api.get("/api/v1/nodes/" + name);
      if (r.code() != 200) return false;
      for (var c : r.json().path("status").path("conditions")) {
        if (c.path("type").asText().equals("Ready")) return c.path("status").asText().equals("True");
      }
      return false;
    });
  }

  /** Exactly one daemon pod on each of these nodes and none elsewhere, each with a running container. */
  private static void awaitDaemonsOn(Api api, Set<String> nodes) {
    Await.until("one running daemon on each of " + nodes + " and none elsewhere", Duration.ofSeconds(90), () -> {
      List<String> on = new ArrayList<>();
      for (var p : api.get(DAEMONS).json().path("items")) {
        if (p.path("metadata").has("deletionTimestamp")) return false;
        if (!"Running".equals(p.path("status").path("phase").asText())) return false;
        on.add(p.path("spec").path("nodeName").asText());
      }
      if (on.size() != nodes.size() || !Set.copyOf(on).equals(nodes)) return false;
      try (DockerRuntime docker = new DockerRuntime("unix:///var/run/docker.sock", "tugboat/busybox:1.0")) {
        return nodes.stream().allMatch(n -> docker.listContainers(Map.of(ContainerRuntime.NODE, n)).stream()
            .anyMatch(c -> !c.isSandbox() && c.state() == ContainerRuntime.ContainerInfo.State.RUNNING));
      }
    });
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
