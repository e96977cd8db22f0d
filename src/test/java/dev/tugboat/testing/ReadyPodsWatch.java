package dev.tugboat.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How many pods of a label selector are Ready, followed by a watch from a list's resourceVersion on:
 * the fewest seen at any event is what a disruption (a drain under a PodDisruptionBudget) must keep
 * at or above the budget's minimum. Counting at every event, not by polling, so that a dip lasting
 * between two polls still shows. A pod being deleted, or gone, counts as not Ready.
 */
public final class ReadyPodsWatch implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Boolean> readiness = new HashMap<>();
  private final Thread reader;
  private final Stream<String> lines;
  private int fewest;
  private long events;

  /** Lists the pods of {@code labelSelector} (URL-encoded) in {@code namespace}, then watches them. */
  public ReadyPodsWatch(Api api, String namespace, String labelSelector) throws IOException, InterruptedException {
    String path = "/api/v1/namespaces/" + namespace + "/pods?labelSelector=" + labelSelector;
    JsonNode list = api.get(path).json();
    for (JsonNode p : list.path("items")) readiness.put(name(p), ready(p));
    fewest = readyNow();
    HttpResponse<Stream<String>> response = api.client().send(HttpRequest.newBuilder(api.uri(
        path + "&watch=true&resourceVersion=" + list.path("metadata").path("resourceVersion").asText())).build(),
        HttpResponse.BodyHandlers.ofLines());
    if (response.statusCode() != 200) throw new AssertionError("watch refused: " + response.statusCode());
    lines = response.body();
    reader = new Thread(this::read, "ready-pods-watch");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try {
      lines.forEach(line -> {
        JsonNode e;
        try {
          e = JSON.readTree(line);
        } catch (IOException notAnEvent) {
          return; // an empty keep-alive line
        }
        JsonNode p = e.path("object");
        synchronized (this) {
          readiness.put(name(p), !"DELETED".equals(e.path("type").asText()) && ready(p));
          events++;
          fewest = Math.min(fewest, readyNow());
        }
      });
    } catch (RuntimeException closed) {
      // the watch was closed
    }
  }

  private int readyNow() {
    return (int) readiness.values().stream().filter(b -> b).count();
  }

  /** The fewest Ready pods at any moment since the list, that moment included. */
  public synchronized int fewestReady() {
    return fewest;
  }

  /** How many watch events were read: none means the watch saw nothing of what it was to judge. */
  public synchronized long events() {
    return events;
  }

  /** Whether a pod is Ready and not being deleted. */
  public static boolean ready(JsonNode pod) {
    if (pod.path("metadata").has("deletionTimestamp")) return false;
    for (JsonNode c : pod.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) return "True".equals(c.path("status").asText());
    }
    return false;
  }

  private static String name(JsonNode pod) {
    return pod.path("metadata").path("name").asText();
  }

  @Override
  public void close() {
    lines.close();
    reader.interrupt();
  }
}
