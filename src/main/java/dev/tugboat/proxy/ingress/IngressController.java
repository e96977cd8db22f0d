package dev.tugboat.proxy.ingress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.tugboat.kinds.ingress.IngressClassOf;
import dev.tugboat.kinds.ingressclass.IngressClass;
import dev.tugboat.kinds.secret.SecretStrategy;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.KeyManagementException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.http.javadsl.settings.ServerSettings;

/**
 * Tugboat's ingress controller ({@value IngressClass#CONTROLLER}) on one worker member: an HTTP
 * listener and a TLS listener serving the Ingresses of its classes and those without a class, as a
 * reverse proxy to the ready endpoints of their Services ({@link IngressHandler}).
 *
 * <p>It follows Ingresses, IngressClasses, Services, Endpoints, {@code kubernetes.io/tls} Secrets and
 * Pods (their ends: a pod being deleted leaves its routes at once, as in the service proxy; and the
 * addresses of this host's pods, reached directly, see {@link LocalPods}) on this member's index, an
 * {@link Informer} each, and on every change builds the routing table and the TLS bindings anew;
 * requests read whichever is current. A Secret's new version is parsed once and served from the next
 * handshake on.
 *
 * <p>Several members on one host (tests, {@code tug up --workers N}) share an address: the first to
 * bind a port serves it (all route alike), the others say so once and try again every resync, so one
 * takes over within it when the holder stops, as the service proxy does with shared addresses.
 */
public final class IngressController {
  private sealed interface Msg {}

  private record Informed(Informer.Event event) implements Msg {}

  private record BindFailed(int port, String why) implements Msg {}

  private record Bound(int port) implements Msg {}

  private enum Tick implements Msg { INSTANCE }

  /** Rebuild once the changes already in the mailbox are taken in: a relist of thousands of objects is one rebuild. */
  private enum Rebuild implements Msg { INSTANCE }

  private final ActorContext<Msg> context;
  private final IngressSettings settings;
  private final Map<String, ObjectNode> ingresses = new HashMap<>();
  private final Map<String, ObjectNode> classes = new HashMap<>();
  private final Map<String, ObjectNode> services = new HashMap<>();
  private final Map<String, ObjectNode> endpoints = new HashMap<>();
  private final Map<String, ObjectNode> secrets = new HashMap<>();
  private final Set<String> terminating = new HashSet<>();
  /** This host's pods by uid, reached at their pod IP ({@link LocalPods}). */
  private final Map<String, LocalPods.Pod> localPods = new HashMap<>();
  /** Parsed credentials by Secret key; a Secret whose version failed to parse is remembered so it is said once. */
  private final Map<String, TlsCredential> credentials = new HashMap<>();
  private final Map<String, String> unusable = new HashMap<>();
  private final Map<String, AtomicInteger> turns = IngressHandler.newTurns();
  private final SniKeyManager keyManager = new SniKeyManager();
  private final SSLContext sslContext;
  private final ConnectionPoolSettings pool;
  private final ServerSettings serverSettings;
  private volatile RoutingTable table = RoutingTable.EMPTY;
  private final Map<Integer, CompletionStage<ServerBinding>> bindings = new HashMap<>();
  private final Set<Integer> reportedBindFailures = new HashSet<>();
  private boolean rebuildQueued;

  private IngressController(ActorContext<Msg> context, IngressSettings settings) throws GeneralSecurityException {
    this.context = context;
    this.settings = settings;
    this.sslContext = sslContext(keyManager);
    this.pool = ConnectionPoolSettings.create(context.getSystem().classicSystem())
        .withMaxConnections(settings.maxConnectionsPerEndpoint())
        .withMaxOpenRequests(settings.maxOpenRequests())
        // A failed request is tried again by the handler, on another endpoint; the pool would retry the same one.
        .withMaxRetries(0);
    // The API's server settings are pekko.http.server's (a Status for malformed requests, an hour's
    // idle timeout for watches); the ingress listeners have their own over them.
    Config own = ConfigFactory.parseMap(Map.of(
        "pekko.http.server.parsing.error-handler", IngressParseErrors.class.getName(),
        "pekko.http.server.idle-timeout", settings.idleTimeout().toMillis() + "ms"))
        .withFallback(context.getSystem().settings().config());
    this.serverSettings = ServerSettings.create(own).withRemoteAddressAttribute(true);
  }

  public static Behavior<Void> create(Registry registry, IngressSettings settings) {
    return Behaviors.<Msg>setup(context -> Behaviors.withTimers(timers -> {
      IngressController controller = new IngressController(context, settings);
      ActorRef<Informer.Event> informed = context.messageAdapter(Informer.Event.class, Informed::new);
      for (String kind : List.of("Ingress", "IngressClass", "Service", "Endpoints", "Pod")) {
        context.spawn(Informer.create(registry, Informer.Selection.of(kind), informed), kind.toLowerCase() + "-informer");
      }
      // Only TLS Secrets: the others are none of the ingress controller's business.
      context.spawn(Informer.create(registry, Informer.Selection.of("Secret")
          .matching(s -> SecretStrategy.TLS.equals(s.path("type").asText())), informed), "secret-informer");
      timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.resync());
      controller.bind();
      return Behaviors.receive(Msg.class)
          .onMessage(Informed.class, i -> controller.onInformed(i.event()))
          .onMessage(BindFailed.class, f -> {
            if (controller.reportedBindFailures.add(f.port())) {
              context.getLog().warn("Ingress controller: cannot listen on {}:{} ({}); trying again every {}",
                  settings.address(), f.port(), f.why(), settings.resync());
            }
            controller.bindings.remove(f.port());
            return Behaviors.same();
          })
          .onMessage(Bound.class, b -> {
            controller.reportedBindFailures.remove(b.port());
            context.getLog().info("Ingress controller: listening on {}:{}", settings.address(), b.port());
            return Behaviors.same();
          })
          .onMessageEquals(Tick.INSTANCE, () -> {
            controller.bind();
            return Behaviors.same();
          })
          .onMessageEquals(Rebuild.INSTANCE, () -> {
            controller.rebuildQueued = false;
            controller.rebuild();
            return Behaviors.same();
          })
          .onSignal(PostStop.class, s -> {
            controller.bindings.values().forEach(b -> b.thenAccept(ServerBinding::unbind));
            return Behaviors.same();
          })
          .build();
    })).unsafeCast();
  }

  private static SSLContext sslContext(SniKeyManager keyManager) throws NoSuchAlgorithmException, KeyManagementException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(new KeyManager[] {keyManager}, null, null);
    return context;
  }

  private Behavior<Msg> onInformed(Informer.Event event) {
    if (!(event instanceof Informer.ObjectEvent change)) return Behaviors.same();
    ObjectNode object = change.object();
    String key = Informer.key(object);
    boolean deleted = change instanceof Informer.Deleted;
    Map<String, ObjectNode> into = switch (change.kind()) {
      case "Ingress" -> ingresses;
      case "IngressClass" -> classes;
      case "Service" -> services;
      case "Endpoints" -> endpoints;
      case "Secret" -> secrets;
      default -> null;
    };
    if (into == null) {
      // a pod: its end (its endpoints stop at once) and, for a pod of this host, its own address
      String uid = object.path("metadata").path("uid").asText();
      boolean ending = (deleted || object.path("metadata").has("deletionTimestamp")) && terminating.add(uid);
      LocalPods.Pod local = deleted || !settings.podNetwork() ? null : LocalPods.of(object, settings.nodeAddress()).orElse(null);
      LocalPods.Pod before = local == null ? localPods.remove(uid) : localPods.put(uid, local);
      if (!ending && Objects.equals(before, local)) return Behaviors.same();
    } else if (deleted) {
      into.remove(key);
    } else {
      into.put(key, object);
    }
    if (!rebuildQueued) {
      rebuildQueued = true;
      context.getSelf().tell(Rebuild.INSTANCE);
    }
    return Behaviors.same();
  }

  /** The routing table and the TLS bindings from what the informers say now. */
  private void rebuild() {
    List<ObjectNode> served = ingresses.values().stream()
        .filter(i -> !i.path("metadata").has("deletionTimestamp"))
        .filter(i -> IngressClassOf.servedBy(IngressClass.CONTROLLER, i, classes.values()))
        .toList();
    RoutingTable next = RoutingTable.build(served, services, endpoints, terminating, localPods);
    table = next;
    Set<String> upstreams = new HashSet<>();
    next.routes().forEach(r -> upstreams.add(r.upstream().key()));
    turns.keySet().retainAll(upstreams);
    TlsBindings tls = TlsBindings.build(served);
    Map<String, TlsCredential> current = new HashMap<>();
    for (String secretKey : tls.secrets()) {
      TlsCredential credential = credential(secretKey);
      if (credential != null) current.put(secretKey, credential);
    }
    credentials.keySet().retainAll(tls.secrets());
    unusable.keySet().retainAll(tls.secrets());
    keyManager.update(tls, current);
    // forget terminated pods no endpoint names any more
    Set<String> named = new HashSet<>();
    endpoints.values().forEach(ep -> ep.path("subsets").forEach(s -> s.path("addresses")
        .forEach(a -> named.add(a.path("targetRef").path("uid").asText()))));
    terminating.retainAll(named);
  }

  /** The credential of the Secret's current version, parsed once; null when it is missing or unusable. */
  private TlsCredential credential(String secretKey) {
    ObjectNode secret = secrets.get(secretKey);
    if (secret == null) return null;
    String alias = secretKey + "@" + secret.path("metadata").path("resourceVersion").asText("");
    TlsCredential known = credentials.get(secretKey);
    if (known != null && known.alias().equals(alias)) return known;
    if (alias.equals(unusable.get(secretKey))) return null;
    try {
      TlsCredential parsed = TlsCredential.of(secret);
      credentials.put(secretKey, parsed);
      unusable.remove(secretKey);
      return parsed;
    } catch (GeneralSecurityException | RuntimeException e) {
      unusable.put(secretKey, alias);
      credentials.remove(secretKey);
      context.getLog().warn("Ingress controller: Secret {} cannot serve TLS: {}", secretKey, e.getMessage());
      return null;
    }
  }

  /** Binds whichever of the two listeners is not bound (at start, and again every resync). */
  private void bind() {
    if (!bindings.containsKey(settings.httpPort())) bind(settings.httpPort(), false);
    if (settings.httpsPort() > 0 && !bindings.containsKey(settings.httpsPort())) bind(settings.httpsPort(), true);
  }

  private void bind(int port, boolean secure) {
    IngressHandler handler = new IngressHandler(context.getSystem(), pool, () -> table, turns,
        secure ? "https" : "http", port);
    ServerBuilder server = Http.get(context.getSystem()).newServerAt(settings.address(), port).withSettings(serverSettings);
    if (secure) server = server.enableHttps(ConnectionContext.httpsServer(sslContext));
    CompletionStage<ServerBinding> binding = server.bind(handler::handle);
    bindings.put(port, binding);
    ActorRef<Msg> self = context.getSelf();
    binding.whenComplete((b, error) -> self.tell(error != null ? new BindFailed(port, error.getMessage()) : new Bound(port)));
  }
}
