package dev.tugboat.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The production CQL in docs/operations.md is what Tugboat needs: applied to an empty keyspace, a
 * Tugboat with auto-creation off writes and reads through it.
 */
@ExtendWith(SharedCassandra.class)
class OperationsCqlIT {
  @Test
  void theDocumentedSchemaIsEnoughWithAutoCreationOff(EmbeddedCassandra cassandra) throws Exception {
    String keyspace = "ops_" + ProcessHandle.current().pid();
    Matcher block = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(Path.of("docs/operations.md")));
    assertTrue(block.find(), "docs/operations.md has a CQL block");
    List<String> statements = new ArrayList<>();
    for (String s : block.group(1).split(";")) {
      if (!s.isBlank()) {
        statements.add(s.trim().replace("tugboat_snapshot", keyspace + "_snapshot").replace("tugboat.", keyspace + ".")
            .replace("KEYSPACE IF NOT EXISTS tugboat", "KEYSPACE IF NOT EXISTS " + keyspace)
            .replace("'datacenter1': 3", "'datacenter1': 1"));
      }
    }
    try (CqlSession session = CqlSession.builder().addContactPoint(new InetSocketAddress(cassandra.host(), cassandra.port()))
        .withLocalDatacenter("datacenter1")
        // schema changes take seconds on a busy 2-core machine; the driver's default is 2 s
        .withConfigLoader(DriverConfigLoader.programmaticBuilder()
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30)).build())
        .build()) {
      for (String s : statements) session.execute(s);
    }
    var tugboat = TestTugboat.start(cassandra, keyspace, Map.of("tugboat.cassandra.auto-create", false));
    try {
      Api api = Api.of(tugboat);
      Await.until("the default namespace", Duration.ofSeconds(60), () -> api.get("/api/v1/namespaces/default").code() == 200);
      assertEquals(201, api.post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"ops\"}}").code());
    } finally {
      tugboat.close();
    }
  }
}
