package dev.tugboat.apiserver.stream;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.apache.pekko.util.ByteString;

/**
 * The kubelet's WebSocket port-forward ({@code v4.channel.k8s.io}, {@code ?ports=80,443}), which
 * clients other than kubectl use (fabric8, the Python client): one connection per port for the
 * life of the WebSocket; port n's bytes travel on channel 2n, its error message on channel 2n+1, and
 * the server first writes the port (two bytes, little-endian) on both. The WebSocket closes once
 * every connection is over.
 */
public final class ChannelPortForward {
  private ChannelPortForward() {}

  /** The ports of {@code ?ports=}: comma-separated, repeatable; empty with a reason when one is not a port. */
  public static Pair<List<Integer>, String> ports(List<String> values) {
    List<Integer> ports = new ArrayList<>();
    if (values.isEmpty()) return Pair.create(List.of(), "query parameter \"ports\" is required");
    for (String value : values) {
      if (value.isEmpty()) return Pair.create(List.of(), "query parameter \"ports\" cannot be empty");
      for (String p : value.split(",")) {
        try {
          int port = Integer.parseInt(p.trim());
          if (port < 1 || port > 65535) return Pair.create(List.of(), "port \"" + p + "\" must be between 1 and 65535");
          ports.add(port);
        } catch (NumberFormatException e) {
          return Pair.create(List.of(), "unable to parse \"" + p + "\" as a port");
        }
      }
    }
    return Pair.create(ports, null);
  }

  public static Flow<Message, Message, NotUsed> flow(ActorSystem<?> system, ChannelProtocol protocol, List<Integer> ports,
      PortDialer dialer) {
    List<SourceQueueWithComplete<ByteString>> inputs = new ArrayList<>();
    List<Source<Message, NotUsed>> outputs = new ArrayList<>();
    for (int i = 0; i < ports.size(); i++) {
      int port = ports.get(i);
      int data = 2 * i;
      int error = 2 * i + 1;
      Pair<SourceQueueWithComplete<ByteString>, Source<ByteString, NotUsed>> in =
          Source.<ByteString>queue(16, OverflowStrategy.backpressure()).preMaterialize(system);
      inputs.add(in.first());
      ByteString portBytes = ByteString.fromArray(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) port).array());
      Source<Message, NotUsed> pod = Source.completionStageSource(dialer.dial(port, in.second()))
          .map(bytes -> protocol.encode(data, bytes))
          .recover(new PFBuilder<Throwable, Message>()
              .matchAny(e -> protocol.encode(error, ByteString.fromString(reason(e))))
              .build())
          .mapMaterializedValue(m -> NotUsed.getInstance());
      outputs.add(Source.from(List.of(protocol.encode(data, portBytes), protocol.encode(error, portBytes))).concat(pod));
    }
    Sink<Message, NotUsed> inbound = Flow.<Message>create()
        .flatMapConcat(m -> Messages.bytes(m, protocol.binary()))
        .mapConcat(bytes -> protocol.decode(bytes).map(List::of).orElse(List.of()))
        .mapAsync(1, f -> {
          Optional<SourceQueueWithComplete<ByteString>> target = f.channel() % 2 == 0 && f.channel() / 2 < inputs.size()
              ? Optional.of(inputs.get(f.channel() / 2)) : Optional.empty();
          return target.isEmpty() || f.data().isEmpty()
              ? java.util.concurrent.CompletableFuture.completedFuture(null)
              : target.get().offer(f.data()).handle((r, e) -> null);
        })
        .watchTermination((mat, done) -> {
          // The client went away: every connection to the pod ends.
          done.whenComplete((d, e) -> inputs.forEach(SourceQueueWithComplete::complete));
          return mat;
        })
        .to(Sink.ignore());
    Source<Message, NotUsed> outbound = Source.from(IntStream.range(0, outputs.size()).boxed().toList())
        .flatMapMerge(Math.max(1, outputs.size()), outputs::get);
    return Flow.fromSinkAndSourceCoupled(inbound, outbound);
  }

  private static String reason(Throwable error) {
    Throwable t = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
    return String.valueOf(t.getMessage());
  }
}
