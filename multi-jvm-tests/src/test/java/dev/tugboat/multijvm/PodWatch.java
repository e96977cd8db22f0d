package dev.tugboat.multijvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tugboat.testing.Api;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A watch of pods over the HTTP API, from a list's resourceVersion on: every event it reads, with
 * the moment it was read, kept for the test to count bindings in.
 */
final class PodWatch implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One watch event: when it was read, its type, and the pod's name, uid and {@code spec.nodeName}. */
  record Seen(long atNanos, String type, String name, String uid, String nodeName) {}

  private final List<Seen> seen = new ArrayList<>();
  private final Thread reader;
  private volatile Stream<String> lines;

  PodWatch(Api api, String labelSelector) throws IOException, InterruptedException {
    String path = "/api/v1/namespaces/default/pods?labelSelector=" + labelSelector;
    String from = api.get(path).json().path("metadata").path("resourceVersion").asText();
    HttpResponse<Stream<String>> response = api.client().send(
        HttpRequest.newBuilder(api.uri(path + "&watch=true&resourceVersion=" + from)).build(),
        HttpResponse.BodyHandlers.ofLines());
    if (response.statusCode() != 200) throw new AssertionError("watch refused: " + response.statusCode());
    lines = response.body();
    reader = new Thread(this::read, "pod-watch");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try {
      lines.forEach(line -> {
        try {
          JsonNode e = JSON.readTree(line);
          JsonNode meta = e.path("object").path("metadata");
          Seen s = new Seen(System.nanoTime(), e.path("type").asText(), meta.path("name").asText(),
              meta.path("uid").asText(), e.path("object").path("spec").path("nodeName").asText(""));
          synchronized (seen) {
            seen.add(s);
          }
        } catch (IOException notAnEvent) {
          // an empty keep-alive line
        }
      });
    } catch (RuntimeException closed) {
      // the watch was closed
    }
  }

  List<Seen> seen() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  @Override
  public void close() {
    Stream<String> l = lines;
    if (l != null) l.close();
    reader.interrupt();
  }
}
