package dev.tugboat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A watch on one collection of the API, read on a thread of its own: each event is handed to the
 * listener with the time it was read ({@link System#nanoTime()}). A watch the server ends is resumed
 * from the last resourceVersion seen, as client-go's reflector does.
 */
public final class Watch implements AutoCloseable {
  /** Receives each ADDED, MODIFIED or DELETED event (bookmarks are skipped). */
  public interface Listener {
    void onEvent(String type, JsonNode object, long receivedNanos);
  }

  private final HttpApi api;
  private final String path;
  private final Listener listener;
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final Thread thread;
  private volatile String resourceVersion;
  private volatile InputStream body;

  private Watch(HttpApi api, String path, String resourceVersion, Listener listener) {
    this.api = api;
    this.path = path;
    this.resourceVersion = resourceVersion;
    this.listener = listener;
    this.thread = new Thread(this::run, "bench-watch " + path);
    thread.setDaemon(true);
  }

  /**
   * Lists {@code path} (so the watch starts where the list ends, and nothing is missed between them)
   * and starts watching it; the listed objects are handed over as ADDED first.
   */
  public static Watch start(HttpApi api, String path, Listener listener) {
    HttpApi.Reply list = api.get(path);
    if (!list.ok()) throw new IllegalStateException("GET " + path + ": " + list.code() + " " + list.body());
    JsonNode json = list.json();
    long now = System.nanoTime();
    for (JsonNode item : json.path("items")) listener.onEvent("ADDED", item, now);
    Watch watch = new Watch(api, path, json.path("metadata").path("resourceVersion").asText(""), listener);
    watch.thread.start();
    return watch;
  }

  private void run() {
    while (open.get()) {
      String separator = path.contains("?") ? "&" : "?";
      HttpRequest request = api.request(path + separator + "watch=true&resourceVersion=" + resourceVersion)
          .timeout(Duration.ofHours(2)).GET().build();
      try {
        HttpResponse<InputStream> response = api.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        body = response.body();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
          String line;
          while (open.get() && (line = lines.readLine()) != null) {
            long received = System.nanoTime();
            if (line.isBlank()) continue;
            JsonNode event = HttpApi.JSON.readTree(line);
            String type = event.path("type").asText();
            JsonNode object = event.path("object");
            String rv = object.path("metadata").path("resourceVersion").asText("");
            if (type.equals("ERROR")) {
              resourceVersion = ""; // too old (410): start again from now
              break;
            }
            if (!rv.isEmpty()) resourceVersion = rv;
            if (!type.equals("BOOKMARK")) listener.onEvent(type, object, received);
          }
        }
      } catch (Exception e) {
        if (!open.get()) return;
        // The server went away (a restart in the scale benchmark): try again shortly.
        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
      }
    }
  }

  @Override
  public void close() {
    open.set(false);
    InputStream in = body;
    if (in != null) {
      try {
        in.close();
      } catch (Exception ignored) {
        // closing is best effort: the thread is a daemon
      }
    }
    thread.interrupt();
  }
}
