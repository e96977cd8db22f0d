package dev.tugboat.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.Holds;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reliability issue's bounds, through the HTTP API of a member with tight limits: the system
 * namespaces stay, grace periods are bounded, a name no object can have spawns no entity, Events
 * expire, requests beyond the in-flight limit and watches beyond a client's limit get 429 with
 * Retry-After, and nothing half-written is left by either.
 */
@ExtendWith(SharedCassandra.class)
class BoundsIT {
  private static final String CONFIGMAPS = "/api/v1/namespaces/default/configmaps";
  private static final String EVENTS = "/api/v1/namespaces/default/events";
  private static Tugboat tugboat;
  private static Api api;

  @BeforeAll
  static void start(EmbeddedCassandra cassandra) {
    tugboat = TestTugboat.start(cassandra, "bounds_" + ProcessHandle.current().pid(), Map.of(
        "tugboat.controllers.run", List.of("namespace", "event-ttl"),
        "tugboat.controllers.event-ttl", "3s",
        "tugboat.api.max-mutating-requests-inflight", 1,
        "tugboat.api.max-watches-per-client", 2));
    api = Api.of(tugboat);
    Await.until("the default namespace", Duration.ofSeconds(60), () -> api.get("/api/v1/namespaces/default").code() == 200);
  }

  @AfterAll
  static void stop() {
    if (tugboat != null) tugboat.close();
  }

  @Test
  void theSystemNamespacesCannotBeDeleted() {
    for (String ns : List.of("default", "kube-system", "kube-public")) {
      Api.Reply r = api.delete("/api/v1/namespaces/" + ns);
      assertEquals(403, r.code(), r.body());
      assertEquals("Forbidden", r.json().path("reason").asText());
      assertEquals("namespaces \"" + ns + "\" is forbidden: this namespace may not be deleted", r.json().path("message").asText());
    }
    JsonNode stays = api.get("/api/v1/namespaces/default").json();
    assertFalse(stays.path("metadata").has("deletionTimestamp"), stays.toString());
    assertEquals(201, api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"bounds-ns\"}}").code());
    assertEquals(200, api.delete("/api/v1/namespaces/bounds-ns").code(), "any other namespace may go");
  }

  @Test
  void gracePeriodsAreBounded() {
    Api.Reply tooLong = api.post("/api/v1/namespaces/default/pods", """
        {"metadata":{"name":"forever"},"spec":{"terminationGracePeriodSeconds":100000000000,
          "containers":[{"name":"c","image":"tugboat/busybox:1.0"}]}}""");
    assertEquals(422, tooLong.code(), tooLong.body());
    assertEquals("spec.terminationGracePeriodSeconds", tooLong.json().at("/details/causes/0/field").asText());
    assertEquals(404, api.get("/api/v1/namespaces/default/pods/forever").code(), "nothing written");

    assertEquals(201, api.post(CONFIGMAPS, "{\"metadata\":{\"name\":\"graceful\"}}").code());
    for (String grace : List.of("9223372036854775807", "31536001")) {
      Api.Reply r = api.delete(CONFIGMAPS + "/graceful?gracePeriodSeconds=" + grace);
      assertEquals(400, r.code(), r.body());
      assertTrue(r.json().path("message").asText().startsWith("gracePeriodSeconds: Invalid value: " + grace), r.body());
    }
    Api.Reply body = api.send(HttpRequest.newBuilder(api.uri(CONFIGMAPS + "/graceful")).header("Content-Type", "application/json")
        .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"kind\":\"DeleteOptions\",\"gracePeriodSeconds\":9223372036854775807}")));
    assertEquals(400, body.code(), body.body());
    assertEquals(200, api.get(CONFIGMAPS + "/graceful").code(), "the object is untouched");
    assertEquals(200, api.delete(CONFIGMAPS + "/graceful?gracePeriodSeconds=31536000").code(), "a year is allowed");
  }

  @Test
  void aNameNoObjectCanHaveSpawnsNoEntity() {
    long before = entities("ConfigMap");
    List<String> impossible = List.of("UPPER", "a..b", "-dash", "dot.", "x".repeat(300), "under_score", "%20");
    for (String name : impossible) {
      for (Api.Reply r : List.of(api.get(CONFIGMAPS + "/" + name), api.delete(CONFIGMAPS + "/" + name),
          api.patch(CONFIGMAPS + "/" + name, "{}", "application/merge-patch+json"))) {
        assertEquals(404, r.code(), name + ": " + r.body());
        assertEquals("NotFound", r.json().path("reason").asText());
      }
    }
    assertEquals(404, api.get("/api/v1/namespaces/NOT_A_NAMESPACE/configmaps/fine").code());
    assertTrue(entities("ConfigMap") <= before, "no entity spawned for names that cannot exist");
  }

  @Test
  void eventsExpireAfterTheirTtl() {
    // Kubernetes' TTL runs from the Event's last write; an old lastTimestamp does not shorten it
    assertEquals(201, api.post(EVENTS, event("an-event", Instant.now().minusSeconds(7200).toString())).code());
    long created = System.nanoTime();
    Holds.during("an Event stays for its TTL (3 s)", Duration.ofSeconds(1),
        () -> api.get(EVENTS + "/an-event").code() == 200 ? null : "gone");
    Await.until("the Event deleted once its TTL has passed", Duration.ofSeconds(30),
        () -> api.get(EVENTS + "/an-event").code() == 404);
    assertTrue(System.nanoTime() - created >= 3_000_000_000L, "not before its TTL");
  }

  @Test
  void mutatingRequestsBeyondTheInFlightLimitGet429WithRetryAfterAndWriteNothing() {
    int n = 40;
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sent.add(api.client().sendAsync(HttpRequest.newBuilder(api.uri(CONFIGMAPS)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"metadata\":{\"name\":\"burst-" + i + "\",\"labels\":{\"burst\":\"yes\"}}}"))
          .build(), HttpResponse.BodyHandlers.ofString()));
    }
    int created = 0;
    int refused = 0;
    for (var f : sent) {
      HttpResponse<String> r = f.join();
      if (r.statusCode() == 201) {
        created++;
      } else {
        assertEquals(429, r.statusCode(), r.body());
        assertEquals("1", r.headers().firstValue("Retry-After").orElse(""), "clients wait this long");
        assertTrue(r.body().contains("\"reason\":\"TooManyRequests\""), r.body());
        refused++;
      }
    }
    assertTrue(refused > 0, "40 creates at once against a limit of 1 in flight: some refused");
    assertEquals(created, api.get(CONFIGMAPS + "?labelSelector=burst%3Dyes").json().path("items").size(),
        "exactly the created ones exist");
    assertEquals(200, api.get(CONFIGMAPS).code(), "reads are not limited by the mutating limit");
  }

  @Test
  void watchesBeyondAClientsLimitGet429UntilOneCloses() throws Exception {
    String watch = CONFIGMAPS + "?watch=true";
    try (Socket first = openWatch(watch, "client-a"); Socket second = openWatch(watch, "client-a")) {
      Api.Reply third = api.send(HttpRequest.newBuilder(api.uri(watch + "&timeoutSeconds=1")).header("User-Agent", "client-a").GET());
      assertEquals(429, third.code(), third.body());
      assertEquals("TooManyRequests", third.json().path("reason").asText());
      openWatch(watch, "client-b").close(); // another client has its own limit
      // The client goes away. A server learns that a quiet connection is gone only when it next
      // writes to it (events here; a bookmark, or the watch's time limit, otherwise), and the first
      // write after the peer closed may still be taken by the kernel (the peer's reset comes back
      // to it): so an event for each look, until a write fails and the slot is freed.
      first.close();
      java.util.concurrent.atomic.AtomicInteger wakes = new java.util.concurrent.atomic.AtomicInteger();
      Await.until("the closed watch's slot freed", Duration.ofSeconds(30), () -> {
        assertEquals(201, api.post(CONFIGMAPS, "{\"metadata\":{\"name\":\"wake-" + wakes.incrementAndGet() + "\"}}").code());
        return api.send(HttpRequest.newBuilder(api.uri(watch + "&timeoutSeconds=1")).header("User-Agent", "client-a").GET())
            .code() == 200;
      });
    }
  }

  /** A watch over a plain socket (closing it is the client vanishing); answers once the 200 arrived. */
  private static Socket openWatch(String path, String userAgent) throws Exception {
    java.net.URI uri = api.uri(path);
    Socket socket = api.socket();
    socket.getOutputStream().write(("GET " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\nHost: "
        + uri.getHost() + "\r\nUser-Agent: " + userAgent + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    socket.setSoTimeout(30_000);
    String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
        .readLine();
    assertEquals("HTTP/1.1 200 OK", status);
    return socket;
  }

  private static long entities(String kind) {
    for (JsonNode k : api.get("/tugboat/v1/cluster").json().path("shards")) {
      if (k.path("kind").asText().equals(kind)) return k.path("entities").asLong();
    }
    throw new AssertionError("no shard stats for " + kind);
  }

  private static String event(String name, String lastTimestamp) {
    return """
        {"apiVersion":"v1","kind":"Event","metadata":{"name":"%s"},
         "involvedObject":{"kind":"Pod","name":"nothing","namespace":"default"},
         "reason":"Test","message":"bounds","type":"Normal","lastTimestamp":"%s","firstTimestamp":"%s"}
        """.formatted(name, lastTimestamp, lastTimestamp);
  }
}
