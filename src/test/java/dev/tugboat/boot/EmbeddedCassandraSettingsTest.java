package dev.tugboat.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.tugboat.boot.EmbeddedCassandra.CommitLog;
import dev.tugboat.boot.EmbeddedCassandra.Ring;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the embedded Cassandra is told: its commit log sync (from the configuration, as Cassandra
 * 5.0's cassandra.yaml names it, only the chosen mode's window, since Cassandra refuses the others),
 * its ring, and the consistency the journal's profiles carry.
 */
class EmbeddedCassandraSettingsTest {
  private static final Path DIR = Path.of("/tmp/x");

  private static EmbeddedCassandra.Settings settings(CommitLog commitLog) {
    return new EmbeddedCassandra.Settings(DIR, "127.0.0.1", 9142, "256m", "1g", Duration.ofSeconds(1),
        Duration.ofSeconds(1), commitLog);
  }

  private static Config conf(Map<String, Object> overrides) {
    return Tugboat.loadConfig(ConfigFactory.parseMap(overrides));
  }

  @Test
  void theDefaultIsGroupCommitAcknowledgingOnlyWhatIsOnDisk() {
    CommitLog configured = TugboatSettings.from(conf(Map.of())).embeddedCassandra().commitLog();
    assertEquals(new CommitLog(CommitLog.Sync.GROUP, Duration.ofMillis(2)), configured);
    assertEquals(CommitLog.DEFAULT, configured);
    String yaml = EmbeddedCassandra.yaml(settings(configured), 7001);
    assertTrue(yaml.contains("\ncommitlog_sync: group\ncommitlog_sync_group_window: 2ms\n"), yaml);
    assertFalse(yaml.contains("commitlog_sync_period"), "Cassandra refuses a period beside group: " + yaml);
  }

  @Test
  void periodicAndBatchAsConfigured() {
    CommitLog periodic = CommitLog.from(conf(Map.of("tugboat.cassandra.embedded.commitlog-sync", "periodic"))
        .getConfig("tugboat.cassandra.embedded"));
    assertEquals(new CommitLog(CommitLog.Sync.PERIODIC, Duration.ofSeconds(10)), periodic);
    String yaml = EmbeddedCassandra.yaml(settings(periodic), 7001);
    assertTrue(yaml.contains("\ncommitlog_sync: periodic\ncommitlog_sync_period: 10000ms\n"), yaml);
    assertFalse(yaml.contains("group_window"), yaml);

    CommitLog batch = CommitLog.from(conf(Map.of("tugboat.cassandra.embedded.commitlog-sync", "BATCH"))
        .getConfig("tugboat.cassandra.embedded"));
    assertEquals(CommitLog.Sync.BATCH, batch.sync());
    yaml = EmbeddedCassandra.yaml(settings(batch), 7001);
    assertTrue(yaml.contains("\ncommitlog_sync: batch\n"), yaml);
    assertFalse(yaml.contains("commitlog_sync_period") || yaml.contains("group_window"), yaml);
    assertEquals("batch", batch.toString());
  }

  @Test
  void aWrongModeOrWindowSaysWhat() {
    IllegalArgumentException mode = assertThrows(IllegalArgumentException.class, () -> CommitLog.from(
        conf(Map.of("tugboat.cassandra.embedded.commitlog-sync", "sometimes")).getConfig("tugboat.cassandra.embedded")));
    assertTrue(mode.getMessage().contains("periodic, group or batch, not \"sometimes\""), mode.getMessage());
    IllegalArgumentException window = assertThrows(IllegalArgumentException.class,
        () -> new CommitLog(CommitLog.Sync.GROUP, Duration.ZERO));
    assertTrue(window.getMessage().contains("group needs a window"), window.getMessage());
  }

  @Test
  void aServerAloneIsItsOwnSeed() {
    String yaml = EmbeddedCassandra.yaml(settings(CommitLog.DEFAULT), 7001);
    assertTrue(yaml.contains("cluster_name: tugboat\n"), yaml);
    assertTrue(yaml.contains("seeds: \"127.0.0.1:7001\""), yaml);
    assertTrue(yaml.contains("listen_address: 127.0.0.1\n") && yaml.contains("storage_port: 7001\n"), yaml);
  }

  @Test
  void serversOfARingShareTheirSeedsAndName() {
    Ring ring = new Ring("three", 7400, List.of("127.0.0.1:7400", "127.0.0.2:7400", "127.0.0.3:7400"));
    EmbeddedCassandra.Settings second = new EmbeddedCassandra.Settings(DIR, "127.0.0.2", 9142, "256m", "1g",
        Duration.ofSeconds(1), Duration.ofSeconds(1), CommitLog.DEFAULT).withRing(ring);
    String yaml = EmbeddedCassandra.yaml(second, 7400);
    assertTrue(yaml.contains("cluster_name: three\n"), yaml);
    assertTrue(yaml.contains("seeds: \"127.0.0.1:7400,127.0.0.2:7400,127.0.0.3:7400\""), yaml);
    assertTrue(yaml.contains("listen_address: 127.0.0.2\nrpc_address: 127.0.0.2\n"), yaml);
  }

  @Test
  void theJournalWritesAndReadsAtQuorumUnlessTold() {
    Config c = conf(Map.of());
    String plugin = "pekko.persistence.cassandra.";
    String write = c.getString(plugin + "write-profile");
    String read = c.getString(plugin + "read-profile");
    for (String path : List.of("snapshot.write-profile", "reconciler.write-profile")) {
      assertEquals(write, c.getString(plugin + path), path);
    }
    for (String path : List.of("query.read-profile", "snapshot.read-profile", "reconciler.read-profile")) {
      assertEquals(read, c.getString(plugin + path), path);
    }
    assertEquals("QUORUM", consistency(c, write));
    assertEquals("QUORUM", consistency(c, read));
    assertTrue(c.getBoolean("datastax-java-driver.profiles." + write + ".basic.request.default-idempotence"));
    assertEquals(1, c.getInt(plugin + "journal.replication-factor"));
    assertEquals(1, c.getInt(plugin + "snapshot.replication-factor"));

    Config told = conf(Map.of("tugboat.cassandra.write-consistency", "LOCAL_QUORUM",
        "tugboat.cassandra.read-consistency", "ONE", "tugboat.cassandra.replication-factor", 3));
    assertEquals("LOCAL_QUORUM", consistency(told, write));
    assertEquals("ONE", consistency(told, read));
    assertEquals(3, told.getInt(plugin + "journal.replication-factor"));
    assertEquals(3, told.getInt(plugin + "snapshot.replication-factor"));
  }

  private static String consistency(Config c, String profile) {
    return c.getString("datastax-java-driver.profiles." + profile + ".basic.request.consistency");
  }
}
