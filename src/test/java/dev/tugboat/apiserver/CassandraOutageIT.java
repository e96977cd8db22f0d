package dev.tugboat.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.FreePort;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.NodeContainers;
import dev.tugboat.testing.SharedCassandra;
import java.nio.file.Path;
import java.time.Duration;
import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.DockerRuntime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cassandra goes away under a running Tugboat: writes are answered 503/504 (never acknowledged),
 * readiness says so, lists keep being served from the index, and once Cassandra is back the same
 * entities take writes again (they restarted with backoff instead of stopping).
 */
class CassandraOutageIT {
  private final String node = "outage-" + ProcessHandle.current().pid();
  private Tugboat tugboat;
  private EmbeddedCassandra cassandra;

  @AfterEach
  void stop() {
    if (tugboat != null) tugboat.close();
    if (cassandra != null) cassandra.close();
    // the pods' sandboxes outlive the member, as containers do: remove them by their node label
    NodeContainers.removeAll(node);
  }

  @Test
  void anOutageIsAClear5xxAndWritesResumeAfterIt() {
    Path dir = SharedCassandra.itDir().resolve("outage-" + ProcessHandle.current().pid());
    EmbeddedCassandra.Settings settings = new EmbeddedCassandra.Settings(dir.resolve("cassandra"), "127.0.0.1",
        FreePort.find(), "256m", "1g", Duration.ofSeconds(120), Duration.ofSeconds(60),
        EmbeddedCassandra.CommitLog.configured());
    cassandra = EmbeddedCassandra.start(settings);
    tugboat = Tugboat.start(Tugboat.loadConfig(ConfigFactory.parseMap(Map.of(
        "tugboat.cassandra.contact-points", "127.0.0.1:" + settings.port(),
        "tugboat.cassandra.keyspace", "outage",
        "tugboat.data-dir", dir.toString(),
        "tugboat.api.port", 0,
        "tugboat.registry.ask-timeout", "5s",
        // everything runs: the node agent's status reports fail with the store, and that must
        // not turn into an eviction of the node's pods
        "pekko.cluster.roles", List.of("control-plane", "worker"),
        "tugboat.node-name", node,
        "tugboat.controllers.run", List.of("*")))));
    Api api = Api.of(tugboat);
    Await.until("the default namespace", Duration.ofSeconds(60), () -> api.get("/api/v1/namespaces/default").code() == 200);
    String pods = "/api/v1/namespaces/default/pods";
    assertEquals(201, api.post(pods, pod("before")).code());

    cassandra.close(); // the journal is gone
    Api.Reply during = api.post(pods, pod("during"));
    assertTrue(during.code() == 503 || during.code() == 504, "a write without a journal: " + during.code() + " " + during.body());
    assertEquals("Status", during.json().path("kind").asText());
    Api.Reply patch = api.patch(pods + "/before", "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}", "application/merge-patch+json");
    assertTrue(patch.code() == 503 || patch.code() == 504, "an update without a journal: " + patch.code());
    assertEquals(503, api.get("/readyz").code(), "readiness says the store is down");
    assertEquals(200, api.get(pods).code(), "lists are served from the index");

    cassandra = EmbeddedCassandra.start(settings); // same data, same port
    Api.Reply after = Await.until("writes to be taken again", Duration.ofSeconds(120), () -> {
      Api.Reply r = api.patch(pods + "/before", "{\"metadata\":{\"labels\":{\"x\":\"z\"}}}", "application/merge-patch+json");
      return r.code() == 200 ? r : null;
    });
    assertEquals("z", after.json().at("/metadata/labels/x").asText());
    Await.until("a new object to be created", Duration.ofSeconds(60), () -> {
      int code = api.post(pods, pod("after")).code();
      return code == 201 || code == 409;
    });
    int duringNow = api.get(pods + "/during").code();
    assertTrue(duringNow == 404 || duringNow == 200, "the unacknowledged write is either absent or whole");
    assertEquals(200, api.get("/readyz").code());
  }

  private static String pod(String name) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i:1\"}]}}";
  }
}
