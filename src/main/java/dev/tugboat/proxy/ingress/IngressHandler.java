package dev.tugboat.proxy.ingress;

import dev.tugboat.proxy.ServiceBackends;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Host;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SystemMaterializer;

/**
 * Serves one request on the ingress controller's listeners: finds its route in the current
 * {@link RoutingTable}, picks a ready endpoint in turn, and forwards the request there through
 * Pekko HTTP's client connection pool, the response streaming back as it comes. No route: 404.
 * A route whose Service, port or endpoints are missing: 503 for that route only. An endpoint that
 * cannot be reached: 502, after one more endpoint was tried for a request without a body that may
 * be repeated (GET, HEAD, OPTIONS).
 *
 * <p>The backend sees the client's Host header and request line, plus {@code X-Forwarded-For}
 * (the client's address), {@code -Proto} ({@code http} or {@code https}), {@code -Host} (the Host it
 * asked for) and {@code -Port}, and {@code X-Real-IP}. Forwarded headers the client sent are
 * replaced, not extended: they come from outside, so they are not trusted (as ingress-nginx without
 * {@code use-forwarded-headers}). Hop-by-hop headers are not forwarded either way. WebSocket
 * upgrades go to {@link WebSocketBridge}.
 */
final class IngressHandler {
  /** Hop-by-hop headers (RFC 9110 7.6.1) and those the proxy sets itself. */
  static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "x-forwarded-for",
      "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "x-real-ip");
  private static final Set<String> NOT_RETURNED = Set.of("connection", "keep-alive", "proxy-authenticate",
      "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

  private final ActorSystem<?> system;
  private final Http http;
  private final Materializer materializer;
  private final ConnectionPoolSettings pool;
  private final Supplier<RoutingTable> table;
  private final Map<String, AtomicInteger> turns;
  private final String scheme;
  private final int port;

  /**
   * @param table the current routing table, read per request
   * @param turns the round-robin counters, by upstream (kept across tables; the controller prunes them)
   * @param scheme {@code http} or {@code https}, what X-Forwarded-Proto says
   * @param port the listener's port, what X-Forwarded-Port says
   */
  IngressHandler(ActorSystem<?> system, ConnectionPoolSettings pool, Supplier<RoutingTable> table,
      Map<String, AtomicInteger> turns, String scheme, int port) {
    this.system = system;
    this.http = Http.get(system);
    this.materializer = SystemMaterializer.get(system).materializer();
    this.pool = pool;
    this.table = table;
    this.turns = turns;
    this.scheme = scheme;
    this.port = port;
  }

  /** The round-robin counters of a controller: one per upstream that has been used. */
  static Map<String, AtomicInteger> newTurns() {
    return new ConcurrentHashMap<>();
  }

  /** The response to one request (never a failed stage: failures are answered). */
  CompletionStage<HttpResponse> handle(HttpRequest request) {
    long start = System.nanoTime();
    // As the client wrote it (port and all) for X-Forwarded-Host; normalized for the rules.
    String hostHeader = request.getHeader(Host.class).map(HttpHeader::value).orElse(request.getUri().host().address());
    String host = HostMatch.normalize(hostHeader);
    RoutingTable.Route route = table.get().route(host, request.getUri().path()).orElse(null);
    if (route == null) {
      request.discardEntityBytes(materializer);
      IngressMetrics.request(null, 404, System.nanoTime() - start);
      return CompletableFuture.completedFuture(text(StatusCodes.NOT_FOUND, "404 page not found\n"));
    }
    RoutingTable.Upstream upstream = route.upstream();
    if (upstream.unavailable() != null || upstream.ready().isEmpty()) {
      request.discardEntityBytes(materializer);
      IngressMetrics.request(route, 503, System.nanoTime() - start);
      return CompletableFuture.completedFuture(text(StatusCodes.SERVICE_UNAVAILABLE,
          "503 Service Unavailable: " + (upstream.unavailable() == null ? "no ready endpoints" : upstream.unavailable()) + "\n"));
    }
    List<HttpHeader> forwarded = forwardedHeaders(request, hostHeader);
    ServiceBackends.Backend backend = pick(upstream);
    var upgrade = request.getAttribute(AttributeKeys.webSocketUpgrade);
    if (upgrade.isPresent()) {
      return WebSocketBridge.bridge(http, materializer, upgrade.get(), request, backend, forwarded).thenApply(response -> {
        IngressMetrics.request(route, response.status().intValue(), System.nanoTime() - start);
        return response;
      });
    }
    boolean repeatable = isRepeatable(request);
    return forward(request, forwarded, backend).handle((response, error) -> response)
        .thenCompose(response -> {
          if (response != null || !repeatable || upstream.ready().size() < 2) return CompletableFuture.completedFuture(response);
          return forward(request, forwarded, pick(upstream)).handle((second, error) -> second);
        })
        .thenApply(response -> {
          HttpResponse answer = response != null ? response
              : text(StatusCodes.BAD_GATEWAY, "502 Bad Gateway: the endpoint of " + route.service() + " did not answer\n");
          IngressMetrics.request(route, answer.status().intValue(), System.nanoTime() - start);
          return answer;
        });
  }

  private ServiceBackends.Backend pick(RoutingTable.Upstream upstream) {
    List<ServiceBackends.Backend> ready = upstream.ready();
    AtomicInteger turn = turns.computeIfAbsent(upstream.key(), k -> new AtomicInteger());
    return ready.get(Math.floorMod(turn.getAndIncrement(), ready.size()));
  }

  private CompletionStage<HttpResponse> forward(HttpRequest request, List<HttpHeader> headers, ServiceBackends.Backend to) {
    HttpRequest outgoing = request.withUri(request.getUri().scheme("http").host(to.host()).port(to.port()))
        .withHeaders(headers);
    return http.singleRequest(outgoing, http.defaultClientHttpsContext(), pool, system.classicSystem().log())
        .thenApply(IngressHandler::returned);
  }

  /** The client's headers that go on, and the forwarded ones. */
  private List<HttpHeader> forwardedHeaders(HttpRequest request, String hostHeader) {
    List<HttpHeader> headers = new ArrayList<>();
    for (HttpHeader h : request.getHeaders()) {
      if (h.renderInRequests() && !NOT_FORWARDED.contains(h.lowercaseName())) headers.add(h);
    }
    String client = request.getAttribute(AttributeKeys.remoteAddress).flatMap(RemoteAddress::getAddress)
        .map(a -> a.getHostAddress()).orElse("");
    if (!client.isEmpty()) {
      headers.add(RawHeader.create("X-Forwarded-For", client));
      headers.add(RawHeader.create("X-Real-IP", client));
    }
    headers.add(RawHeader.create("X-Forwarded-Proto", scheme));
    if (!hostHeader.isEmpty()) headers.add(RawHeader.create("X-Forwarded-Host", hostHeader));
    headers.add(RawHeader.create("X-Forwarded-Port", String.valueOf(port)));
    return headers;
  }

  /** The backend's response without its hop-by-hop headers. */
  private static HttpResponse returned(HttpResponse response) {
    List<HttpHeader> headers = new ArrayList<>();
    boolean changed = false;
    for (HttpHeader h : response.getHeaders()) {
      if (NOT_RETURNED.contains(h.lowercaseName())) changed = true;
      else headers.add(h);
    }
    return changed ? response.withHeaders(headers) : response;
  }

  /** May be sent again to another endpoint when the first could not be reached: idempotent and without a body. */
  private static boolean isRepeatable(HttpRequest request) {
    var method = request.method();
    boolean idempotent = method.equals(HttpMethods.GET) || method.equals(HttpMethods.HEAD) || method.equals(HttpMethods.OPTIONS);
    return idempotent && request.entity().isKnownEmpty();
  }

  static HttpResponse text(org.apache.pekko.http.javadsl.model.StatusCode status, String body) {
    return HttpResponse.create().withStatus(status).withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, body));
  }
}
