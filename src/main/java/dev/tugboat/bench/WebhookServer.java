package dev.tugboat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.tugboat.security.ClusterCa;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's admission webhooks, an HTTPS server in the load generator's JVM on
 * {@code localhost}: {@code /mutate} adds {@link BenchAdmission#MUTATED} to the Deployment,
 * {@code /allow-1} and {@code /allow-2} allow. Its certificate is issued by a CA of its own, made
 * under {@code dir} (the cluster CA's code, another authority), whose certificate is the webhooks'
 * caBundle. It counts the reviews of each hook and remembers the names of the probes it saw.
 */
final class WebhookServer implements AutoCloseable {
  private final HttpsServer server;
  private final ExecutorService threads;
  private final ClusterCa ca;
  private final Map<String, AtomicLong> reviews = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> probes = new ConcurrentHashMap<>();

  private WebhookServer(Path dir) throws IOException {
    ca = ClusterCa.loadOrCreate(dir, List.of("localhost"));
    server = HttpsServer.create(new InetSocketAddress("localhost", 0), 128);
    server.setHttpsConfigurator(new HttpsConfigurator(ca.serverContext()));
    // As many threads as the API has connections to it at most: a webhook must not queue the load.
    threads = Executors.newFixedThreadPool(16, r -> {
      Thread t = new Thread(r, "bench-webhook");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(threads);
    for (String hook : BenchAdmission.HOOKS) {
      reviews.put(hook, new AtomicLong());
      probes.put(hook, ConcurrentHashMap.newKeySet());
      server.createContext(hook, x -> answer(hook, x));
    }
    server.start();
  }

  /** Starts the server with a CA under {@code dir}. */
  static WebhookServer start(Path dir) {
    try {
      return new WebhookServer(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot start the webhook server", e);
    }
  }

  /** {@code https://localhost:PORT}, which the hooks' paths follow. */
  String baseUrl() {
    return "https://localhost:" + server.getAddress().getPort();
  }

  /** The CA's certificate, PEM: what the webhooks' caBundle carries. */
  String caPem() {
    return ca.caPem();
  }

  /** How many reviews {@code hook} answered. */
  long reviews(String hook) {
    return reviews.get(hook).get();
  }

  /** Whether {@code hook} reviewed the object named {@code name} (names starting with "probe-" are kept). */
  boolean reviewed(String hook, String name) {
    return probes.get(hook).contains(name);
  }

  private void answer(String hook, HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode request = HttpApi.JSON.readTree(exchange.getRequestBody()).path("request");
      String name = request.path("object").path("metadata").path("name").asText();
      if (name.startsWith("probe-")) probes.get(hook).add(name);
      String response = "{\"uid\":" + HttpApi.JSON.valueToTree(request.path("uid").asText()) + ",\"allowed\":true";
      if (hook.equals(BenchAdmission.HOOKS.get(0))) {
        String patch = BenchAdmission.labelPatch(request.path("object"));
        response += ",\"patchType\":\"JSONPatch\",\"patch\":\""
            + Base64.getEncoder().encodeToString(patch.getBytes(StandardCharsets.UTF_8)) + "\"";
      }
      byte[] body = ("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":" + response + "}}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      reviews.get(hook).incrementAndGet();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
