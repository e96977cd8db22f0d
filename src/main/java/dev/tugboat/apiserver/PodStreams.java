package dev.tugboat.apiserver;

import dev.tugboat.apiserver.stream.ChannelPortForward;
import dev.tugboat.apiserver.stream.ChannelProtocol;
import dev.tugboat.apiserver.stream.PortDialer;
import dev.tugboat.apiserver.stream.RemoteCommand;
import dev.tugboat.apiserver.stream.SpdyPortForward;
import dev.tugboat.model.Codec;
import dev.tugboat.model.Pod;
import dev.tugboat.model.Status;
import dev.tugboat.protocol.NodeStreams;
import dev.tugboat.registry.Result;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.Query;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.apache.pekko.util.ByteString;
import org.reactivestreams.Subscriber;

/**
 * {@code pods/exec}, {@code pods/attach} and {@code pods/portforward}: checks the request as
 * kube-apiserver does (the pod, its container, its node; a 4xx {@code Status} before any upgrade),
 * then upgrades to a WebSocket and relays to the agent of the pod's node, found through the
 * receptionist on whichever member it runs ({@link NodeStreams}). The API server never touches the
 * container runtime.
 *
 * <p>Served: exec and attach over {@code v5.channel.k8s.io} (kubectl 1.30+), {@code v4.channel.k8s.io}
 * and its base64 variant; port-forward as SPDY/3.1 tunnelled through a WebSocket (kubectl 1.31+) and
 * over {@code v4.channel.k8s.io} with {@code ?ports=}. Not served: SPDY as an HTTP upgrade of its
 * own, the only way of kubectl up to 1.29 (1.20 here): Pekko HTTP upgrades a connection to
 * WebSocket only. Such a client gets a 400 saying which kubectl works, after the same checks as a
 * WebSocket client, so that a newer kubectl falling back to SPDY after a refused WebSocket still
 * learns the real reason.
 */
final class PodStreams {
  private static final Duration ASK = Duration.ofSeconds(10);
  /** The streaming subresources of pods. */
  static final java.util.Set<String> SUBRESOURCES = java.util.Set.of("exec", "attach", "portforward");

  private PodStreams() {}

  /** How the client asked to upgrade the connection. */
  private enum Upgrade { WEBSOCKET, SPDY, NONE }

  static CompletionStage<HttpResponse> handle(ResourceHandler h, HttpRequest request, ApiPath path) {
    String method = request.method().value();
    String resource = "pods/" + path.subresource();
    if (!method.equals("GET") && !method.equals("POST")) return ResourceHandler.done(Status.methodNotAllowed(method, resource));
    Query query = request.getUri().query();
    return h.registry().get("Pod", path.namespace(), path.name()).thenCompose(r -> {
      if (r instanceof Result.Failed f) return ResourceHandler.done(f.status());
      Pod pod = Codec.convert(((Result.Ok) r).object(), Pod.class);
      return "portforward".equals(path.subresource())
          ? portForward(h, request, pod, query)
          : remoteCommand(h, request, path.subresource(), pod, query);
    });
  }

  // ---- exec and attach -------------------------------------------------------------------------

  private static CompletionStage<HttpResponse> remoteCommand(ResourceHandler h, HttpRequest request, String subresource,
      Pod pod, Query query) {
    boolean exec = "exec".equals(subresource);
    List<String> command = all(request, "command");
    boolean tty = flag(query, "tty");
    NodeStreams.Streams streams = new NodeStreams.Streams(flag(query, "stdin"), flag(query, "stdout"),
        // The kubelet drops stderr under a terminal: the terminal is both.
        flag(query, "stderr") && !tty, tty);
    if (exec && command.isEmpty()) {
      return ResourceHandler.done(Status.badRequest("you must specify at least one command for the container"));
    }
    if (!streams.stdin() && !streams.stdout() && !streams.stderr()) {
      return ResourceHandler.done(Status.badRequest("you must specify at least 1 of stdin, stdout, stderr"));
    }
    Object checked = container(pod, query.get("container"));
    if (checked instanceof Status s) return ResourceHandler.done(s);
    String container = (String) checked;
    String node = pod.spec().nodeName();
    if (node == null || node.isEmpty()) {
      return ResourceHandler.done(Status.badRequest("pod " + pod.metadata().name() + " does not have a host assigned"));
    }
    NodeStreams.Target target = new NodeStreams.Target(pod.metadata().namespace(), pod.metadata().name(),
        pod.metadata().uid(), container);
    String what = exec ? "command " + command.toString().replace(",", "") + " in container " + container
        : "container " + container;
    return agentOf(h.system(), node).thenCompose(agent -> {
      if (agent.isEmpty()) return ResourceHandler.done(unreachable(node));
      return switch (upgradeOf(request)) {
        case NONE -> ResourceHandler.done(Status.badRequest("Upgrade request required"));
        case SPDY -> ask(h.system(), agent.get(), node, reply -> new NodeStreams.Check(target, reply))
            .thenApply(reply -> reply instanceof NodeStreams.Refused refused ? Responses.status(status(refused))
                : Responses.status(spdyRefused(subresource)));
        case WEBSOCKET -> {
          WebSocketUpgrade upgrade = request.getAttribute(AttributeKeys.webSocketUpgrade).orElseThrow();
          List<String> requested = requestedProtocols(request, upgrade);
          Optional<ChannelProtocol> protocol = ChannelProtocol.choose(requested, ChannelProtocol.REMOTE_COMMAND);
          if (protocol.isEmpty()) {
            yield ResourceHandler.done(Status.badRequest("unable to upgrade: none of the requested subprotocols "
                + requested + " is served; served: " + ChannelProtocol.names(ChannelProtocol.REMOTE_COMMAND)));
          }
          Pair<Subscriber<NodeStreams.Input>, Source<NodeStreams.Input, NotUsed>> input =
              Source.<NodeStreams.Input>asSubscriber().preMaterialize(h.system());
          SourceRef<NodeStreams.Input> inputRef = input.second().runWith(StreamRefs.sourceRef(), h.system());
          Function<ActorRef<NodeStreams.Reply>, NodeStreams.Command> start = exec
              ? reply -> new NodeStreams.Exec(target, command, streams, inputRef, reply)
              : reply -> new NodeStreams.Attach(target, streams, inputRef, reply);
          yield ask(h.system(), agent.get(), node, start).thenApply(reply -> {
            if (reply instanceof NodeStreams.Streaming s) {
              return accept(upgrade, RemoteCommand.flow(protocol.get(), streams,
                  Sink.fromSubscriber(input.first()), s.output().getSource(), what), protocol.get().protocol());
            }
            return Responses.status(status(reply));
          });
        }
      };
    });
  }

  /** The container a request names, or a {@link Status} saying why it cannot be, as kube-apiserver words it. */
  private static Object container(Pod pod, Optional<String> asked) {
    List<String> names = new ArrayList<>(pod.spec().containers().stream().map(Pod.Container::name).toList());
    String name = pod.metadata().name();
    if (asked.isEmpty() || asked.get().isEmpty()) {
      if (names.size() == 1) return names.get(0);
      return Status.badRequest("a container name must be specified for pod " + name + ", choose one of: "
          + names.toString().replace(",", ""));
    }
    if (!names.contains(asked.get())) return Status.badRequest("container " + asked.get() + " is not valid for pod " + name);
    return asked.get();
  }

  // ---- port-forward ----------------------------------------------------------------------------

  private static CompletionStage<HttpResponse> portForward(ResourceHandler h, HttpRequest request, Pod pod, Query query) {
    String node = pod.spec().nodeName();
    if (node == null || node.isEmpty()) {
      return ResourceHandler.done(Status.badRequest("pod " + pod.metadata().name() + " does not have a host assigned"));
    }
    Upgrade kind = upgradeOf(request);
    if (kind == Upgrade.NONE) return ResourceHandler.done(Status.badRequest("Upgrade request required"));
    if (kind == Upgrade.SPDY) return ResourceHandler.done(spdyRefused("portforward"));
    WebSocketUpgrade upgrade = request.getAttribute(AttributeKeys.webSocketUpgrade).orElseThrow();
    List<String> requested = requestedProtocols(request, upgrade);
    boolean tunnel = requested.contains(SpdyPortForward.PROTOCOL);
    Optional<ChannelProtocol> channels = ChannelProtocol.choose(requested, ChannelProtocol.PORT_FORWARD);
    if (!tunnel && channels.isEmpty()) {
      return ResourceHandler.done(Status.badRequest("unable to upgrade: none of the requested subprotocols "
          + requested + " is served; served: " + SpdyPortForward.PROTOCOL + ", "
          + ChannelProtocol.names(ChannelProtocol.PORT_FORWARD)));
    }
    Pair<List<Integer>, String> ports = tunnel ? Pair.create(List.of(), null) : ChannelPortForward.ports(all(request, "ports"));
    if (ports.second() != null) return ResourceHandler.done(Status.badRequest(ports.second()));
    NodeStreams.Target target = new NodeStreams.Target(pod.metadata().namespace(), pod.metadata().name(),
        pod.metadata().uid(), "");
    int maxConnections = h.system().settings().config().getInt("tugboat.api.port-forward.max-connections");
    return agentOf(h.system(), node).thenApply(agent -> {
      if (agent.isEmpty()) return Responses.status(unreachable(node));
      PortDialer dialer = dialer(h.system(), agent.get(), node, target);
      return tunnel
          ? accept(upgrade, new SpdyPortForward(h.system(), dialer, maxConnections).flow(), SpdyPortForward.PROTOCOL)
          : accept(upgrade, ChannelPortForward.flow(h.system(), channels.get(), ports.first(), dialer),
              channels.get().protocol());
    });
  }

  /** Each forwarded connection: the client's bytes go to the node as a stream ref, the pod's come back as one. */
  private static PortDialer dialer(ActorSystem<?> system, ActorRef<NodeStreams.Command> agent, String node,
      NodeStreams.Target target) {
    return (port, fromClient) -> {
      SourceRef<ByteString> input = fromClient.runWith(StreamRefs.sourceRef(), system);
      return ask(system, agent, node, reply -> new NodeStreams.PortForward(target, port, input, reply)).thenCompose(reply -> {
        if (reply instanceof NodeStreams.Connected c) {
          return CompletableFuture.completedFuture(c.output().getSource());
        }
        String message = reply instanceof NodeStreams.Refused r ? r.message() : String.valueOf(reply);
        return CompletableFuture.failedFuture(new PortDialer.Refused(message));
      });
    };
  }

  // ---- common ----------------------------------------------------------------------------------

  /** Every value of {@code name} in the query, in the order sent (a command's arguments keep theirs). */
  private static List<String> all(HttpRequest request, String name) {
    List<String> values = new ArrayList<>();
    String raw = request.getUri().rawQueryString().orElse("");
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (key.equals(name)) values.add(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return values;
  }

  /**
   * The subprotocols the client asked for, in its order. Pekko HTTP models only RFC 6455 tokens, and
   * {@code SPDY/3.1+portforward.k8s.io} is none (the slash), so the raw header is read as well.
   */
  private static List<String> requestedProtocols(HttpRequest request, WebSocketUpgrade upgrade) {
    List<String> protocols = new ArrayList<>();
    upgrade.getRequestedProtocols().forEach(p -> protocols.add(p.trim()));
    for (HttpHeader h : request.getHeaders()) {
      if (h.is("sec-websocket-protocol")) {
        for (String p : h.value().split(",")) {
          if (!p.isBlank() && !protocols.contains(p.trim())) protocols.add(p.trim());
        }
      }
    }
    return protocols;
  }

  /**
   * Upgrades with {@code protocol} as the subprotocol. Pekko refuses to name one it did not parse
   * from the request, so a protocol outside its grammar is named in a header of our own.
   */
  private static HttpResponse accept(WebSocketUpgrade upgrade, org.apache.pekko.stream.javadsl.Flow<
      org.apache.pekko.http.javadsl.model.ws.Message, org.apache.pekko.http.javadsl.model.ws.Message, NotUsed> flow,
      String protocol) {
    boolean parsed = false;
    for (String p : upgrade.getRequestedProtocols()) parsed |= p.trim().equals(protocol);
    if (parsed) return upgrade.handleMessagesWith(flow, protocol);
    return upgrade.handleMessagesWith(flow).addHeader(RawHeader.create("Sec-WebSocket-Protocol", protocol));
  }

  private static boolean flag(Query query, String name) {
    return query.get(name).map(v -> v.equals("true") || v.equals("1")).orElse(false);
  }

  private static Upgrade upgradeOf(HttpRequest request) {
    if (request.getAttribute(AttributeKeys.webSocketUpgrade).isPresent()) return Upgrade.WEBSOCKET;
    boolean spdy = request.getHeader("Upgrade").map(u -> u.value().toLowerCase(Locale.ROOT).contains("spdy")).orElse(false);
    return spdy ? Upgrade.SPDY : Upgrade.NONE;
  }

  /** What a client that speaks only SPDY (kubectl 1.29 and older) is told. */
  private static Status spdyRefused(String subresource) {
    String kubectl = "portforward".equals(subresource) ? "1.31" : "1.30";
    return Status.badRequest("Tugboat serves pods/" + subresource + " over WebSocket only, not as an upgrade to SPDY/3.1: "
        + "use kubectl " + kubectl + " or newer");
  }

  private static Status unreachable(String node) {
    return Status.serviceUnavailable("the node agent of node " + node + " is not reachable");
  }

  private static Status status(NodeStreams.Reply reply) {
    if (!(reply instanceof NodeStreams.Refused r)) return Status.internal("unexpected answer from the node: " + reply);
    return switch (r.reason()) {
      case "NotFound" -> Status.notFound(r.message());
      case "BadRequest" -> Status.badRequest(r.message());
      case "TooManyRequests" -> Status.failure(429, "TooManyRequests", r.message(), null);
      case "Timeout" -> Status.timeout(r.message());
      default -> Status.internal(r.message());
    };
  }

  private static CompletionStage<Optional<ActorRef<NodeStreams.Command>>> agentOf(ActorSystem<?> system, String node) {
    var key = NodeStreams.key(node);
    return AskPattern.<Receptionist.Command, Receptionist.Listing>ask(system.receptionist(),
            reply -> Receptionist.find(key, reply), ASK, system.scheduler())
        .thenApply(listing -> listing.getServiceInstances(key).stream().findFirst());
  }

  /** Asks the agent; no answer in time is a Refused saying so, never an exception to the route. */
  private static CompletionStage<NodeStreams.Reply> ask(ActorSystem<?> system, ActorRef<NodeStreams.Command> agent,
      String node, Function<ActorRef<NodeStreams.Reply>, NodeStreams.Command> message) {
    return AskPattern.<NodeStreams.Command, NodeStreams.Reply>ask(agent, message::apply, ASK, system.scheduler())
        .exceptionally(e -> new NodeStreams.Refused("Timeout", "the node agent of node " + node
            + " did not answer within " + ASK.toSeconds() + "s"));
  }
}
