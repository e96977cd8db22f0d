package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * {@code tug}'s HTTP client for the Tugboat API: JSON in and out, every error answer turned into an
 * {@link ApiException} carrying the server's Status message.
 */
final class ApiClient {
  static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http;
  private final String server;
  /** Where the server's Warning headers go (admission's, deprecations', dropped fields'), as kubectl shows them. */
  private java.util.function.Consumer<String> warnings = w -> System.err.println("Warning: " + w);

  ApiClient(String server) {
    this(server, null);
  }

  /** A client of {@code server} over TLS with {@code tls} (its CA, the user's certificate); null: the JDK's defaults. */
  ApiClient(String server, javax.net.ssl.SSLContext tls) {
    this.server = server;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (tls != null) b.sslContext(tls);
    this.http = b.build();
  }

  /** Sends the server's warnings to {@code sink} (one line each, "Warning: " and the text). */
  ApiClient warningsTo(java.io.PrintWriter sink) {
    this.warnings = w -> {
      sink.println("Warning: " + w);
      sink.flush();
    };
    return this;
  }

  /** The text of a Warning header, {@code 299 - "text"} (RFC 7234), as kubectl prints it. */
  static String warningText(String header) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\d{3} \\S+ \"((?:[^\"\\\\]|\\\\.)*)\".*").matcher(header);
    return m.matches() ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : header;
  }

  String server() {
    return server;
  }

  /** The HTTP client, with the TLS credentials of the API (exec and port-forward open WebSockets with it). */
  HttpClient http() {
    return http;
  }

  JsonNode get(String path) {
    return send("GET", path, null, null, "application/json");
  }

  /** GET that answers null for 404 instead of failing. */
  JsonNode find(String path) {
    try {
      return get(path);
    } catch (ApiException e) {
      if (e.code() == 404) return null;
      throw e;
    }
  }

  JsonNode getTable(String path) {
    return send("GET", path, null, null, TABLE);
  }

  JsonNode post(String path, JsonNode body) {
    return send("POST", path, body, "application/json", "application/json");
  }

  JsonNode patch(String path, JsonNode patch, String patchType) {
    return send("PATCH", path, patch, patchType, "application/json");
  }

  JsonNode delete(String path, JsonNode options) {
    return send("DELETE", path, options, "application/json", "application/json");
  }

  JsonNode send(String method, String path, JsonNode body, String contentType, String accept) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).header("Accept", accept)
        .header("User-Agent", "tug");
    if (contentType != null) request.header("Content-Type", contentType);
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(Codec.toJsonBytes(body)));
    HttpResponse<String> response = call(request.build(), HttpResponse.BodyHandlers.ofString());
    response.headers().allValues("Warning").forEach(w -> warnings.accept(warningText(w)));
    if (response.statusCode() >= 400) throw ApiException.of(response.statusCode(), response.body());
    try {
      return Codec.parseTree(response.body().getBytes(StandardCharsets.UTF_8), false);
    } catch (Codec.DecodeException e) {
      throw new CliException("the server answered " + method + " " + path + " with something other than JSON");
    }
  }

  /**
   * Streams the lines of a response (a watch, or a followed log) to {@code line} until the stream
   * ends or {@code line} returns false.
   */
  void stream(String path, String accept, Predicate<String> line) {
    HttpRequest request = HttpRequest.newBuilder(uri(path)).header("Accept", accept).header("User-Agent", "tug").GET().build();
    HttpResponse<InputStream> response = call(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      if (response.statusCode() >= 400) {
        throw ApiException.of(response.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      String l;
      while ((l = reader.readLine()) != null) {
        if (!line.test(l)) return;
      }
    } catch (IOException e) {
      throw new CliException("the stream from " + server + " broke: " + e.getMessage());
    }
  }

  /** Each watch event (type and object) of a JSON-lines watch stream. */
  void watch(String path, String accept, Predicate<ObjectNode> event) {
    stream(path, accept, l -> l.isBlank() || event.test((ObjectNode) Codec.parseTree(l.getBytes(StandardCharsets.UTF_8), false)));
  }

  private <T> HttpResponse<T> call(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (ConnectException e) {
      throw new CliException("cannot reach the Tugboat API at " + server + " (is it running? see `tug up`; or "
          + "point tug at it with --kubeconfig, $KUBECONFIG or --server)");
    } catch (IOException e) {
      throw new CliException("request to " + server + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }

  private URI uri(String path) {
    try {
      return URI.create(server + path);
    } catch (IllegalArgumentException e) {
      throw new CliException("not a valid server URL or path: " + server + path);
    }
  }
}
