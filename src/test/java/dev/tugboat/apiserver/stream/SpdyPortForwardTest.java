package dev.tugboat.apiserver.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.SinkQueueWithCancel;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The SPDY port-forward session against a client of this test's own, with dialers that echo or refuse. */
class SpdyPortForwardTest {
  private static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** A client of the session: writes SPDY frames into WebSocket messages, reads the server's back. */
  private static final class Client {
    final SpdyCodec.Writer writer = new SpdyCodec.Writer();
    final SpdyCodec.Reader reader = new SpdyCodec.Reader();
    final SourceQueueWithComplete<Message> out;
    final SinkQueueWithCancel<Message> in;
    final List<SpdyFrame> received = new ArrayList<>();

    Client(PortDialer dialer) {
      Pair<SourceQueueWithComplete<Message>, SinkQueueWithCancel<Message>> wired =
          Source.<Message>queue(16, OverflowStrategy.backpressure())
              .via(new SpdyPortForward(testKit.system(), dialer, 4).flow())
              .toMat(Sink.queue(), Keep.both())
              .run(testKit.system());
      out = wired.first();
      in = wired.second();
    }

    void send(SpdyFrame frame) throws Exception {
      out.offer(BinaryMessage.create(writer.write(frame))).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    SpdyFrame next() throws Exception {
      while (received.isEmpty()) {
        Message m = in.pull().toCompletableFuture().get(5, TimeUnit.SECONDS).orElseThrow();
        received.addAll(reader.feed(m.asBinaryMessage().getStrictData()));
      }
      return received.remove(0);
    }
  }

  private static Map<String, List<String>> headers(String type, String port, String request) {
    Map<String, List<String>> h = new LinkedHashMap<>();
    h.put("streamtype", List.of(type));
    h.put("port", List.of(port));
    if (request != null) h.put("requestid", List.of(request));
    return h;
  }

  private static SpdyFrame data(int stream, String text, boolean fin) {
    return new SpdyFrame.Data(stream, fin, ByteString.fromString(text));
  }

  @Test
  void aConnectionCarriesBytesBothWaysAndEndsWithFins() throws Exception {
    Client c = new Client((port, fromClient) -> CompletableFuture.completedFuture(fromClient.map(b -> b.concat(ByteString.fromString("!")))));
    c.send(new SpdyFrame.SynStream(1, 0, 0, 0, headers("error", "80", "0")));
    assertEquals(new SpdyFrame.SynReply(1, false, Map.of()), c.next());
    c.send(data(1, "", true)); // kubectl closes its side of the error stream at once
    c.send(new SpdyFrame.SynStream(3, 0, 0, 0, headers("data", "80", "0")));
    assertEquals(new SpdyFrame.SynReply(3, false, Map.of()), c.next());
    c.send(data(3, "hello", false));
    assertEquals(data(3, "hello!", false), c.next());
    c.send(data(3, "", true)); // the client's half-close ends the pod's input; the echo then ends
    assertEquals(data(3, "", true), c.next());
    assertEquals(data(1, "", true), c.next());
    c.send(new SpdyFrame.Ping(7));
    assertEquals(new SpdyFrame.Ping(7), c.next());
  }

  @Test
  void aRefusedConnectionSaysWhyOnItsErrorStream() throws Exception {
    String why = "error forwarding port 81 to pod default/web, uid u: dial tcp 10.0.0.1:81: connect: connection refused";
    Client c = new Client((port, fromClient) -> CompletableFuture.failedFuture(new PortDialer.Refused(why)));
    // An old client without request ids: its streams pair by their numbers.
    c.send(new SpdyFrame.SynStream(5, 0, 0, 0, headers("error", "81", null)));
    c.send(new SpdyFrame.SynStream(7, 0, 0, 0, headers("data", "81", null)));
    assertEquals(new SpdyFrame.SynReply(5, false, Map.of()), c.next());
    assertEquals(new SpdyFrame.SynReply(7, false, Map.of()), c.next());
    assertEquals(data(5, why, false), c.next());
    assertEquals(data(7, "", true), c.next());
    assertEquals(data(5, "", true), c.next());
  }

  @Test
  void streamsThatMakeNoSenseAreRefused() throws Exception {
    Client c = new Client((port, fromClient) -> CompletableFuture.completedFuture(fromClient));
    c.send(new SpdyFrame.SynStream(1, 0, 0, 0, headers("error", "eighty", "0")));
    assertEquals(new SpdyFrame.RstStream(1, SpdyFrame.REFUSED_STREAM), c.next());
    c.send(new SpdyFrame.SynStream(3, 0, 0, 0, headers("video", "80", "1")));
    assertEquals(new SpdyFrame.RstStream(3, SpdyFrame.REFUSED_STREAM), c.next());
  }

  @Test
  void aClientThatBreaksTheProtocolEndsOnlyItsSession() throws Exception {
    Client c = new Client((port, fromClient) -> CompletableFuture.completedFuture(fromClient));
    c.out.offer(BinaryMessage.create(ByteString.fromArray(new byte[] {(byte) 0x80, 2, 0, 1, 0, 0, 0, 0})));
    // The session ends: the server's side completes.
    assertEquals(java.util.Optional.empty(), c.in.pull().toCompletableFuture().get(5, TimeUnit.SECONDS));
  }
}
