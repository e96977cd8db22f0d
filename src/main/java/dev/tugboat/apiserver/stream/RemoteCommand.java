package dev.tugboat.apiserver.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.protocol.NodeStreams;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * An exec or attach over a WebSocket, as kube-apiserver serves {@code pods/exec} to kubectl 1.30+:
 * the client's messages become the process's input (stdin, the close of stdin, terminal sizes), the
 * process's output becomes messages on the stdout and stderr channels, and the end is one
 * {@code metav1.Status} on the status channel, exactly as the kubelet writes it, after which the
 * server closes the connection. kubectl prints "command terminated with exit code N" from it and
 * exits with N.
 */
public final class RemoteCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RemoteCommand() {}

  /**
   * The WebSocket's handler: {@code toProcess} receives the client's input, {@code fromProcess} is
   * the process's output ending with {@link NodeStreams.Exited}. The two sides end together: a
   * client that goes away cancels the output, which ends the process on its node.
   */
  public static Flow<Message, Message, NotUsed> flow(ChannelProtocol protocol, NodeStreams.Streams streams,
      Sink<NodeStreams.Input, ?> toProcess, Source<NodeStreams.Output, ?> fromProcess, String what) {
    Sink<Message, NotUsed> in = Flow.<Message>create()
        .flatMapConcat(m -> Messages.bytes(m, protocol.binary()))
        .mapConcat(bytes -> input(protocol, streams, bytes))
        .to(toProcess);
    // Kubernetes' servers first write an empty message on the lowest channel the client reads, so
    // that a client knows the stream is up before the process says anything.
    int first = streams.stdout() ? ChannelProtocol.STDOUT : streams.stderr() ? ChannelProtocol.STDERR : ChannelProtocol.ERROR;
    Source<Message, NotUsed> out = Source.single(protocol.encode(first, ByteString.emptyByteString()))
        .concat(fromProcess
            .recover(Throwable.class, () -> new NodeStreams.Exited(null, "the stream from the container's node broke"))
            .mapConcat(o -> output(protocol, streams, o, what)));
    return Flow.fromSinkAndSourceCoupled(in, out);
  }

  /** What one client message asks of the process: input, the end of input, or a terminal size. */
  static List<NodeStreams.Input> input(ChannelProtocol protocol, NodeStreams.Streams streams, ByteString bytes) {
    Optional<ChannelProtocol.Frame> frame = protocol.decode(bytes);
    if (frame.isEmpty()) return List.of();
    ChannelProtocol.Frame f = frame.get();
    if (f.channel() == ChannelProtocol.STDIN && streams.stdin() && !f.data().isEmpty()) {
      return List.of(new NodeStreams.Stdin(f.data().toArray()));
    }
    if (f.channel() == ChannelProtocol.RESIZE) {
      return resize(f.data()).map(List::of).orElse(List.of());
    }
    if (f.channel() == ChannelProtocol.CLOSE && protocol.closes() && !f.data().isEmpty()
        && (f.data().apply(0) & 0xff) == ChannelProtocol.STDIN && streams.stdin()) {
      return List.of(new NodeStreams.StdinClosed(true));
    }
    return List.of();
  }

  /** client-go's {@code TerminalSize}: {@code {"Width":80,"Height":24}}; anything else is ignored. */
  private static Optional<NodeStreams.Input> resize(ByteString data) {
    try {
      JsonNode size = JSON.readTree(data.toArray());
      int width = size.path("Width").asInt(0);
      int height = size.path("Height").asInt(0);
      return width > 0 && height > 0 ? Optional.of(new NodeStreams.Resize(width, height)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static List<Message> output(ChannelProtocol protocol, NodeStreams.Streams streams, NodeStreams.Output o,
      String what) {
    if (o instanceof NodeStreams.Stdout s) {
      return streams.stdout() ? List.of(protocol.encode(ChannelProtocol.STDOUT, ByteString.fromArray(s.data()))) : List.of();
    }
    if (o instanceof NodeStreams.Stderr s) {
      // With a terminal the process's stderr is the terminal too; a client that asked for no stderr gets it on stdout.
      int channel = streams.stderr() ? ChannelProtocol.STDERR : ChannelProtocol.STDOUT;
      return streams.stderr() || streams.stdout() ? List.of(protocol.encode(channel, ByteString.fromArray(s.data()))) : List.of();
    }
    NodeStreams.Exited exited = (NodeStreams.Exited) o;
    return List.of(protocol.encode(ChannelProtocol.ERROR, ByteString.fromArray(status(exited, what))));
  }

  /**
   * The kubelet's status for the end of a process: Success; Failure with reason NonZeroExitCode and
   * the code as the message of a cause of type ExitCode; or an InternalError when the stream broke.
   */
  static byte[] status(NodeStreams.Exited exited, String what) {
    ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.putObject("metadata");
    if (exited.error() != null) {
      String message = "error streaming to " + what + ": " + exited.error();
      status.put("status", "Failure").put("message", message).put("reason", "InternalError");
      status.putObject("details").putArray("causes").addObject().put("message", message);
      status.put("code", 500);
    } else if (exited.exitCode() == null || exited.exitCode() == 0) {
      status.put("status", "Success");
    } else {
      status.put("status", "Failure")
          .put("message", "command terminated with non-zero exit code: " + what + " exited with " + exited.exitCode())
          .put("reason", "NonZeroExitCode");
      status.putObject("details").putArray("causes").addObject()
          .put("reason", "ExitCode").put("message", Integer.toString(exited.exitCode()));
    }
    try {
      return JSON.writeValueAsBytes(status);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
