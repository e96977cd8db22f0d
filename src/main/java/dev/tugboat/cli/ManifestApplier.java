package dev.tugboat.cli;

import dev.tugboat.model.ApiObject;
import dev.tugboat.model.Codec;
import dev.tugboat.model.ResourceType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates the objects of a manifest file through the HTTP API, as a user's client would; an object
 * that exists already is left as it is. (The full three-way {@code tug apply} comes with the CLI.)
 */
final class ManifestApplier {
  private final HttpClient http;
  private final String server;

  ManifestApplier(String server) {
    this(server, null);
  }

  /** A client of {@code server} over TLS with {@code tls} (its CA, the user's certificate); null: the JDK's defaults. */
  ManifestApplier(String server, javax.net.ssl.SSLContext tls) {
    this.server = server;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (tls != null) b.sslContext(tls);
    this.http = b.build();
  }

  /** One line per object: {@code deployment.apps/web created}, or why not. */
  List<String> createAll(Path file) throws IOException, InterruptedException {
    List<String> lines = new ArrayList<>();
    for (ApiObject object : Codec.readManifests(Files.readString(file))) {
      ResourceType type = ResourceType.byKind(object.apiVersion(), object.kind()).orElseThrow();
      String namespace = object.metadata().namespace() == null ? "default" : object.metadata().namespace();
      String prefix = type.group().isEmpty() ? "/api/v1" : "/apis/" + type.apiVersion();
      String path = prefix + (type.namespaced() ? "/namespaces/" + namespace : "") + "/" + type.plural();
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server + path))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(Codec.toJson(object))).build(),
          HttpResponse.BodyHandlers.ofString());
      String id = type.kind().toLowerCase() + (type.group().isEmpty() ? "" : "." + type.group()) + "/" + object.metadata().name();
      lines.add(switch (response.statusCode()) {
        case 201 -> id + " created";
        case 409 -> id + " exists, left as it is";
        default -> id + " not created: " + Codec.parseTree(response.body().getBytes(), false).path("message").asText();
      });
    }
    return lines;
  }
}
