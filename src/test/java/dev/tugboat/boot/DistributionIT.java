package dev.tugboat.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.SharedCassandra;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The distribution tarball as a user on another machine runs it: unpacked, {@code bin/tug up} under a
 * home with no {@code ~/.m2}, its embedded Cassandra started from {@code lib/cassandra/} (the
 * command it ran names no local repository), the API ready; logging JSON ({@code --log-format json}).
 * A control-plane member only: the tarball's point is Cassandra and the jar, and Docker is covered
 * by TugUpIT.
 */
// Its own `tug up` process, ports and keyspace, and mostly waiting on a JVM to start: beside the
// other classes rather than after them (src/test/resources/junit-platform.properties).
@Execution(ExecutionMode.CONCURRENT)
class DistributionIT {
  private final Path dir = SharedCassandra.itDir().resolve("dist-" + ProcessHandle.current().pid());
  private Process tug;

  @AfterEach
  void cleanUp() throws Exception {
    if (tug != null && tug.isAlive()) {
      tug.destroy();
      if (!tug.waitFor(60, TimeUnit.SECONDS)) tug.destroyForcibly();
    }
    // Cassandra runs in a session of its own: stopped by tug's shutdown, else here by its pid
    Path pidFile = dir.resolve("data/cassandra/cassandra.pid");
    if (Files.exists(pidFile)) {
      ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).ifPresent(ProcessHandle::destroyForcibly);
    }
    deleteTree(dir);
  }

  @Test
  void theUnpackedTarballStartsWithoutTheLocalMavenRepository() throws Exception {
    Path tarball = Path.of(System.getProperty("tugboat.dist"));
    assertTrue(Files.isRegularFile(tarball), "mvn package builds " + tarball);
    deleteTree(dir);
    Files.createDirectories(dir);
    Process untar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", dir.toString()).inheritIO().start();
    assertTrue(untar.waitFor(60, TimeUnit.SECONDS) && untar.exitValue() == 0, "tar xzf " + tarball);
    Path unpacked;
    try (Stream<Path> top = Files.list(dir)) {
      unpacked = top.filter(p -> p.getFileName().toString().startsWith("tugboat-")).findFirst().orElseThrow();
    }
    assertTrue(Files.isExecutable(unpacked.resolve("bin/tug")), "bin/tug");
    assertTrue(Files.isRegularFile(unpacked.resolve("lib/cassandra/cassandra-server.classpath")), "lib/cassandra/");

    Path home = Files.createDirectories(dir.resolve("home"));
    int apiPort = FreePort.find();
    int cassandraPort = FreePort.find();
    Path log = dir.resolve("tug-up.log");
    ProcessBuilder builder = new ProcessBuilder(List.of(unpacked.resolve("bin/tug").toString(), "up",
            "--roles", "control-plane", "--api-port", Integer.toString(apiPort), "--cassandra-port", Integer.toString(cassandraPort),
            "--remote-port", Integer.toString(FreePort.find()), "--data-dir", dir.resolve("data").toString(),
            "--keyspace", "dist", "--node-name", "dist-" + ProcessHandle.current().pid(), "--log-format", "json"))
        .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("HOME", home.toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    // Java takes user.home from the password database, not HOME: name it too, so nothing finds ~/.m2.
    env.put("TUGBOAT_JAVA_OPTS", "-Xms128m -Xmx512m -Duser.home=" + home);
    long begin = System.nanoTime();
    tug = builder.start();

    // its own embedded Cassandra starts first: up to a minute and more on a loaded 2-core machine
    String output = Await.until("bin/tug up to say it is up", Duration.ofSeconds(150), () -> {
      String text = read(log);
      if (!tug.isAlive()) throw new AssertionError("tug up exited: " + text);
      return text.contains("Press Ctrl-C to stop.") ? text : null;
    });
    assertTrue(output.contains("Cassandra: embedded on 127.0.0.1:" + cassandraPort), output);
    Api api = Api.admin("https://127.0.0.1:" + apiPort, dir.resolve("data/pki"));
    Await.until("readiness", Duration.ofSeconds(30), () -> api.get("/readyz").code() == 200);
    System.out.printf("DistributionIT: the unpacked tarball ready in %d ms%n", (System.nanoTime() - begin) / 1_000_000);

    String command = Files.readString(dir.resolve("data/cassandra/command.txt"));
    String classpath = command.substring(command.indexOf(" -cp ") + 5, command.indexOf(' ', command.indexOf(" -cp ") + 5));
    List<String> outside = new ArrayList<>();
    for (String jar : classpath.split(":")) {
      if (!jar.startsWith(unpacked.resolve("lib/cassandra").toString() + "/")) outside.add(jar);
    }
    assertEquals(List.of(), outside, "every Cassandra jar from the tarball's lib/cassandra/");
    assertTrue(classpath.contains("/lib/cassandra/cassandra-all-"), classpath);
    assertFalse(Files.exists(home.resolve(".m2")), "nothing made a local repository");

    // --log-format json: Tugboat's log lines are JSON objects, one a line
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> logged = new ArrayList<>();
    for (String line : output.lines().filter(l -> l.startsWith("{")).toList()) logged.add(json.readTree(line));
    assertTrue(logged.stream().anyMatch(e -> e.path("loggerName").asText().equals(EmbeddedCassandra.class.getName())
        && e.path("level").asText().equals("INFO") && e.path("formattedMessage").asText().contains("accepts CQL")), output);

    tug.destroy(); // SIGTERM, as Ctrl-C's shutdown path
    assertTrue(tug.waitFor(60, TimeUnit.SECONDS), "tug up stops");
    assertFalse(EmbeddedCassandra.accepts("127.0.0.1", cassandraPort), "and its Cassandra with it");
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
