package dev.tugboat.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.FreePort;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.SharedCassandra;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Objects created, then Tugboat and its embedded Cassandra stopped and started again: every object
 * comes back with its uid and resourceVersion, from the entities and from the rebuilt index.
 */
class DurabilityIT {
  private Tugboat tugboat;

  @AfterEach
  void stop() {
    if (tugboat != null) tugboat.close();
  }

  private static Tugboat start(int cassandraPort, String dataDir) {
    return Tugboat.start(Tugboat.loadConfig(ConfigFactory.parseMap(Map.of(
        "tugboat.data-dir", dataDir,
        "tugboat.cassandra.embedded.port", cassandraPort,
        "tugboat.cassandra.contact-points", "",
        "tugboat.cassandra.keyspace", "durability",
        "tugboat.api.port", 0,
        // the API alone: no controller may write to the objects between the two lives
        "tugboat.controllers.run", List.of("namespace"),
        // Tiny journal partitions and frequent snapshots, so that the index rebuild reads objects
        // whose events span partitions, and a Node whose first partition's events were deleted.
        "pekko.persistence.cassandra.journal.target-partition-size", 3,
        "tugboat.registry.snapshot-every", 2))));
  }

  @Test
  void everyAcknowledgedObjectSurvivesARestartOfTugboatAndCassandra() {
    int port = FreePort.find();
    String dataDir = SharedCassandra.itDir().resolve("durability-" + ProcessHandle.current().pid()).toString();
    tugboat = start(port, dataDir);
    EmbeddedCassandra first = tugboat.cassandra();
    assertTrue(first.startedHere(), "this test owns its Cassandra");
    Api api = Api.of(tugboat);
    await(api, "/api/v1/namespaces/default");

    Map<String, JsonNode> written = new LinkedHashMap<>();
    written.put("/api/v1/namespaces/keep", api.post("/api/v1/namespaces",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"keep\"}}").json());
    for (int i = 0; i < 20; i++) {
      String body = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p-" + i + "\",\"labels\":{\"app\":\"keep\"}},"
          + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i:1\"}]}}";
      written.put("/api/v1/namespaces/keep/pods/p-" + i, api.post("/api/v1/namespaces/keep/pods", body).json());
    }
    written.put("/apis/apps/v1/namespaces/keep/deployments/d", api.post("/apis/apps/v1/namespaces/keep/deployments", """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
         "spec":{"selector":{"matchLabels":{"app":"d"}},"template":{"metadata":{"labels":{"app":"d"}},
                 "spec":{"containers":[{"name":"c","image":"i:1"}]}}}}""").json());
    // later versions of one object (its 8 events span 3 partitions), and one object deleted for good
    for (int replicas = 1; replicas <= 7; replicas++) {
      written.put("/apis/apps/v1/namespaces/keep/deployments/d", api.patch("/apis/apps/v1/namespaces/keep/deployments/d",
          "{\"spec\":{\"replicas\":" + replicas + "}}", "application/merge-patch+json").json());
    }
    // a Node keeps no history: its events are deleted at each snapshot, partition 0 first
    api.post("/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n1\"}}");
    for (int i = 1; i <= 8; i++) {
      written.put("/api/v1/nodes/n1", api.patch("/api/v1/nodes/n1",
          "{\"metadata\":{\"labels\":{\"beat\":\"" + i + "\"}}}", "application/merge-patch+json").json());
    }
    assertEquals(200, api.delete("/api/v1/namespaces/keep/pods/p-19").code());
    written.remove("/api/v1/namespaces/keep/pods/p-19");
    long cassandraPid = first.pid().orElseThrow();

    tugboat.close();
    tugboat = null;
    assertFalse(ProcessHandle.of(cassandraPid).map(ProcessHandle::isAlive).orElse(false), "Cassandra was stopped");

    tugboat = start(port, dataDir);
    assertTrue(tugboat.cassandra().startedHere(), "a new Cassandra process on the same data");
    Api again = Api.of(tugboat);
    await(again, "/api/v1/namespaces/default");
    for (Map.Entry<String, JsonNode> e : written.entrySet()) {
      JsonNode now = again.get(e.getKey()).json();
      assertEquals(e.getValue().at("/metadata/uid"), now.at("/metadata/uid"), e.getKey());
      assertEquals(e.getValue().at("/metadata/resourceVersion"), now.at("/metadata/resourceVersion"), e.getKey());
      assertEquals(e.getValue(), now, "the whole object is back: " + e.getKey());
    }
    assertEquals(7, again.get("/apis/apps/v1/namespaces/keep/deployments/d").json().at("/spec/replicas").asInt());
    assertEquals(404, again.get("/api/v1/namespaces/keep/pods/p-19").code(), "a delete is durable too");
    JsonNode list = again.get("/api/v1/namespaces/keep/pods?labelSelector=app%3Dkeep").json();
    assertEquals(19, list.path("items").size(), "the index was rebuilt from the journal");
    // Lists come from the rebuilt index: each object at its last event.
    JsonNode deployments = again.get("/apis/apps/v1/namespaces/keep/deployments").json().path("items");
    assertEquals(1, deployments.size());
    assertEquals(written.get("/apis/apps/v1/namespaces/keep/deployments/d"), deployments.get(0),
        "the last of events spread over partitions");
    JsonNode nodes = again.get("/api/v1/nodes?fieldSelector=metadata.name%3Dn1").json().path("items");
    assertEquals(1, nodes.size());
    assertEquals(written.get("/api/v1/nodes/n1"), nodes.get(0), "the last event of a Node whose first ones are deleted");
    List<String> namespaces = again.get("/api/v1/namespaces").json().findValuesAsText("name");
    assertEquals(1, namespaces.stream().filter("default"::equals).count(), "defaults are not created twice");
  }

  private static void await(Api api, String path) {
    Await.until(path + " to exist", Duration.ofSeconds(90), () -> api.get(path).code() == 200);
  }
}
