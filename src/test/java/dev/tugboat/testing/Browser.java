package dev.tugboat.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium, driven over the DevTools protocol (JSON over a WebSocket, with the
 * JDK's own client): open a page, run JavaScript in it, wait for a condition with a deadline, take
 * a screenshot. Started with a profile of its own and without any network of its own (no updates,
 * no sync), and stopped with everything it started.
 */
public final class Browser implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private Browser(Process process, Path profile, WebSocket socket) {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
  }

  /** A headless Chromium with one blank page, its profile under {@code work}. */
  public static Browser start(Path work) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(Files.createDirectories(work), "chromium-");
    Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        // the API's certificate is from the cluster's own CA, which this profile does not know
        "--ignore-certificate-errors", "--remote-debugging-port=0", "--remote-allow-origins=*",
        "--window-size=1280,900", "--user-data-dir=" + profile, "about:blank")
        .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
    try {
      Path portFile = profile.resolve("DevToolsActivePort");
      Await.until("Chromium's DevTools port", Duration.ofSeconds(60), () -> Files.exists(portFile) && lines(portFile).size() >= 2);
      int port = Integer.parseInt(lines(portFile).get(0).trim());
      HttpClient http = HttpClient.newHttpClient();
      String pages = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      String target = null;
      for (JsonNode page : JSON.readTree(pages)) {
        if (page.path("type").asText().equals("page")) target = page.path("webSocketDebuggerUrl").asText();
      }
      if (target == null) throw new IllegalStateException("Chromium has no page: " + pages);
      Browser[] self = new Browser[1];
      WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(target), new WebSocket.Listener() {
        private final StringBuilder frame = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
          frame.append(data);
          if (last) {
            String text = frame.toString();
            frame.setLength(0);
            try {
              JsonNode message = JSON.readTree(text);
              CompletableFuture<JsonNode> reply = message.has("id") ? self[0].pending.remove(message.path("id").asInt()) : null;
              if (reply != null) reply.complete(message);
            } catch (IOException e) {
              // not a reply of ours
            }
          }
          ws.request(1);
          return null;
        }
      }).get(30, TimeUnit.SECONDS);
      self[0] = new Browser(p, profile, socket);
      return self[0];
    } catch (Exception e) {
      stop(p);
      throw new IllegalStateException("Chromium did not start: " + e.getMessage() + "\n" + log(profile), e);
    }
  }

  /** Sends one DevTools command and returns its result. */
  public JsonNode send(String method, ObjectNode params) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    ObjectNode command = JSON.createObjectNode().put("id", id).put("method", method);
    command.set("params", params == null ? JSON.createObjectNode() : params);
    socket.sendText(command.toString(), true).join();
    try {
      JsonNode answer = reply.get(60, TimeUnit.SECONDS);
      if (answer.has("error")) throw new IllegalStateException(method + ": " + answer.path("error"));
      return answer.path("result");
    } catch (Exception e) {
      throw new IllegalStateException(method + " got no answer: " + e.getMessage(), e);
    }
  }

  /** Opens {@code url} and waits until its document has loaded. */
  public void open(String url) {
    send("Page.navigate", JSON.createObjectNode().put("url", url));
    waitFor("the page at " + url + " to load", Duration.ofSeconds(30), "document.readyState === 'complete'");
  }

  /** The value of a JavaScript expression in the page (a promise is awaited). */
  public JsonNode eval(String expression) {
    JsonNode result = send("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
        .put("returnByValue", true).put("awaitPromise", true));
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException("JavaScript failed: " + expression + "\n" + result.path("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  /** Waits until {@code condition} (JavaScript) is true in the page; on the deadline, fails with the page's text. */
  public void waitFor(String what, Duration timeout, String condition) {
    try {
      Await.until(what, timeout, () -> {
        try {
          return eval("Boolean(" + condition + ")").asBoolean();
        } catch (IllegalStateException navigating) {
          return false; // the page is being replaced; ask again
        }
      });
    } catch (AssertionError timedOut) {
      String text;
      try {
        text = eval("document.body ? document.body.innerText : ''").asText();
      } catch (IllegalStateException e) {
        text = "(unreadable)";
      }
      throw new AssertionError(timedOut.getMessage() + "; the page says:\n" + text, timedOut);
    }
  }

  /** A PNG of the page as it is now. */
  public void screenshot(Path file) throws IOException {
    JsonNode shot = send("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
  }

  @Override
  public void close() {
    socket.abort();
    stop(process);
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind
    }
  }

  private static void stop(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      return List.of();
    }
  }

  private static String log(Path profile) {
    try {
      return Files.readString(profile.resolve("chromium.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
