package dev.tugboat.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for tests: JSON in, status code and JSON out. */
public final class Api {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client;
  private final String base;

  public Api(String base) {
    this(base, null);
  }

  /**
   * A client of a member started in this JVM, as its admin: over HTTPS with the member's CA and admin
   * certificate when it serves TLS (the default), plain HTTP otherwise.
   */
  public static Api of(dev.tugboat.boot.Tugboat tugboat) {
    return new Api(tugboat.apiUrl(), adminContext(tugboat));
  }

  /**
   * A client of {@code tugboat} that trusts its CA but presents no certificate: anonymous, or whoever
   * its requests' bearer tokens say (a client certificate would win over a token).
   */
  public static Api withoutCertificate(dev.tugboat.boot.Tugboat tugboat) {
    return new Api(tugboat.apiUrl(), tugboat.tls()
        .map(t -> dev.tugboat.security.ClusterCa.clientContext(t.ca().caPem(), null)).orElse(null));
  }

  /** A client of {@code url} as the admin of the cluster CA in {@code pkiDir} (a member in another process). */
  public static Api admin(String url, java.nio.file.Path pkiDir) {
    return new Api(url, dev.tugboat.security.ClusterCa.adminContext(pkiDir));
  }

  /** The admin's TLS context for {@code tugboat}'s API (null when it serves plain HTTP). */
  public static javax.net.ssl.SSLContext adminContext(dev.tugboat.boot.Tugboat tugboat) {
    return tugboat.tls().map(t -> dev.tugboat.security.ClusterCa.clientContext(t.ca().caPem(), t.ca().admin()))
        .orElse(null);
  }

  /** A client of an HTTPS API presenting and trusting what {@code tls} holds (null: plain HTTP, or the JDK's trust). */
  public Api(String base, javax.net.ssl.SSLContext tls) {
    this.base = base;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (tls != null) b.sslContext(tls);
    this.client = b.build();
  }

  /** A response: its code, its body as text, and the body as JSON when it is JSON. */
  public record Reply(int code, String body, HttpResponse<String> raw) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON (" + code + "): " + body, e);
      }
    }

    public String at(String pointer) {
      return json().at(pointer).asText();
    }
  }

  public Reply get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  public Reply post(String path, String body) {
    return post(path, body, "application/json");
  }

  public Reply post(String path, String body, String contentType) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Reply put(String path, String body) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Reply patch(String path, String body, String contentType) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
  }

  public Reply delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  public Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body(), r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpClient client() {
    return client;
  }

  public URI uri(String path) {
    return URI.create(base + path);
  }

  /** How many watches of a kind the server holds open now, from its /metrics. */
  public int openWatches(String kind) {
    return get("/metrics").body().lines()
        .filter(l -> l.startsWith("tugboat_apiserver_open_watches{") && l.contains("\"" + kind + "\""))
        .mapToInt(l -> (int) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }
}
