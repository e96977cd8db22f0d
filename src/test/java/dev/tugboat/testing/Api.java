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
  private final javax.net.ssl.SSLContext tls;

  /** A client of a plain-HTTP API; for a member's HTTPS API, {@link #of} (its CA and admin certificate). */
  public Api(String base) {
    this(base, null);
    if (base.startsWith("https:")) {
      throw new IllegalArgumentException("an HTTPS API needs its CA and a credential: Api.of(tugboat), not new Api(url)");
    }
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
    this.tls = tls;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (tls != null) b.sslContext(tls);
    this.client = b.build();
  }

  /**
   * A raw connection to the API, for requests no HTTP client would send: over TLS with this
   * client's credentials when it has them (handshake done), else plain.
   */
  public java.net.Socket socket() throws IOException {
    URI uri = URI.create(base);
    if (tls == null) return new java.net.Socket(uri.getHost(), uri.getPort());
    javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket(uri.getHost(), uri.getPort());
    socket.startHandshake();
    return socket;
  }

  /**
   * One response read from a raw connection: the head, then a body of its Content-Length, or chunks
   * up to the last, or (neither) whatever comes until the server closes. A TLS connection cannot be
   * half-closed to say the request is over, so the reader cannot wait for the end of the stream.
   */
  public static String readResponse(java.io.InputStream in) throws IOException {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    int headEnd = -1;
    while (headEnd < 0) {
      int b = in.read();
      if (b < 0) return all.toString(java.nio.charset.StandardCharsets.UTF_8);
      all.write(b);
      byte[] sofar = all.toByteArray();
      int n = sofar.length;
      if (n >= 4 && sofar[n - 4] == '\r' && sofar[n - 3] == '\n' && sofar[n - 2] == '\r' && sofar[n - 1] == '\n') headEnd = n;
    }
    String head = all.toString(java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
    java.util.regex.Matcher length = java.util.regex.Pattern.compile("\r\ncontent-length:\\s*(\\d+)").matcher(head);
    if (length.find()) {
      all.write(in.readNBytes(Integer.parseInt(length.group(1))));
    } else if (head.contains("\r\ntransfer-encoding: chunked")) {
      while (!all.toString(java.nio.charset.StandardCharsets.ISO_8859_1).endsWith("\r\n0\r\n\r\n")) {
        int b = in.read();
        if (b < 0) break;
        all.write(b);
      }
    } else {
      all.write(in.readAllBytes());
    }
    return all.toString(java.nio.charset.StandardCharsets.UTF_8);
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
