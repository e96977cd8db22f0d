package dev.tugboat.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One live cluster per keyspace ({@link ClusterLease}), against the real Cassandra: a second cluster
 * started on a live cluster's keyspace is refused and writes nothing; a clean stop frees the
 * keyspace at once; the lease of a cluster that is gone is taken once it expires; a cluster that
 * finds another holding its keyspace stops.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterLeaseIT {
  /** Short, so that the waits stay short: the founding member waits about ttl + 2 renewals. */
  private static final Map<String, Object> SHORT_LEASE = Map.of(
      "tugboat.cluster-lease.ttl", "4s",
      "tugboat.cluster-lease.renew-interval", "1s",
      "tugboat.controllers.run", List.of("namespace"));
  private final long pid = ProcessHandle.current().pid();
  private final List<Tugboat> started = new ArrayList<>();
  private EmbeddedCassandra cassandra;
  private CqlSession cql;

  @BeforeAll
  void connect(EmbeddedCassandra cassandra) {
    this.cassandra = cassandra;
    cql = CqlSession.builder().addContactPoint(new InetSocketAddress(cassandra.host(), cassandra.port()))
        .withLocalDatacenter("datacenter1")
        // schema changes take seconds on a busy 2-core machine; the driver's default is 2 s
        .withConfigLoader(DriverConfigLoader.programmaticBuilder()
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30)).build())
        .build();
  }

  @AfterEach
  void stopMembers() {
    started.forEach(Tugboat::close);
    started.clear();
  }

  @AfterAll
  void disconnect() {
    if (cql != null) cql.close();
  }

  private Tugboat start(String keyspace) {
    Tugboat member = TestTugboat.start(cassandra, keyspace, SHORT_LEASE);
    started.add(member);
    return member;
  }

  private static String address(Tugboat member) {
    return ClusterLease.text(Cluster.get(member.system()).selfMember().uniqueAddress());
  }

  private Optional<String> holder(String keyspace) {
    Row row = cql.execute("SELECT holder FROM " + keyspace + ".cluster_lease WHERE name = 'cluster'").one();
    return Optional.ofNullable(row).map(r -> r.getString("holder"));
  }

  @Test
  void aSecondClusterOnALiveClustersKeyspaceIsRefusedAndACleanStopFreesIt() {
    String keyspace = "lease_second_" + pid;
    Tugboat first = start(keyspace);
    assertEquals(Optional.of(address(first)), holder(keyspace), "the founder holds the lease");
    Api api = Api.of(first);
    Await.until("the default namespace", Duration.ofSeconds(30), () -> api.get("/api/v1/namespaces/default").code() == 200);
    assertEquals(201, api.post("/api/v1/namespaces",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"written-by-the-first\"}}").code());

    // a member without seeds on the same keyspace founds a cluster of its own: refused, after
    // waiting long enough for a dead cluster's lease to run out (this one is renewed meanwhile)
    long before = System.nanoTime();
    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> start(keyspace));
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
    assertTrue(refused.getMessage().contains("belongs to another live Tugboat cluster"), refused.getMessage());
    assertTrue(refused.getMessage().contains(address(first)), "names the holder: " + refused.getMessage());
    assertTrue(refused.getMessage().contains("--seed " + ClusterLease.seedOf(address(first))), refused.getMessage());
    assertTrue(waitedMs >= 4000, "waited out a ttl before refusing: " + waitedMs + " ms");
    assertEquals(Optional.of(address(first)), holder(keyspace), "the first keeps the lease");
    assertEquals(200, api.get("/api/v1/namespaces/written-by-the-first").code(), "and serves on");

    // a clean stop gives the lease back: the next founder starts at once, on the same objects
    first.close();
    started.remove(first);
    assertEquals(Optional.empty(), holder(keyspace), "released");
    long restart = System.nanoTime();
    Tugboat second = start(keyspace);
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restart) < 4000, "no lease to wait for");
    assertEquals(Optional.of(address(second)), holder(keyspace));
    Api api2 = Api.of(second);
    Await.until("the first cluster's object", Duration.ofSeconds(30),
        () -> api2.get("/api/v1/namespaces/written-by-the-first").code() == 200);
  }

  @Test
  void theLeaseOfAClusterThatIsGoneIsTakenOnceItExpires() {
    String keyspace = "lease_gone_" + pid;
    // a cluster that crashed: its member's lease is in place, and nobody renews it
    Tugboat probe = start(keyspace); // creates the keyspace and table
    probe.close();
    started.remove(probe);
    String crashed = "pekko://tugboat@127.0.0.1:1#42";
    cql.execute("INSERT INTO " + keyspace + ".cluster_lease (name, holder, renewed) VALUES ('cluster', ?, toTimestamp(now())) USING TTL 3",
        crashed);
    assertEquals(Optional.of(crashed), holder(keyspace));
    Tugboat next = start(keyspace);
    assertEquals(Optional.of(address(next)), holder(keyspace), "taken once the dead one's ran out");
  }

  @Test
  void aClusterThatFindsAnotherHoldingItsKeyspaceStops() throws Exception {
    String keyspace = "lease_lost_" + pid;
    Tugboat member = start(keyspace);
    // as if this cluster had been cut off from Cassandra past the ttl, and another had taken the keyspace
    cql.execute("UPDATE " + keyspace + ".cluster_lease USING TTL 60 SET holder = ? WHERE name = 'cluster'",
        "pekko://tugboat@127.0.0.9:25520#7");
    // its keeper sees the foreign holder at its next renewal (3 s), then the member shuts down in
    // order (sharding handed off, the cluster left): tens of seconds on a loaded machine
    member.whenTerminated().get(60, TimeUnit.SECONDS);
    assertEquals(Optional.of("pekko://tugboat@127.0.0.9:25520#7"), holder(keyspace), "the other's lease stays");
  }
}
