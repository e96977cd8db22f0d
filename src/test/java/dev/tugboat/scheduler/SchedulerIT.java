package dev.tugboat.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scheduler singleton over many nodes: twenty simulated nodes (the real node agent code on the
 * hollow runtime, which is only for scale) of 2 cpus each, and more pods than fit. Asserts through
 * the API and a watch: requests never exceed a node's allocatable, no pod is bound twice, and the
 * pods that fit nowhere say why and are placed as soon as room appears.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchedulerIT {
  private static final int NODES = 20;
  private static final ObjectMapper JSON = new ObjectMapper();
  private Tugboat tugboat;
  private Api api;
  private final Map<String, List<String>> bindings = new ConcurrentHashMap<>();
  private final AtomicBoolean watching = new AtomicBoolean(true);

  @BeforeAll
  void start(EmbeddedCassandra cassandra) {
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    config.put("tugboat.node-name", "sim");
    config.put("tugboat.node.runtime", "simulated");
    config.put("tugboat.node.simulated.nodes", NODES);
    config.put("tugboat.node.capacity.cpu", "2");
    config.put("tugboat.node.capacity.memory", "4Gi");
    tugboat = TestTugboat.start(cassandra, "scheduler_it_" + ProcessHandle.current().pid(), config);
    api = Api.of(tugboat);
    Await.until(NODES + " nodes", Duration.ofSeconds(60),
        () -> api.get("/api/v1/nodes").json().path("items").size() == NODES);
  }

  @AfterAll
  void stop() {
    watching.set(false);
    if (tugboat != null) tugboat.close();
  }

  private static String pod(String name, String cpu) {
    return """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"app":"fill"}},
         "spec":{"containers":[{"name":"c","image":"simulated/app","resources":{"requests":{"cpu":"%s","memory":"64Mi"}}}]}}
        """.formatted(name, cpu);
  }

  /** Records every node each pod was ever bound to, from a watch that starts before the first pod. */
  private void watchBindings() {
    Thread watcher = new Thread(() -> {
      try {
        HttpResponse<java.io.InputStream> r = api.client().send(HttpRequest.newBuilder(
            api.uri("/api/v1/namespaces/default/pods?watch=true")).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (var lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
          String line;
          while (watching.get() && (line = lines.readLine()) != null) {
            JsonNode pod = JSON.readTree(line).path("object");
            String node = pod.path("spec").path("nodeName").asText("");
            if (node.isEmpty()) continue;
            List<String> seen = bindings.computeIfAbsent(pod.path("metadata").path("name").asText(), k -> new CopyOnWriteArrayList<>());
            if (!seen.contains(node)) seen.add(node);
          }
        }
      } catch (Exception e) {
        // the member is stopping
      }
    }, "binding-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  @Test
  void placesWithinCapacityBindsOnceAndReportsWhatDoesNotFit() {
    watchBindings();
    // 300m each: six fit on a node of 2 cpus, 120 on twenty nodes; 30 of 150 fit nowhere.
    int total = 150;
    for (int i = 0; i < total; i++) {
      Api.Reply r = api.post("/api/v1/namespaces/default/pods", pod("fill-" + i, "300m"));
      assertEquals(201, r.code(), r.body());
    }
    JsonNode pods = Await.until("120 pods bound and running, 30 unschedulable", Duration.ofSeconds(120), () -> {
      JsonNode list = api.get("/api/v1/namespaces/default/pods").json();
      int running = 0;
      int unschedulable = 0;
      for (JsonNode p : list.path("items")) {
        if ("Running".equals(p.path("status").path("phase").asText())) running++;
        for (JsonNode c : p.path("status").path("conditions")) {
          if ("PodScheduled".equals(c.path("type").asText()) && "Unschedulable".equals(c.path("reason").asText())) unschedulable++;
        }
      }
      return running == 120 && unschedulable == 30 ? list : null;
    });

    Map<String, Integer> cpuPerNode = new HashMap<>();
    for (JsonNode p : pods.path("items")) {
      String node = p.path("spec").path("nodeName").asText("");
      if (node.isEmpty()) {
        JsonNode scheduled = p.path("status").path("conditions").get(0);
        assertEquals("0/20 nodes are available: 20 Insufficient cpu.", scheduled.path("message").asText());
      } else {
        cpuPerNode.merge(node, 300, Integer::sum);
      }
    }
    assertEquals(NODES, cpuPerNode.size(), "every node got pods: " + cpuPerNode);
    cpuPerNode.forEach((node, cpu) -> assertTrue(cpu <= 2000, node + " holds " + cpu + "m of 2000m"));

    // Events are recorded after the status they explain, and may trail it.
    Await.until("a FailedScheduling event per unschedulable pod", Duration.ofSeconds(30), () -> {
      Api.Reply events = api.get("/api/v1/namespaces/default/events?fieldSelector=reason=FailedScheduling");
      assertEquals(200, events.code(), events.body());
      return events.json().path("items").size() >= 30;
    });

    // Room appears: ten pods go, ten of the waiting ones are placed without being asked again.
    List<String> bound = new java.util.ArrayList<>();
    pods.path("items").forEach(p -> {
      if (!p.path("spec").path("nodeName").asText("").isEmpty()) bound.add(p.path("metadata").path("name").asText());
    });
    for (String name : bound.subList(0, 10)) {
      assertEquals(200, api.delete("/api/v1/namespaces/default/pods/" + name).code());
    }
    Await.until("ten waiting pods placed in the freed room", Duration.ofSeconds(60), () -> {
      JsonNode list = api.get("/api/v1/namespaces/default/pods").json();
      int placed = 0;
      for (JsonNode p : list.path("items")) if (!p.path("spec").path("nodeName").asText("").isEmpty()) placed++;
      return list.path("items").size() == total - 10 && placed == 120;
    });
    bindings.forEach((pod, nodes) -> assertEquals(1, nodes.size(), pod + " was bound to " + nodes));
    assertTrue(bindings.size() >= 130, "the watch saw every binding: " + bindings.size());

    // A second binding of a bound pod is refused by its entity.
    String one = bound.get(20);
    Api.Reply again = api.post("/api/v1/namespaces/default/pods/" + one + "/binding",
        "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"" + one + "\"},\"target\":{\"kind\":\"Node\",\"name\":\"sim-0\"}}");
    if (!bindings.get(one).get(0).equals("sim-0")) {
      assertEquals(409, again.code(), again.body());
      assertTrue(again.at("/message").contains("is already assigned to node"), again.body());
    }
  }
}
