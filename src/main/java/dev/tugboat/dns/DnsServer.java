package dev.tugboat.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Framing;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries DNS messages to a {@link Responder} and back: over UDP (a datagram each; one thread
 * receives, answers go out from whichever thread completes them) and over TCP (Pekko Streams,
 * each message behind its two-byte length, several in flight per connection, answered in order).
 */
public final class DnsServer {
  private static final Logger LOG = LoggerFactory.getLogger(DnsServer.class);
  /** Connections open at once; more are closed as they come (each holds a few buffers). */
  static final int MAX_TCP_CONNECTIONS = 256;
  /** A TCP connection with no query for this long is closed (RFC 7766 asks for seconds, not minutes). */
  static final Duration TCP_IDLE = Duration.ofSeconds(10);
  /** Queries of one TCP connection answered at once (pipelining, as RFC 7766 asks). */
  private static final int TCP_PIPELINE = 8;

  /** Answers one message: its response's bytes, or null to send none. Must not fail. */
  @FunctionalInterface
  public interface Responder {
    CompletionStage<byte[]> respond(byte[] message, boolean overTcp);
  }

  private DnsServer() {}

  /** A bound UDP socket and the thread that reads it; {@link #close()} stops both. */
  public static final class UdpListener implements AutoCloseable {
    private final DatagramChannel channel;
    private final Thread reader;

    private UdpListener(DatagramChannel channel, Responder responder) {
      this.channel = channel;
      this.reader = new Thread(() -> read(responder), "dns-udp-" + channel.socket().getLocalSocketAddress());
      reader.setDaemon(true);
      reader.start();
    }

    public InetSocketAddress address() {
      return (InetSocketAddress) channel.socket().getLocalSocketAddress();
    }

    private void read(Responder responder) {
      ByteBuffer buffer = ByteBuffer.allocate(65535);
      while (channel.isOpen()) {
        SocketAddress from;
        byte[] message;
        try {
          buffer.clear();
          from = channel.receive(buffer);
          buffer.flip();
          message = new byte[buffer.remaining()];
          buffer.get(message);
        } catch (ClosedChannelException e) {
          return;
        } catch (IOException | RuntimeException e) {
          LOG.debug("DNS over UDP: receive failed: {}", e.toString());
          continue;
        }
        SocketAddress client = from;
        responder.respond(message, false).whenComplete((reply, error) -> {
          if (reply == null) return;
          try {
            channel.send(ByteBuffer.wrap(reply), client);
          } catch (IOException | RuntimeException e) {
            LOG.debug("DNS over UDP: cannot answer {}: {}", client, e.toString());
          }
        });
      }
    }

    @Override
    public void close() {
      try {
        channel.close();
      } catch (IOException e) {
        // closing: nothing left to do
      }
    }
  }

  /**
   * Binds UDP {@code address}, without SO_REUSEADDR: a second server on the same address and
   * port fails here instead of silently sharing (and splitting) the datagrams.
   *
   * @throws IOException when it cannot be bound (taken, or no such address)
   */
  public static UdpListener bindUdp(InetSocketAddress address, Responder responder) throws IOException {
    DatagramChannel channel = DatagramChannel.open();
    try {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, false);
      channel.bind(address);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return new UdpListener(channel, responder);
  }

  /** Binds TCP {@code address}; the stage fails when it cannot be bound. */
  public static CompletionStage<Tcp.ServerBinding> bindTcp(ActorSystem<?> system, InetSocketAddress address,
      Responder responder) {
    AtomicInteger open = new AtomicInteger();
    return Tcp.get(system).bind(address.getHostString(), address.getPort())
        .toMat(Sink.foreach(connection -> {
          if (open.incrementAndGet() > MAX_TCP_CONNECTIONS) {
            open.decrementAndGet();
            connection.handleWith(Flow.fromSinkAndSource(Sink.ignore(), Source.empty()), system);
            return;
          }
          connection.handleWith(messages(responder).watchTermination((nu, done) -> {
            done.whenComplete((d, e) -> open.decrementAndGet());
            return nu;
          }), system);
        }), Keep.left())
        .run(system);
  }

  /** One TCP connection: length-prefixed messages in, their answers out in the same order. */
  private static Flow<ByteString, ByteString, org.apache.pekko.NotUsed> messages(Responder responder) {
    return Flow.<ByteString>create()
        .via(Framing.lengthField(2, 0, 65535 + 2, ByteOrder.BIG_ENDIAN))
        .mapAsync(TCP_PIPELINE, frame -> responder.respond(frame.drop(2).toArray(), true).thenApply(Optional::ofNullable))
        .filter(Optional::isPresent)
        .map(reply -> {
          byte[] bytes = reply.get();
          return new ByteStringBuilder().putShort(bytes.length, ByteOrder.BIG_ENDIAN).putBytes(bytes).result();
        })
        .idleTimeout(TCP_IDLE)
        // An idle, truncated or broken connection just ends: nothing to report.
        .recoverWithRetries(1, Throwable.class, Source::empty);
  }
}
