package dev.tugboat.node;

import com.typesafe.config.Config;
import dev.tugboat.protocol.NodeStreams;
import dev.tugboat.runtime.AttachedStreams;
import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.ContainerRuntime.ContainerInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent's side of {@link NodeStreams}, the kubelet's streaming server: registered under
 * {@link NodeStreams#key} for its node, it runs execs and attaches through the container runtime and
 * opens port-forward connections to the pod's address, each direction a stream ref to the API
 * server that asked. Whatever it starts ends when the client's side goes away: an exec's process is
 * killed, a connection closed.
 *
 * <p>A port-forward connects to the pod's IP on the engine's bridge from this member (the member
 * runs on the node), not to localhost inside the pod's network namespace as the kubelet does:
 * nothing has to be installed in the pod or its sandbox, and the connection is a plain TCP stream
 * with half-close. A server listening only on the pod's loopback is therefore out of reach.
 */
final class NodeStreamServer {
  private static final Logger log = LoggerFactory.getLogger(NodeStreamServer.class);
  private static final String STREAM_DISPATCHER = "tugboat-stream-dispatcher";

  /** {@code tugboat.node.streams}: bounds on what one node serves at once, and how long a connect may take. */
  record Limits(int maxSessions, int maxConnections, Duration connectTimeout) {
    static Limits from(Config config) {
      Config c = config.getConfig("tugboat.node.streams");
      return new Limits(c.getInt("max-sessions"), c.getInt("max-connections"), c.getDuration("connect-timeout"));
    }
  }

  private final String nodeName;
  private final ContainerRuntime runtime;
  private final ActorSystem<?> system;
  private final Limits limits;
  private final Executor blocking;
  private final Executor streams;
  private final AtomicInteger sessions = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();

  private NodeStreamServer(String nodeName, ContainerRuntime runtime, ActorSystem<?> system) {
    this.nodeName = nodeName;
    this.runtime = runtime;
    this.system = system;
    this.limits = Limits.from(system.settings().config());
    this.blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig("tugboat-runtime-dispatcher"));
    this.streams = system.dispatchers().lookup(DispatcherSelector.fromConfig(STREAM_DISPATCHER));
  }

  static Behavior<NodeStreams.Command> create(String nodeName, ContainerRuntime runtime) {
    return Behaviors.setup(context -> {
      context.getSystem().receptionist().tell(Receptionist.register(NodeStreams.key(nodeName), context.getSelf()));
      NodeStreamServer server = new NodeStreamServer(nodeName, runtime, context.getSystem());
      return Behaviors.receive(NodeStreams.Command.class)
          .onMessage(NodeStreams.Command.class, command -> {
            // Every runtime call blocks: none runs on the actor's thread.
            server.blocking.execute(() -> server.serve(command));
            return Behaviors.same();
          })
          .build();
    });
  }

  private void serve(NodeStreams.Command command) {
    if (command instanceof NodeStreams.Check c) {
      c.replyTo().tell(running(c.target())
          .<NodeStreams.Reply>map(info -> new NodeStreams.Ready(info.id()))
          .orElseGet(() -> notRunning(c.target())));
    } else if (command instanceof NodeStreams.Exec e) {
      session(e.target(), e.input(), e.replyTo(), id -> runtime.execStreams(id, e.command(), options(e.streams())));
    } else if (command instanceof NodeStreams.Attach a) {
      session(a.target(), a.input(), a.replyTo(), id -> runtime.attach(id, options(a.streams())));
    } else if (command instanceof NodeStreams.PortForward p) {
      portForward(p);
    }
  }

  private static ContainerRuntime.StreamOptions options(NodeStreams.Streams s) {
    return new ContainerRuntime.StreamOptions(s.stdin(), s.stdout(), s.stderr(), s.tty());
  }

  /** The newest run of the target container, if it runs. */
  private Optional<ContainerInfo> running(NodeStreams.Target t) {
    return runtime.listContainers(Map.of(ContainerRuntime.POD_UID, t.podUid(), ContainerRuntime.CONTAINER, t.container()))
        .stream()
        .filter(c -> !c.isSandbox() && c.state() == ContainerInfo.State.RUNNING)
        .max(Comparator.comparingInt(c -> Integer.parseInt(c.labels().getOrDefault(PodWorker.RESTART_LABEL, "0"))));
  }

  /** The kubelet's words for a container it cannot stream to. */
  private static NodeStreams.Refused notRunning(NodeStreams.Target t) {
    return new NodeStreams.Refused("NotFound", "container not found (\"" + t.container() + "\")");
  }

  private interface Starter {
    AttachedStreams start(String containerId);
  }

  private void session(NodeStreams.Target target, SourceRef<NodeStreams.Input> input,
      ActorRef<NodeStreams.Reply> replyTo, Starter starter) {
    if (sessions.incrementAndGet() > limits.maxSessions()) {
      sessions.decrementAndGet();
      replyTo.tell(new NodeStreams.Refused("TooManyRequests", "node " + nodeName + " already serves "
          + limits.maxSessions() + " exec and attach sessions (tugboat.node.streams.max-sessions)"));
      return;
    }
    AttachedStreams process;
    try {
      Optional<ContainerInfo> container = running(target);
      if (container.isEmpty()) {
        sessions.decrementAndGet();
        replyTo.tell(notRunning(target));
        return;
      }
      process = starter.start(container.get().id());
    } catch (RuntimeException e) {
      sessions.decrementAndGet();
      replyTo.tell(new NodeStreams.Refused("InternalError", "error executing command in container: " + e.getMessage()));
      return;
    }
    SourceRef<NodeStreams.Output> output = output(process)
        .watchTermination((mat, done) -> {
          // Done or cancelled (the client went away): an exec's process must not outlive its stream.
          done.whenComplete((ok, error) -> blocking.execute(() -> {
            process.close();
            sessions.decrementAndGet();
          }));
          return mat;
        })
        .runWith(StreamRefs.sourceRef(), system);
    // A write blocks while the process does not read its input: on a thread of the stream
    // dispatcher, never on the stream's own.
    input.getSource()
        .runWith(Sink.<NodeStreams.Input>foreachAsync(1, in -> CompletableFuture.runAsync(() -> deliver(process, in), streams)),
            system)
        .whenComplete((done, error) -> {
          // A broken input (the API server's member died) ends the session as a vanished client does.
          if (error != null) blocking.execute(process::close);
        });
    replyTo.tell(new NodeStreams.Streaming(output));
  }

  /** The process's output, then how it ended. */
  private static Source<NodeStreams.Output, ?> output(AttachedStreams process) {
    // Reads block: this part runs on a thread of the stream dispatcher, behind an async boundary.
    return Source.<NodeStreams.Output, AttachedStreams>unfoldResource(
            () -> process,
            p -> Optional.ofNullable(p.read()).map(o -> o.stream() == AttachedStreams.Stream.STDERR
                ? new NodeStreams.Stderr(o.data()) : new NodeStreams.Stdout(o.data())),
            p -> {})
        // (unfoldResource would otherwise run on Pekko's blocking-io dispatcher: 16 threads for every stream)
        .withAttributes(ActorAttributes.dispatcher(STREAM_DISPATCHER))
        .concat(Source.lazySingle(() -> (NodeStreams.Output) new NodeStreams.Exited(process.exitCode(), null)))
        .recover(IOException.class, () -> new NodeStreams.Exited(null, "the stream to the container broke"))
        .async(STREAM_DISPATCHER);
  }

  private static void deliver(AttachedStreams process, NodeStreams.Input in) {
    try {
      if (in instanceof NodeStreams.Stdin s) {
        process.write(s.data());
      } else if (in instanceof NodeStreams.StdinClosed) {
        process.closeStdin();
      } else if (in instanceof NodeStreams.Resize r) {
        process.resize(r.width(), r.height());
      }
    } catch (IOException e) {
      // The process closed its input or ended: what the client still types has nowhere to go.
      log.debug("input to a stream dropped: {}", e.getMessage());
    }
  }

  private void portForward(NodeStreams.PortForward p) {
    String prefix = "error forwarding port " + p.port() + " to pod " + p.target().namespace() + "/" + p.target().podName()
        + ", uid " + p.target().podUid() + ": ";
    if (connections.incrementAndGet() > limits.maxConnections()) {
      connections.decrementAndGet();
      p.replyTo().tell(new NodeStreams.Refused("TooManyRequests", prefix + "node " + nodeName + " already forwards "
          + limits.maxConnections() + " connections (tugboat.node.streams.max-connections)"));
      return;
    }
    String ip;
    try {
      ip = podIp(p.target());
    } catch (RuntimeException e) {
      ip = null;
    }
    if (ip == null) {
      connections.decrementAndGet();
      p.replyTo().tell(new NodeStreams.Refused("NotFound", prefix + "the pod's sandbox is not running here"));
      return;
    }
    String address = ip + ":" + p.port();
    var connection = Tcp.get(system).outgoingConnection(new InetSocketAddress(ip, p.port()), Optional.empty(),
        List.of(), true, Optional.of(limits.connectTimeout()), Optional.empty());
    Pair<java.util.concurrent.CompletionStage<Tcp.OutgoingConnection>, SourceRef<ByteString>> started = p.input().getSource()
        .viaMat(connection, Keep.right())
        .watchTermination((connected, done) -> {
          done.whenComplete((ok, error) -> connections.decrementAndGet());
          return connected;
        })
        .toMat(StreamRefs.sourceRef(), Keep.both())
        .run(system);
    SourceRef<ByteString> output = started.second();
    started.first().whenComplete((connected, error) -> {
      if (error == null) {
        p.replyTo().tell(new NodeStreams.Connected(output));
      } else {
        p.replyTo().tell(new NodeStreams.Refused("InternalError", prefix + "dial tcp " + address + ": " + cause(error)));
      }
    });
  }

  /** The pod's address on the engine's network: its sandbox's. */
  private String podIp(NodeStreams.Target t) {
    return runtime.listContainers(Map.of(ContainerRuntime.POD_UID, t.podUid())).stream()
        .filter(c -> c.isSandbox() && c.state() == ContainerInfo.State.RUNNING)
        .findFirst()
        .map(c -> runtime.sandboxIp(c.id()))
        .orElse(null);
  }

  /** Go's words for the usual connect failures, which clients and people recognise. */
  private static String cause(Throwable error) {
    Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    String text = String.valueOf(t.getMessage());
    while (t.getCause() != null) {
      t = t.getCause();
      text = text + " " + t.getMessage();
    }
    if (text.contains("Connection refused")) return "connect: connection refused";
    if (text.contains("timed out") || text.contains("Connect timeout")) return "i/o timeout";
    if (text.contains("No route to host")) return "connect: no route to host";
    return text;
  }
}
