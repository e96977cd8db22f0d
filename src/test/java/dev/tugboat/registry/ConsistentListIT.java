package dev.tugboat.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Lists as Kubernetes defines them over HTTP: without a resourceVersion a consistent read (every
 * acknowledged write, even one whose change never reached this member's index), "0" whatever the
 * index holds, N with resourceVersionMatch Exact as the objects were then, pages of one list one
 * state. The member loses every third change it publishes and never says its last number (no
 * heartbeat, no periodic catch-up), so only the consistent read can find a lost last change.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// Beside the others (docs/testing.md): no pods, no leases; what it waits for has seconds to spare.
@Execution(ExecutionMode.CONCURRENT)
class ConsistentListIT {
  private static final String CONFIGMAPS = "/api/v1/namespaces/default/configmaps";
  private Tugboat tugboat;
  private Api api;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) {
    tugboat = TestTugboat.start(cassandra, "consistent_list_it_" + ProcessHandle.current().pid(), Map.of(
        "tugboat.controllers.run", List.of("namespace"),
        "tugboat.registry.lose-every-nth-change", 3,
        "tugboat.registry.feed-heartbeat", "1h",
        "tugboat.registry.catch-up-after", "0s",
        "tugboat.registry.resync-interval", "0s",
        "tugboat.registry.read-your-writes-timeout", "100ms"));
    api = Api.of(tugboat);
    Await.until("the default namespace", Duration.ofSeconds(60), () -> api.get("/api/v1/namespaces/default").code() == 200);
  }

  @AfterAll
  void stop() {
    if (tugboat != null) tugboat.close();
  }

  @Test
  void aListWithoutAVersionShowsAnAcknowledgedWriteWhoseChangeNeverReachedTheIndex() {
    // Which changes are lost depends on what this member published before (the namespace's own):
    // create until a create's change is lost, seen as a list from the index that lacks it.
    String lost = null;
    Set<String> created = new TreeSet<>();
    for (int i = 0; i < 6 && lost == null; i++) {
      String name = "lost-" + i;
      assertEquals(201, create(name).code());
      created.add(name);
      if (!names(api.get(CONFIGMAPS + "?resourceVersion=0&labelSelector=test%3Dlost").json()).contains(name)) lost = name;
    }
    assertTrue(lost != null, "one of three changes is lost, so one of six creates is missing from the index");
    assertFalse(names(api.get(CONFIGMAPS + "?resourceVersion=0&labelSelector=test%3Dlost").json()).contains(lost),
        "nothing repairs the index by itself here");
    long began = System.nanoTime();
    assertEquals(created, names(api.get(CONFIGMAPS + "?labelSelector=test%3Dlost").json()));
    System.out.printf("ConsistentListIT: a consistent list found the lost change of %s in %.0f ms%n", lost,
        (System.nanoTime() - began) / 1e6);
    assertTrue(names(api.get(CONFIGMAPS + "?resourceVersion=0&labelSelector=test%3Dlost").json()).contains(lost),
        "and the index holds it from then on");
  }

  @Test
  void anExactListAndTheLaterPagesOfAListShowTheObjectsAsTheyWere() {
    for (String name : List.of("page-a", "page-b", "page-c")) assertEquals(201, create(name).code());
    String selector = "&labelSelector=test%3Dpage";
    JsonNode first = api.get(CONFIGMAPS + "?limit=2" + selector).json();
    assertEquals(List.of("page-a", "page-b"), List.copyOf(names(first)));
    String version = first.path("metadata").path("resourceVersion").asText();
    String token = first.path("metadata").path("continue").asText();
    assertEquals(1, first.path("metadata").path("remainingItemCount").asInt());

    // after the first page: one changed, one deleted, one created
    assertEquals(200, api.patch(CONFIGMAPS + "/page-c", "{\"data\":{\"v\":\"changed\"}}", "application/merge-patch+json").code());
    assertEquals(200, api.delete(CONFIGMAPS + "/page-a").code());
    assertEquals(201, create("page-d").code());

    JsonNode second = api.get(CONFIGMAPS + "?limit=2&continue=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + selector).json();
    assertEquals(List.of("page-c"), List.copyOf(names(second)), "page-d came later");
    assertEquals("1", second.path("items").get(0).path("data").path("v").asText(), "page-c as it was at the first page");
    assertEquals(version, second.path("metadata").path("resourceVersion").asText());

    JsonNode exact = api.get(CONFIGMAPS + "?resourceVersion=" + version + "&resourceVersionMatch=Exact" + selector).json();
    assertEquals(Set.of("page-a", "page-b", "page-c"), names(exact));
    JsonNode now = api.get(CONFIGMAPS + "?" + selector.substring(1)).json();
    assertEquals(Set.of("page-b", "page-c", "page-d"), names(now));
    JsonNode notOlder = api.get(CONFIGMAPS + "?resourceVersion=" + version + "&resourceVersionMatch=NotOlderThan" + selector).json();
    assertEquals(Set.of("page-b", "page-c", "page-d"), names(notOlder));
  }

  @Test
  void badVersionParametersAre400sAndAVersionFromTheFutureA504() {
    List<String> refused = new ArrayList<>();
    for (String query : List.of("resourceVersionMatch=Exact", "resourceVersion=0&resourceVersionMatch=Exact",
        "resourceVersion=1&resourceVersionMatch=Newest", "resourceVersion=x", "resourceVersion=1&continue=abc")) {
      Api.Reply r = api.get(CONFIGMAPS + "?" + query);
      assertEquals(400, r.code(), query + ": " + r.body());
      assertEquals("Status", r.json().path("kind").asText());
      refused.add(r.json().path("message").asText());
    }
    assertTrue(refused.get(0).startsWith("resourceVersionMatch: Forbidden"), refused.get(0));
    Api.Reply future = api.get(CONFIGMAPS + "?resourceVersion=" + (ResourceVersionClock.now() + 3_600_000_000L));
    assertEquals(504, future.code(), future.body());
    assertTrue(future.json().path("message").asText().startsWith("Too large resource version"), future.body());
    Api.Reply tooOld = api.get(CONFIGMAPS + "?resourceVersion=1&resourceVersionMatch=Exact");
    assertEquals(410, tooOld.code(), tooOld.body());
    assertEquals(200, api.get(CONFIGMAPS).code(), "the index serves on");
  }

  private Api.Reply create(String name) {
    String label = name.substring(0, name.indexOf('-'));
    Api.Reply r = api.post(CONFIGMAPS, """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s","labels":{"test":"%s"}},"data":{"v":"1"}}"""
        .formatted(name, label));
    assertEquals(201, r.code(), r.body());
    return r;
  }

  private static Set<String> names(JsonNode list) {
    Set<String> names = new TreeSet<>();
    list.path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
    return names;
  }
}
