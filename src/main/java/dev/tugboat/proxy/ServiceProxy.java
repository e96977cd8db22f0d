package dev.tugboat.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.service.ClusterIpRange;
import dev.tugboat.kinds.service.ServiceAddresses;
import dev.tugboat.model.Defaults;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;

/**
 * kube-proxy for one worker member: a TCP or UDP listener per Service port on each of its addresses
 * ({@link ServiceAddresses}: the cluster IP at the Service's port, the node address at a NodePort,
 * the pod gateway at the pod port), forwarding each connection to a ready endpoint with Pekko
 * Streams TCP (UDP: {@link UdpForwarder}, a session per client), in turn or by client IP.
 *
 * <p>It follows Services, Endpoints and Pods on this member's index, an {@link Informer} each. A pod
 * that starts terminating is dropped from its routes as soon as the proxy sees it, before the
 * Endpoints say so: a deleted pod gets no new connection. Connections already open run to their end.
 */
public final class ServiceProxy {
  private sealed interface Msg {}

  private record Informed(Informer.Event event) implements Msg {}

  private record BindFailed(Listener listener, String why) implements Msg {}

  private enum Tick implements Msg { INSTANCE }

  /** One address, port and protocol (TCP or UDP) the proxy listens on. */
  record Listener(String host, int port, String protocol) {}

  /** A listener's route, and how to stop listening. */
  private record Bound(String route, Runnable unbind) {}

  private final ActorContext<Msg> context;
  private final String nodeName;
  private final String nodeAddress;
  private final String podGateway;
  private final Duration udpIdleTimeout;
  private final Map<String, ObjectNode> services = new HashMap<>();
  private final Map<String, ObjectNode> endpoints = new HashMap<>();
  private final Set<String> terminating = new HashSet<>();
  private final Map<String, Route> routes = new HashMap<>();
  private final Map<Listener, Bound> listeners = new HashMap<>();
  /** Listeners whose bind failed and was reported: retried quietly (another member may hold them). */
  private final Set<Listener> reportedBindFailures = new HashSet<>();

  private ServiceProxy(ActorContext<Msg> context, String nodeName, String nodeAddress, String podGateway,
      Duration udpIdleTimeout) {
    this.context = context;
    this.nodeName = nodeName;
    this.nodeAddress = nodeAddress;
    this.podGateway = podGateway;
    this.udpIdleTimeout = udpIdleTimeout;
  }

  /**
   * @param nodeName this member's node: a NodePort of {@code externalTrafficPolicy: Local} goes only to its endpoints
   * @param nodeAddress where NodePorts listen
   * @param podGateway where pods reach Services (null: pods cannot reach this node)
   * @param clusterIps the cluster IP range, made the host's own here ({@link ClusterIpRoute})
   * @param udpIdleTimeout how long a UDP client's session lasts without a datagram
   */
  public static Behavior<Void> create(Registry registry, String nodeName, String nodeAddress, String podGateway,
      ClusterIpRange clusterIps, Duration resync, Duration udpIdleTimeout) {
    return Behaviors.<Msg>setup(context -> Behaviors.withTimers(timers -> {
      ClusterIpRoute.ensure(clusterIps).ifPresent(why -> context.getLog().error(
          "Service proxy: cluster IPs of {} are not this host's own, so no Service answers at its cluster IP here: {}. "
              + "Run Tugboat as root, add the route by hand, or set tugboat.proxy.cluster-ip-range to 127.16.0.0/12 "
              + "(then pods reach Services only through their environment variables)", clusterIps, why));
      ServiceProxy proxy = new ServiceProxy(context, nodeName, nodeAddress, podGateway, udpIdleTimeout);
      ActorRef<Informer.Event> informed = context.messageAdapter(Informer.Event.class, Informed::new);
      for (String kind : List.of("Service", "Endpoints", "Pod")) {
        context.spawn(Informer.create(registry, Informer.Selection.of(kind), informed),
            kind.toLowerCase() + "-informer");
      }
      timers.startTimerWithFixedDelay(Tick.INSTANCE, resync);
      return Behaviors.receive(Msg.class)
          .onMessage(Informed.class, i -> proxy.onInformed(i.event()))
          .onMessage(BindFailed.class, f -> {
            // Several members on one host share the cluster IPs and pod ports: one of them holds each,
            // the others keep trying, so it is said once.
            if (proxy.reportedBindFailures.add(f.listener())) {
              context.getLog().warn("Service proxy: cannot listen on {}:{}/{} ({}); trying again every resync",
                  f.listener().host(), f.listener().port(), f.listener().protocol(), f.why());
            }
            proxy.listeners.remove(f.listener());
            return Behaviors.same();
          })
          .onMessageEquals(Tick.INSTANCE, () -> {
            proxy.sync(); // binds that failed are tried again
            return Behaviors.same();
          })
          .onSignal(org.apache.pekko.actor.typed.PostStop.class, s -> {
            proxy.listeners.values().forEach(b -> b.unbind().run());
            return Behaviors.same();
          })
          .build();
    })).unsafeCast();
  }

  private Behavior<Msg> onInformed(Informer.Event event) {
    // Synced and Relisted bring nothing to do: the objects they speak of came as changes before them.
    if (!(event instanceof Informer.ObjectEvent change)) return Behaviors.same();
    ObjectNode object = change.object();
    String key = Informer.key(object);
    boolean deleted = change instanceof Informer.Deleted;
    switch (change.kind()) {
      case "Service" -> {
        if (deleted) services.remove(key);
        else services.put(key, object);
      }
      case "Endpoints" -> {
        if (deleted) endpoints.remove(key);
        else endpoints.put(key, object);
      }
      default -> {
        // only a pod's end matters here: its endpoints stop at once
        String uid = object.path("metadata").path("uid").asText();
        if (deleted || object.path("metadata").has("deletionTimestamp")) {
          if (!terminating.add(uid)) return Behaviors.same();
        } else {
          return Behaviors.same();
        }
      }
    }
    sync();
    return Behaviors.same();
  }

  /** Routes from the current Services and Endpoints; listeners bound and unbound to match. */
  private void sync() {
    Map<Listener, String> desired = new HashMap<>();
    Set<String> live = new HashSet<>();
    Map<String, Integer> podPorts;
    for (ObjectNode service : services.values()) {
      String key = Informer.key(service);
      String clusterIp = service.path("spec").path("clusterIP").asText("");
      if (ServiceAddresses.unproxied(service) || clusterIp.isEmpty()) continue;
      podPorts = ServiceAddresses.podPorts(service);
      JsonNode spec = service.path("spec");
      boolean affinity = "ClientIP".equals(spec.path("sessionAffinity").asText());
      long timeout = spec.path("sessionAffinityConfig").path("clientIP").path("timeoutSeconds")
          .asLong(Defaults.DEFAULT_CLIENT_IP_TIMEOUT_SECONDS);
      boolean local = "Local".equals(spec.path("externalTrafficPolicy").asText());
      for (JsonNode port : spec.path("ports")) {
        String protocol = port.path("protocol").asText("TCP");
        if (!protocol.equals("TCP") && !protocol.equals("UDP")) continue; // SCTP is not forwarded
        String portKey = ServiceAddresses.portKey(port);
        String routeKey = key + "/" + portKey;
        live.add(routeKey);
        List<ServiceBackends.Backend> ready = ServiceBackends.ready(endpoints.get(key), port, spec.path("ports").size(), terminating);
        routes.computeIfAbsent(routeKey, k -> new Route(key)).update(ready, affinity, timeout);
        desired.put(new Listener(clusterIp, port.path("port").asInt(), protocol), routeKey);
        int nodePort = port.path("nodePort").asInt(0);
        if (nodePort > 0 && local) {
          // externalTrafficPolicy: Local: the node port sends only to this node's endpoints (none: refused)
          String localKey = routeKey + "/local";
          live.add(localKey);
          routes.computeIfAbsent(localKey, k -> new Route(key)).update(
              ready.stream().filter(b -> nodeName.equals(b.nodeName())).toList(), affinity, timeout);
          desired.put(new Listener(nodeAddress, nodePort, protocol), localKey);
        } else if (nodePort > 0) {
          desired.put(new Listener(nodeAddress, nodePort, protocol), routeKey);
        }
        Integer podPort = podPorts.get(portKey);
        if (podGateway != null && podPort != null) desired.put(new Listener(podGateway, podPort, protocol), routeKey);
      }
    }
    var it = listeners.entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      if (!e.getValue().route().equals(desired.get(e.getKey()))) {
        e.getValue().unbind().run();
        it.remove();
      }
    }
    desired.forEach((listener, routeKey) -> {
      if (!listeners.containsKey(listener)) listeners.put(listener, new Bound(routeKey, bind(listener, routes.get(routeKey))));
    });
    routes.keySet().retainAll(live);
    reportedBindFailures.retainAll(desired.keySet());
    // forget terminated pods no endpoint names any more
    Set<String> named = new HashSet<>();
    endpoints.values().forEach(ep -> ep.path("subsets").forEach(s -> s.path("addresses")
        .forEach(a -> named.add(a.path("targetRef").path("uid").asText()))));
    terminating.retainAll(named);
  }

  /** Listens as {@code listener} says; returns how to stop. A failure comes back as {@link BindFailed}. */
  private Runnable bind(Listener listener, Route route) {
    ActorRef<Msg> self = context.getSelf();
    if (listener.protocol().equals("UDP")) {
      org.apache.pekko.actor.ActorRef forwarder = Adapter.actorOf(context, UdpForwarder.props(
          new InetSocketAddress(listener.host(), listener.port()), route, udpIdleTimeout,
          why -> self.tell(new BindFailed(listener, why))));
      return () -> Adapter.toClassic(context).stop(forwarder);
    }
    CompletionStage<Tcp.ServerBinding> binding = bindTcp(listener, route);
    return () -> binding.thenAccept(Tcp.ServerBinding::unbind);
  }

  private CompletionStage<Tcp.ServerBinding> bindTcp(Listener listener, Route route) {
    ActorSystem<?> system = context.getSystem();
    Tcp tcp = Tcp.get(system);
    CompletionStage<Tcp.ServerBinding> binding = tcp.bind(listener.host(), listener.port())
        .toMat(Sink.foreach(connection -> forward(tcp, system, connection, route)), Keep.left())
        .run(system);
    ActorRef<Msg> self = context.getSelf();
    binding.whenComplete((b, error) -> {
      if (error != null) self.tell(new BindFailed(listener, error.getMessage()));
    });
    return binding;
  }

  private static void forward(Tcp tcp, ActorSystem<?> system, Tcp.IncomingConnection connection, Route route) {
    ServiceBackends.Backend backend = route.choose(connection.remoteAddress().getAddress());
    if (backend == null) {
      ProxyMetrics.rejected(route.service);
      connection.handleWith(Flow.fromSinkAndSource(Sink.ignore(), Source.empty()), system);
      return;
    }
    ProxyMetrics.connection(route.service);
    var in = ProxyMetrics.bytesIn(route.service);
    var out = ProxyMetrics.bytesOut(route.service);
    Flow<ByteString, ByteString, ?> toBackend = Flow.<ByteString>create()
        .map(bytes -> {
          in.inc(bytes.size());
          return bytes;
        })
        .via(tcp.outgoingConnection(backend.host(), backend.port()))
        .map(bytes -> {
          out.inc(bytes.size());
          return bytes;
        });
    connection.handleWith(toBackend, system);
  }
}
