package dev.tugboat.apiserver.stream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.apache.pekko.util.ByteString;

/**
 * A port-forward session in SPDY/3.1 tunnelled through a WebSocket (subprotocol
 * {@code SPDY/3.1+portforward.k8s.io}), what kubectl 1.31 and newer speak: the WebSocket's binary
 * messages carry the bytes of a SPDY connection, on which this side is the server, as the kubelet
 * is. kube-apiserver itself only relays those bytes to the kubelet; Tugboat serves them here and
 * relays each forwarded connection's bytes to the node.
 *
 * <p>For every local connection the client opens two streams that carry headers {@code streamType}
 * ({@code error} or {@code data}), {@code port} and {@code requestID}. Once both of a request are
 * open the pod's port is dialled; the data stream then carries the connection (a FIN is a
 * half-close), and the error stream carries, if the connection fails, the reason as text, which
 * kubectl prints ("an error occurred forwarding 8080 -> 81: ..."). Both streams end with a FIN when
 * the connection is over.
 *
 * <p>Every frame handler runs in turn on the inbound stream; the bytes that come back from a pod
 * enter one outbound queue, whose single writer keeps the header compression in wire order.
 * spdystream does no flow control, so neither does this: each connection is backpressured end to
 * end through the queue instead.
 */
public final class SpdyPortForward {
  /** The WebSocket subprotocol kubectl asks for. */
  public static final String PROTOCOL = "SPDY/3.1+portforward.k8s.io";
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SpdyPortForward.class);

  private final ActorSystem<?> system;
  private final PortDialer dialer;
  private final int maxConnections;
  private final SpdyCodec.Reader reader = new SpdyCodec.Reader();
  private final SpdyCodec.Writer writer = new SpdyCodec.Writer();
  /** Streams opened but not yet paired, by request id; only the inbound handler touches it. */
  private final Map<String, Half> pending = new HashMap<>();
  /** Open connections by both of their stream ids; only the inbound handler touches it. */
  private final Map<Integer, Connection> byStream = new HashMap<>();
  /** Open connections, for the end of the session (which may come from either side). */
  private final Set<Connection> live = ConcurrentHashMap.newKeySet();
  private SourceQueueWithComplete<SpdyFrame> out;

  /** {@code maxConnections}: forwarded connections open at once through this session. */
  public SpdyPortForward(ActorSystem<?> system, PortDialer dialer, int maxConnections) {
    this.system = system;
    this.dialer = dialer;
    this.maxConnections = maxConnections;
  }

  private record Half(int errorStream, int dataStream, int port) {
    Half with(String type, int stream) {
      return "error".equals(type) ? new Half(stream, dataStream, port) : new Half(errorStream, stream, port);
    }

    boolean complete() {
      return errorStream != 0 && dataStream != 0;
    }
  }

  private final class Connection {
    final int errorStream;
    final int dataStream;
    final int port;
    volatile SourceQueueWithComplete<ByteString> input;
    volatile UniqueKillSwitch output;
    /** Client-bound frames of this connection go out one after another, in this order. */
    private CompletionStage<?> lastOffer = CompletableFuture.completedFuture(null);
    private boolean finished;

    Connection(int errorStream, int dataStream, int port) {
      this.errorStream = errorStream;
      this.dataStream = dataStream;
      this.port = port;
    }

    synchronized CompletionStage<?> send(SpdyFrame frame) {
      lastOffer = lastOffer.handle((r, e) -> null).thenCompose(x -> offer(frame));
      return lastOffer;
    }

    /** The connection is over: the reason (if it failed) on the error stream, then FIN on both. */
    synchronized void finish(String error) {
      if (finished) return;
      finished = true;
      live.remove(this);
      if (error != null) send(new SpdyFrame.Data(errorStream, false, ByteString.fromString(error)));
      send(new SpdyFrame.Data(dataStream, true, ByteString.emptyByteString()));
      send(new SpdyFrame.Data(errorStream, true, ByteString.emptyByteString()));
      SourceQueueWithComplete<ByteString> in = input;
      if (in != null) in.complete();
    }

    /** The client reset the connection, or the session ended: both directions stop now. */
    void abort() {
      SourceQueueWithComplete<ByteString> in = input;
      if (in != null) in.fail(new IllegalStateException("the port-forward client closed the connection"));
      UniqueKillSwitch o = output;
      if (o != null) o.shutdown();
      finish(null);
    }
  }

  /** The WebSocket's handler. */
  public Flow<Message, Message, NotUsed> flow() {
    Pair<SourceQueueWithComplete<SpdyFrame>, Source<SpdyFrame, NotUsed>> queue =
        Source.<SpdyFrame>queue(64, OverflowStrategy.backpressure(), 2 * maxConnections + 8).preMaterialize(system);
    this.out = queue.first();
    Sink<Message, NotUsed> in = Flow.<Message>create()
        .flatMapConcat(m -> Messages.bytes(m, true))
        .mapConcat(this::read)
        .mapAsync(1, this::onFrame)
        .watchTermination((mat, done) -> {
          done.whenComplete((d, e) -> end());
          return mat;
        })
        .to(Sink.ignore());
    Source<Message, NotUsed> outbound = queue.second()
        .map(frame -> (Message) BinaryMessage.create(writer.write(frame)))
        .watchTermination((mat, done) -> {
          done.whenComplete((d, e) -> {
            end();
            writer.close();
          });
          return mat;
        });
    return Flow.fromSinkAndSourceCoupled(in, outbound);
  }

  /**
   * The frames in the client's bytes. A client that breaks the protocol ends its own session as a
   * GOAWAY would (a failure here would travel up the WebSocket as an error, and be logged as one).
   */
  private List<SpdyFrame> read(ByteString bytes) {
    try {
      return reader.feed(bytes);
    } catch (SpdyCodec.ProtocolException e) {
      log.info("a port-forward client broke the SPDY protocol; its session ends: {}", e.getMessage());
      return List.of(new SpdyFrame.GoAway(0, SpdyFrame.PROTOCOL_ERROR));
    }
  }

  /** The session is over (the client went away, or broke the protocol): every connection ends. */
  private void end() {
    new ArrayList<>(live).forEach(Connection::abort);
    out.complete();
  }

  private CompletionStage<?> offer(SpdyFrame frame) {
    return out.offer(frame).handle((r, e) -> Done.getInstance());
  }

  private CompletionStage<?> onFrame(SpdyFrame frame) {
    if (frame instanceof SpdyFrame.SynStream s) return opened(s);
    if (frame instanceof SpdyFrame.Data d) {
      Connection c = byStream.get(d.streamId());
      if (c == null || d.streamId() != c.dataStream) return done(); // the error stream's FIN, or a stream that ended
      CompletionStage<?> offered = d.data().isEmpty() || c.input == null ? done()
          : c.input.offer(d.data()).handle((r, e) -> Done.getInstance());
      if (d.fin()) {
        // The client's half-close: the pod sees the end of its input once what came before is in.
        return offered.thenRun(() -> {
          if (c.input != null) c.input.complete();
        });
      }
      return offered;
    }
    if (frame instanceof SpdyFrame.RstStream r) {
      Connection c = byStream.get(r.streamId());
      if (c != null) {
        byStream.remove(c.dataStream);
        byStream.remove(c.errorStream);
        c.abort();
      }
      pending.values().removeIf(h -> h.errorStream() == r.streamId() || h.dataStream() == r.streamId());
      return done();
    }
    if (frame instanceof SpdyFrame.Ping p) return offer(new SpdyFrame.Ping(p.id()));
    if (frame instanceof SpdyFrame.GoAway) {
      end();
      return done();
    }
    return done();
  }

  private static CompletionStage<?> done() {
    return CompletableFuture.completedFuture(Done.getInstance());
  }

  /** A stream opened by the client: accepted (SYN_REPLY) when its headers make sense, else refused. */
  private CompletionStage<?> opened(SpdyFrame.SynStream s) {
    String type = s.header("streamtype");
    String portHeader = s.header("port");
    int port;
    try {
      port = portHeader == null ? -1 : Integer.parseInt(portHeader.trim());
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (!("error".equals(type) || "data".equals(type)) || port < 1 || port > 65535 || pending.size() >= maxConnections) {
      return offer(new SpdyFrame.RstStream(s.streamId(), SpdyFrame.REFUSED_STREAM));
    }
    String request = s.header("requestid");
    if (request == null) {
      // Clients before the header: their two streams are consecutive, as the kubelet assumes too.
      request = Integer.toString("error".equals(type) ? s.streamId() : s.streamId() - 2);
    }
    CompletionStage<?> reply = offer(new SpdyFrame.SynReply(s.streamId(), false, Map.of()));
    Half half = pending.getOrDefault(request, new Half(0, 0, port)).with(type, s.streamId());
    if (!half.complete()) {
      pending.put(request, half);
      return reply;
    }
    pending.remove(request);
    Connection c = new Connection(half.errorStream(), half.dataStream(), half.port());
    byStream.put(c.errorStream, c);
    byStream.put(c.dataStream, c);
    if (live.size() >= maxConnections) {
      return reply.thenRun(() -> c.finish("too many connections through one port-forward (" + maxConnections + ")"));
    }
    live.add(c);
    return reply.thenRun(() -> dial(c));
  }

  private void dial(Connection c) {
    Pair<SourceQueueWithComplete<ByteString>, Source<ByteString, NotUsed>> in =
        Source.<ByteString>queue(16, OverflowStrategy.backpressure()).preMaterialize(system);
    c.input = in.first();
    dialer.dial(c.port, in.second()).whenComplete((pod, error) -> {
      if (error != null) {
        c.finish(reason(error));
        return;
      }
      Pair<UniqueKillSwitch, CompletionStage<Done>> running = pod
          .viaMat(KillSwitches.single(), Keep.right())
          .mapConcat(bytes -> frames(c.dataStream, bytes))
          .mapAsync(1, c::send)
          .toMat(Sink.ignore(), Keep.both())
          .run(system);
      c.output = running.first();
      running.second().whenComplete((d, e) -> c.finish(e == null ? null
          : "lost the connection to port " + c.port + " of the pod: " + reason(e)));
    });
  }

  /** The pod's bytes as data frames of at most {@link SpdyCodec#MAX_DATA} bytes. */
  private static List<SpdyFrame> frames(int stream, ByteString bytes) {
    List<SpdyFrame> frames = new ArrayList<>();
    for (int i = 0; i < bytes.size(); i += SpdyCodec.MAX_DATA) {
      frames.add(new SpdyFrame.Data(stream, false, bytes.slice(i, Math.min(bytes.size(), i + SpdyCodec.MAX_DATA))));
    }
    return frames;
  }

  private static String reason(Throwable error) {
    Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return String.valueOf(t.getMessage());
  }
}
