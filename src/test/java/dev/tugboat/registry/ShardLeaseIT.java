package dev.tugboat.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Shards are hosted under leases in Cassandra ({@link ShardLeases}), against the real Cassandra: a
 * write takes its shard's lease under this member's session; a shard whose row names another
 * member with a live session is not taken, and nothing of it is written, until that session is
 * gone; then it is taken over with the next epoch and the write goes through.
 */
@ExtendWith(SharedCassandra.class)
class ShardLeaseIT {
  private static final String CONFIGMAPS = "/api/v1/namespaces/default/configmaps";
  /** Another member of a cluster, with a session that lives for a minute unless deleted. */
  private static final String STRANGER = "pekko://tugboat@10.255.255.1:25520#4242";

  @Test
  void aShardIsTakenOnlyOnceItsOwnersSessionIsGone(EmbeddedCassandra cassandra) throws Exception {
    String keyspace = "shardlease_" + ProcessHandle.current().pid();
    Tugboat tugboat = TestTugboat.start(cassandra, keyspace, Map.of("tugboat.controllers.run", List.of("namespace")));
    try (CqlSession cql = session(cassandra)) {
      Api api = Api.of(tugboat);
      String self = ShardLeases.ownerName(Cluster.get(tugboat.system()).selfMember().uniqueAddress());
      Await.until("the default namespace", Duration.ofSeconds(60), () -> api.get("/api/v1/namespaces/default").code() == 200);

      // a write takes its shard's lease, owned by this member's incarnation, under a live session
      assertEquals(201, api.post(CONFIGMAPS, configMap("first")).code());
      Row first = cql.execute("SELECT owner, epoch FROM " + keyspace + ".shard_leases WHERE name = ?",
          leaseName("default/first")).one();
      assertNotNull(first, "the shard of default/first has a lease row");
      assertEquals(self, first.getString("owner"));
      Row session = cql.execute("SELECT TTL(renewed) AS ttl FROM " + keyspace + ".member_sessions WHERE owner = ?", self).one();
      assertNotNull(session, "this member's session row");
      assertTrue(session.getInt("ttl") > 0 && session.getInt("ttl") <= 10, "a session row lives for the ttl: " + session.getInt("ttl"));

      // a shard nobody here has used, whose row names a live stranger
      String name = freeShardName(cql, keyspace);
      String lease = leaseName("default/" + name);
      cql.execute("INSERT INTO " + keyspace + ".member_sessions (owner, renewed) VALUES (?, toTimestamp(now())) USING TTL 120", STRANGER);
      cql.execute("INSERT INTO " + keyspace + ".shard_leases (name, owner, epoch) VALUES (?, ?, 7)", lease, STRANGER);
      var refused = api.post(CONFIGMAPS, configMap(name));
      assertTrue(refused.code() >= 500, "no write while the stranger's session lives: " + refused.code() + " " + refused.body());
      assertNotEquals(500, refused.code(), refused.body());
      assertEquals(0, journalRows(cql, keyspace, "ConfigMap|default/" + name), "nothing of it was written");
      Row still = cql.execute("SELECT owner, epoch FROM " + keyspace + ".shard_leases WHERE name = ?", lease).one();
      assertEquals(STRANGER, still.getString("owner"));

      // the stranger's session is gone (as when its ttl runs out): the shard is taken over
      long gone = System.nanoTime();
      cql.execute("DELETE FROM " + keyspace + ".member_sessions WHERE owner = ?", STRANGER);
      Await.until("the write after the takeover", Duration.ofSeconds(30), () -> {
        int code = api.post(CONFIGMAPS, configMap(name)).code();
        return code == 201 || code == 409; // 409: the request that timed out was delivered once the lease was held
      });
      System.out.printf("ShardLeaseIT: shard taken over and written %d ms after its owner's session ended%n",
          (System.nanoTime() - gone) / 1_000_000);
      Row taken = cql.execute("SELECT owner, epoch FROM " + keyspace + ".shard_leases WHERE name = ?", lease).one();
      assertEquals(self, taken.getString("owner"));
      assertEquals(8L, taken.getLong("epoch"), "taken with the next epoch");
      assertEquals(1, journalRows(cql, keyspace, "ConfigMap|default/" + name));
    } finally {
      tugboat.close();
    }
  }

  private static String leaseName(String entityId) {
    return Tugboat.SYSTEM_NAME + "-shard-ConfigMap-" + ShardRegion.HashCodeMessageExtractor$.MODULE$.shardId(entityId, 100);
  }

  /** A ConfigMap name whose shard has no lease row yet. */
  private static String freeShardName(CqlSession cql, String keyspace) {
    for (int i = 0; ; i++) {
      String name = "held-" + i;
      if (cql.execute("SELECT owner FROM " + keyspace + ".shard_leases WHERE name = ?", leaseName("default/" + name)).one() == null) {
        return name;
      }
    }
  }

  private static long journalRows(CqlSession cql, String keyspace, String persistenceId) {
    return cql.execute("SELECT count(*) FROM " + keyspace + ".messages WHERE persistence_id = ? AND partition_nr = 0",
        persistenceId).one().getLong(0);
  }

  private static String configMap(String name) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"k\":\"v\"}}";
  }

  private static CqlSession session(EmbeddedCassandra cassandra) {
    return CqlSession.builder().addContactPoint(new InetSocketAddress(cassandra.host(), cassandra.port()))
        .withLocalDatacenter("datacenter1")
        .withConfigLoader(DriverConfigLoader.programmaticBuilder()
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30)).build())
        .build();
  }
}
