package dev.tugboat.apiserver;

import dev.tugboat.model.Status;
import dev.tugboat.registry.Majority;
import dev.tugboat.registry.Registry;
import dev.tugboat.security.Authentication;
import dev.tugboat.security.Authenticator;
import dev.tugboat.security.Authorizer;
import dev.tugboat.security.Rbac;
import dev.tugboat.security.RbacAuthorizer;
import dev.tugboat.security.RequestAttributes;
import dev.tugboat.security.UserInfo;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tugboat's HTTP API, shaped like Kubernetes': discovery, the resource paths of every kind, health
 * and metrics. Errors of any kind leave as a {@code Status} body.
 */
public final class ApiServer extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  private static final java.util.Set<String> READ_ONLY = java.util.Set.of("GET", "HEAD", "OPTIONS");

  private final HealthRoutes health;
  private final DiscoveryRoutes discovery;
  private final ResourceHandler resources;
  private final ApiMetrics metrics;
  private final ClusterRoutes cluster;
  private final org.apache.pekko.cluster.typed.Cluster membership;
  private final Reviews reviews;
  private final AccessReviews accessReviews;
  /** Escalation checks of role and binding writes; null unless RBAC decides. */
  private final RbacWrites rbacWrites;
  private final ResourceMetricsApi resourceMetrics;
  private final RequestLimits limits;
  private final Registry registry;

  private final Authentication authentication;
  private final Authorizer authorizer;
  /** Who sent a request, for the handlers behind authorization (escalation checks, reviews). */
  static final AttributeKey<UserInfo> USER = AttributeKey.create("tugboat-user", UserInfo.class);

  private ApiServer(ActorSystem<?> system, Registry registry, long maxBodyBytes, Authentication authentication) {
    this.registry = registry;
    this.authentication = authentication;
    this.discovery = new DiscoveryRoutes(new dev.tugboat.apiserver.openapi.OpenApiDocuments(DiscoveryRoutes.KUBERNETES_VERSION,
        kind -> registry.serves(kind) ? registry.strategy(kind) : null, type -> ServedVersions.of(type).isEmpty()));
    this.health = new HealthRoutes(system);
    this.metrics = new ApiMetrics(system, registry);
    this.cluster = new ClusterRoutes(system);
    this.membership = org.apache.pekko.cluster.typed.Cluster.get(system);
    RequestBodies bodies = new RequestBodies(system, maxBodyBytes);
    var config = system.settings().config().getConfig("tugboat.api");
    this.limits = new RequestLimits(config.getInt("max-requests-inflight"), config.getInt("max-mutating-requests-inflight"),
        config.getInt("max-watches-per-client"));
    this.resources = new ResourceHandler(system, registry, bodies, limits, authentication.serviceAccountTokens());
    Rbac rbac = new Rbac(registry);
    this.authorizer = Authorizer.of(config.getString("authorization-mode"), rbac);
    this.rbacWrites = authorizer.rbac() ? new RbacWrites(registry, rbac, bodies) : null;
    this.reviews = new Reviews(bodies, authentication);
    this.accessReviews = new AccessReviews(bodies, authorizer);
    this.resourceMetrics = new ResourceMetricsApi(system, registry);
  }

  /**
   * Binds the API on {@code host} and {@code port}; larger request bodies get a 413 Status. Resource
   * requests are authenticated by {@code authentication}.
   */
  public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, Registry registry, String host, int port,
      long maxBodyBytes, Authentication authentication) {
    return bind(system, registry, host, port, maxBodyBytes, authentication, Optional.empty());
  }

  /**
   * As {@link #bind(ActorSystem, Registry, String, int, long, Authentication)}, served over HTTPS
   * with {@code tls} when given: the context decides the server certificate and asks clients for
   * theirs (wanted, not needed, so an anonymous client still connects).
   */
  public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, Registry registry, String host, int port,
      long maxBodyBytes, Authentication authentication, Optional<SSLContext> tls) {
    ApiServer server = new ApiServer(system, registry, maxBodyBytes, authentication);
    var at = Http.get(system).newServerAt(host, port);
    if (tls.isPresent()) {
      SSLContext context = tls.get();
      at = at.enableHttps(ConnectionContext.httpsServer(() -> {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setWantClientAuth(true);
        return engine;
      }));
    }
    return at.bind(server.routes());
  }

  Route routes() {
    return handleExceptions(exceptions(), () -> handleRejections(rejections(), () -> concat(
        health.routes(),
        path("metrics", () -> get(() -> onSuccess(metrics.render(), text -> complete(text)))),
        cluster.routes(),
        dashboard(),
        extractRequest(request -> extractUri(uri -> {
          Optional<String> dotSegment = dotSegment(request);
          if (dotSegment.isPresent()) {
            return complete(Responses.status(Status.badRequest("the path may not contain a \"" + dotSegment.get()
                + "\" segment: names may not be \".\" or \"..\"")));
          }
          List<String> segments = segments(uri.path());
          return onSuccess(authentication.authenticateAsync(request), who -> {
            if (who instanceof Authenticator.Refused refused) {
              return complete(Responses.status(Status.unauthorized(refused.reason())));
            }
            UserInfo user = ((Authenticator.Authenticated) who).user();
            RequestAttributes attributes = RequestAttributes.of(request.method().value(), segments, uri.query().toMap());
            return onSuccess(authorize(user, attributes), decision -> {
              if (decision instanceof Status refused) return complete(Responses.status(refused));
              return serve(request.addAttribute(USER, user), segments, user);
            });
          });
        })),
        discovery.routes())));
  }

  /**
   * The web dashboard's files ({@code /dashboard/}), served to anyone: the page asks for a token
   * and calls the API with it, so what it may read and change is decided per request, as for kubectl.
   */
  private Route dashboard() {
    return pathPrefix("dashboard", () -> get(() -> concat(
        pathEnd(() -> redirect(org.apache.pekko.http.javadsl.model.Uri.create("/dashboard/"),
            org.apache.pekko.http.javadsl.model.StatusCodes.MOVED_PERMANENTLY)),
        pathSingleSlash(() -> getFromResource("dashboard/index.html")),
        getFromResourceDirectory("dashboard"))));
  }

  /**
   * Authorization, after authentication and before anything is served: a Status of the refusal
   * (403 with Kubernetes' message, or 503 when RBAC cannot read its roles), or the decision.
   */
  private CompletionStage<Object> authorize(UserInfo user, RequestAttributes attributes) {
    return authorizer.authorize(user, attributes).<Object>thenApply(decision -> decision.allowed() ? decision
            : forbidden(user, attributes))
        .exceptionally(e -> {
          log.warn("Cannot authorize a request: {}", e.getMessage());
          return Status.serviceUnavailable("the request cannot be authorized now: the roles and bindings cannot be read");
        });
  }

  /** Kubernetes' 403: {@code pods is forbidden: User "x" cannot list resource "pods" in API group "" ...}. */
  static Status forbidden(UserInfo user, RequestAttributes attributes) {
    String group = attributes.apiGroup().isEmpty() ? null : attributes.apiGroup();
    return Status.failure(403, "Forbidden", RbacAuthorizer.forbiddenStatusMessage(user, attributes),
        new Status.Details(attributes.name().isEmpty() ? null : attributes.name(), group,
            attributes.resource().isEmpty() ? null : attributes.resource(), null, null, null));
  }

  /** An authorized request: the reviews, resource metrics and resource paths; anything else is rejected (to discovery). */
  private Route serve(HttpRequest request, List<String> segments, UserInfo user) {
    var review = reviews.handle(request, segments, user);
    if (review.isPresent()) return completeWithFuture(review.get());
    var access = accessReviews.handle(request, segments, user);
    if (access.isPresent()) return completeWithFuture(access.get());
    var usage = resourceMetrics.handle(request, segments);
    if (usage.isPresent()) return completeWithFuture(usage.get());
    Optional<ApiPath> target = ApiPath.parse(segments);
    // a kind known but not served by this member (a review kind, a custom kind not yet here) is not a resource path
    if (target.isEmpty() || !registry.serves(target.get().type().kind())) return reject();
    String verb = metrics.verbOf(request, target.get());
    long start = System.nanoTime();
    boolean longRunning = ResourceHandler.longRunning(request, target.get());
    boolean mutating = !READ_ONLY.contains(request.method().value());
    Optional<Runnable> admitted = longRunning ? Optional.of(() -> { }) : limits.admit(mutating);
    Optional<Runnable> permit = admitted.map(release -> {
      if (longRunning) return release;
      Runnable served = ApiMetrics.inflight(mutating); // apiserver_current_inflight_requests
      return () -> {
        served.run();
        release.run();
      };
    });
    if (permit.isEmpty()) {
      metrics.record(verb, target.get().type().plural(), 429, System.nanoTime() - start);
      return complete(Responses.status(RequestLimits.tooManyRequests(
          "the server has received too many requests and has asked us to try again later")));
    }
    if (mutating && Majority.inMinority(membership)) {
      // The Split Brain Resolver is about to down this member, and its shards' leases lapse: a write
      // could only time out here. Reads go on from the index, as kube-apiserver's watch cache serves
      // them while etcd has no quorum.
      permit.get().run();
      metrics.record(verb, target.get().type().plural(), 503, System.nanoTime() - start);
      return complete(Responses.status(Status.serviceUnavailable("this API server's member is cut off from the"
          + " cluster's majority and takes no writes; send them to another member")));
    }
    CompletionStage<HttpResponse> served = rbacWrites != null && RbacWrites.applies(request, target.get())
        ? rbacWrites.handle(request, target.get(), user, checked -> resources.handle(checked, target.get()))
        : resources.handle(request, target.get());
    return completeWithFuture(served.whenComplete((r, e) -> permit.get().run())
        .thenApply(response -> {
          metrics.record(verb, target.get().type().plural(), response.status().intValue(), System.nanoTime() - start);
          return response;
        }));
  }

  /**
   * A "." or ".." segment of the path as the client sent it (also percent-encoded). pekko.http
   * resolves them before the routes see the path, so {@code .../services/%2e%2e} would read the
   * namespace itself: a request for one resource answered with another. Kubernetes refuses such
   * names; so does Tugboat, from the raw request line ({@code raw-request-uri-header}).
   */
  private static Optional<String> dotSegment(HttpRequest request) {
    String raw = request.getHeader("Raw-Request-URI").map(h -> h.value()).orElse("");
    int query = raw.indexOf('?');
    String path = query < 0 ? raw : raw.substring(0, query);
    for (String segment : path.split("/")) {
      String decoded = segment.replace("%2e", ".").replace("%2E", ".");
      if (decoded.equals(".") || decoded.equals("..")) return Optional.of(decoded);
    }
    return Optional.empty();
  }

  private static List<String> segments(String path) {
    return java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty())
        .map(s -> java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8))
        .toList();
  }

  private ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .matchAny(e -> {
          log.error("Unexpected failure serving a request", e);
          return complete(Responses.status(Status.internal("an unexpected error has prevented the request from succeeding: "
              + e.getClass().getSimpleName())));
        })
        .build();
  }

  private RejectionHandler rejections() {
    return RejectionHandler.newBuilder()
        .handleNotFound(complete(Responses.status(Status.notFound("the server could not find the requested resource"))))
        .handleAll(org.apache.pekko.http.javadsl.server.MethodRejection.class, rs ->
            complete(Responses.status(Status.methodNotAllowed("this method", "this path"))))
        .handleAll(org.apache.pekko.http.javadsl.server.Rejection.class, rs ->
            complete(Responses.status(Status.badRequest("the request was rejected: " + rs.get(0)))))
        .build();
  }
}
