package dev.tugboat.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedded Cassandra against the real server: start, reuse, stop, and a failed start. */
class EmbeddedCassandraIT {
  private static final Path DIR = Path.of(System.getProperty("tugboat.it.dir", "target/it"), "embedded-cassandra-it");
  private static EmbeddedCassandra started;

  private static EmbeddedCassandra.Settings settings(Path dir, int port, String maxHeap) {
    return new EmbeddedCassandra.Settings(dir, "127.0.0.1", port, "256m", maxHeap,
        Duration.ofSeconds(120), Duration.ofSeconds(60), EmbeddedCassandra.CommitLog.configured());
  }

  @BeforeAll
  static void startServer() throws Exception {
    int port = FreePort.find();
    started = EmbeddedCassandra.start(settings(DIR.resolve("server"), port, "1g"));
  }

  @AfterAll
  static void stopServer() {
    if (started != null) started.close();
  }

  @Test
  void startedServerAnswersCqlAndKeepsItsFilesInTheDataDirectory() {
    assertTrue(started.startedHere());
    assertTrue(started.pid().isPresent());
    try (CqlSession session = CqlSession.builder()
        .addContactPoint(new InetSocketAddress(started.host(), started.port()))
        .withLocalDatacenter("datacenter1")
        .build()) {
      String version = session.execute("SELECT release_version FROM system.local").one().getString(0);
      assertTrue(version.startsWith("5.0."), "release_version " + version);
    }
    assertTrue(Files.isDirectory(DIR.resolve("server/data/data/system")));
    assertTrue(Files.exists(started.logFile()));
  }

  @Test
  void aServerAlreadyUpIsReusedAndLeftRunning() {
    EmbeddedCassandra reused = EmbeddedCassandra.start(settings(DIR.resolve("other"), started.port(), "1g"));
    assertFalse(reused.startedHere());
    assertEquals(Duration.ZERO, reused.startedIn());
    reused.close();
    assertTrue(EmbeddedCassandra.accepts(started.host(), started.port()), "closing a reused server must not stop it");
    assertTrue(ProcessHandle.of(started.pid().orElseThrow()).map(ProcessHandle::isAlive).orElse(false));
  }

  @Test
  void stopTerminatesTheServerItStarted() {
    int port = FreePort.find();
    EmbeddedCassandra second = EmbeddedCassandra.start(settings(DIR.resolve("second"), port, "1g"));
    long pid = second.pid().orElseThrow();
    second.close();
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the child JVM must be gone");
    assertFalse(EmbeddedCassandra.accepts("127.0.0.1", port));
  }

  @Test
  void aFailedStartSaysWhyWithTheEndOfTheLog() {
    int port = FreePort.find();
    CassandraStartException e = assertThrows(CassandraStartException.class,
        () -> EmbeddedCassandra.start(settings(DIR.resolve("broken"), port, "not-a-size")));
    assertTrue(e.getMessage().contains("exited with code"), e.getMessage());
    assertTrue(e.getMessage().contains("last lines of the Cassandra log"), e.getMessage());
    assertTrue(e.getMessage().contains("Invalid maximum heap size"), e.getMessage());
  }
}
