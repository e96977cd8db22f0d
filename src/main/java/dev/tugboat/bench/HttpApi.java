package dev.tugboat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small JSON client of the Tugboat API for the benchmarks; every answer is returned, errors too. */
public final class HttpApi {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One answer: its HTTP code and body. */
  public record Reply(int code, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    public boolean ok() {
      return code >= 200 && code < 300;
    }
  }

  private final HttpClient http;
  private final String base;

  public HttpApi(String base) {
    this(base, null);
  }

  /** A client presenting and trusting what {@code tls} holds (null: plain HTTP). */
  public HttpApi(String base, javax.net.ssl.SSLContext tls) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5));
    if (tls != null) b.sslContext(tls);
    this.http = b.build();
  }

  /** The admin of {@code tugboat}, a member in this JVM (over TLS when it serves it). */
  public static HttpApi admin(dev.tugboat.boot.Tugboat tugboat) {
    return new HttpApi(tugboat.apiUrl(), tugboat.tls()
        .map(t -> dev.tugboat.security.ClusterCa.clientContext(t.ca().caPem(), t.ca().admin())).orElse(null));
  }

  /** The admin of the cluster CA in {@code pkiDir}, for a member in another process. */
  public static HttpApi admin(String base, java.nio.file.Path pkiDir) {
    return new HttpApi(base, dev.tugboat.security.ClusterCa.adminContext(pkiDir));
  }

  public String base() {
    return base;
  }

  public HttpClient client() {
    return http;
  }

  public URI uri(String path) {
    return URI.create(base + path);
  }

  public Reply get(String path) {
    return send(request(path).GET().build());
  }

  public Reply post(String path, String json) {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  public Reply patch(String path, String mergePatch) {
    return send(request(path).header("Content-Type", "application/merge-patch+json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(mergePatch)).build());
  }

  public Reply delete(String path) {
    return send(request(path).DELETE().build());
  }

  /** GET of a plain-text path ({@code /readyz}, {@code /metrics}): no JSON Accept header, which would get a 406. */
  public Reply getText(String path) {
    return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).GET().build());
  }

  /** {@link #getText} that answers null instead of throwing while the server is not (yet) there. */
  public Reply tryGetText(String path) {
    try {
      return getText(path);
    } catch (UncheckedIOException e) {
      return null;
    }
  }

  /** GET that answers null instead of throwing while the server is not (yet) there. */
  public Reply tryGet(String path) {
    try {
      return get(path);
    } catch (UncheckedIOException e) {
      return null;
    }
  }

  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).header("Accept", "application/json");
  }

  public Reply send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Reply(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
