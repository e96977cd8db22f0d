package dev.tugboat.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.cli.TugCommand;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Secrets encrypted at rest, read back from Cassandra's own rows: neither the journal nor the
 * snapshots hold a Secret's value (or its base64) in clear, while a ConfigMap holding the same value
 * does (so the search would find it); a key rotation re-encrypts every Secret, after which the old
 * key can leave the key file and every Secret still reads.
 */
@ExtendWith(SharedCassandra.class)
class SecretEncryptionIT {
  private final String keyspace = "secrets_" + ProcessHandle.current().pid();
  private final String value = "correct-horse-battery-staple-" + ProcessHandle.current().pid();
  private Tugboat tugboat;
  private Api api;

  @AfterEach
  void stop() {
    if (tugboat != null) tugboat.close();
  }

  private void start(EmbeddedCassandra cassandra, Path keyFile) {
    if (tugboat != null) tugboat.close();
    tugboat = TestTugboat.start(cassandra, keyspace, Map.of("tugboat.controllers.run", List.of("namespace"),
        "tugboat.encryption.key-file", keyFile.toString()));
    api = Api.of(tugboat);
    Await.until("the default namespace", Duration.ofSeconds(60), () -> api.get("/api/v1/namespaces/default").code() == 200);
  }

  private static Path keyFile(String name, String... keys) throws Exception {
    StringBuilder text = new StringBuilder("keys:\n");
    for (String key : keys) {
      byte[] secret = new byte[32];
      secret[0] = (byte) key.hashCode(); // distinct, fixed keys: the test names them, not their bytes
      secret[1] = (byte) (key.hashCode() >> 8);
      text.append("  - name: ").append(key).append("\n    secret: ").append(Base64.getEncoder().encodeToString(secret))
          .append('\n');
    }
    Path file = SharedCassandra.itDir().resolve("keys-" + ProcessHandle.current().pid() + "-" + name + ".yaml");
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  @Test
  void noSecretValueReachesCassandraInClearAndRotationRetiresTheOldKey(EmbeddedCassandra cassandra) throws Exception {
    start(cassandra, keyFile("one", "key1"));
    assertEquals(201, api.post("/api/v1/namespaces/default/secrets", """
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"db"},"stringData":{"password":"%s"}}""".formatted(value)).code());
    assertEquals(200, api.patch("/api/v1/namespaces/default/secrets/db", """
        {"metadata":{"labels":{"rotated":"no"}}}""", "application/merge-patch+json").code());
    assertEquals(201, api.post("/api/v1/namespaces/default/configmaps", """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"control"},"data":{"password":"%s"}}""".formatted(value)).code());
    String b64 = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    assertEquals(b64, api.get("/api/v1/namespaces/default/secrets/db").json().at("/data/password").asText(), "read in clear");

    InetSocketAddress contact = new InetSocketAddress(cassandra.host(), cassandra.port());
    try (CqlSession session = CqlSession.builder().addContactPoint(contact).withLocalDatacenter("datacenter1").build()) {
      assertTrue(stored(session, "ConfigMap|default/control").stream().anyMatch(r -> r.contains(value)),
          "the control: a ConfigMap's value is found in its rows");
      Await.until("the Secret's snapshot written", Duration.ofSeconds(10), () -> !snapshots(session, "Secret|default/db").isEmpty());
      List<String> rows = stored(session, "Secret|default/db");
      assertFalse(rows.isEmpty());
      for (String row : rows) {
        assertFalse(row.contains(value) || row.contains(b64), "a Secret's value in clear in Cassandra");
        assertTrue(row.contains("k8s:enc:aesgcm:v1:key1:"), "stored under key1");
      }

      // Rotation: key2 first, key1 still there to read; rewrite every Secret; then key1 goes.
      start(cassandra, keyFile("two", "key2", "key1"));
      assertEquals(b64, api.get("/api/v1/namespaces/default/secrets/db").json().at("/data/password").asText());
      StringWriter out = new StringWriter();
      int exit = TugCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true))
          .execute("secrets", "reencrypt", TestTugboat.tugServerOption(tugboat));
      assertEquals(0, exit, out.toString());
      assertTrue(out.toString().contains("1 secrets re-encrypted"), out.toString());
      try {
        Await.until("every row of the Secret under key2 alone", Duration.ofSeconds(20), () -> {
          List<String> now = stored(session, "Secret|default/db");
          return !now.isEmpty() && now.stream().allMatch(r -> r.contains(":key2:") && !r.contains(":key1:"));
        });
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; the rows' keys: " + stored(session, "Secret|default/db").stream()
            .map(r -> r.contains(":key1:") ? "key1" : r.contains(":key2:") ? "key2" : "?").toList(), e);
      }
    }
    start(cassandra, keyFile("three", "key2"));
    assertEquals(b64, api.get("/api/v1/namespaces/default/secrets/db").json().at("/data/password").asText(),
        "read back with key2 alone");
    assertEquals("no", api.get("/api/v1/namespaces/default/secrets/db").json().at("/metadata/labels/rotated").asText());
    assertTrue(api.get("/api/v1/secrets").body().contains("\"db\""), "the index, rebuilt from the journal, has it");
  }

  /** Every journal event and snapshot of an object, as text (CBOR keeps strings readable). */
  private List<String> stored(CqlSession session, String persistenceId) {
    List<String> rows = new ArrayList<>();
    for (Row row : session.execute("SELECT event FROM " + keyspace + ".messages WHERE persistence_id = ? AND partition_nr = 0",
        persistenceId)) {
      rows.add(text(row.getByteBuffer("event")));
    }
    rows.addAll(snapshots(session, persistenceId));
    return rows;
  }

  private List<String> snapshots(CqlSession session, String persistenceId) {
    List<String> rows = new ArrayList<>();
    for (Row row : session.execute("SELECT snapshot_data FROM " + keyspace + "_snapshot.snapshots WHERE persistence_id = ?",
        persistenceId)) {
      rows.add(text(row.getByteBuffer("snapshot_data")));
    }
    return rows;
  }

  private static String text(ByteBuffer buffer) {
    if (buffer == null) return "";
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
