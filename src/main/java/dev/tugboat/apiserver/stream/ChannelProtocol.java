package dev.tugboat.apiserver.stream;

import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.util.ByteString;

/**
 * The {@code channel.k8s.io} WebSocket subprotocols of Kubernetes' streams (apimachinery's
 * {@code wsstream}): every message belongs to one channel, named by its first byte; the base64
 * variant sends text, the channel as a digit and the data in base64. For exec and attach the
 * channels are the process's stdin (0), stdout (1), stderr (2), the status (3, a
 * {@code metav1.Status} since v4) and the terminal's size (4); for a port-forward, 2n and 2n+1 are
 * the data and error channels of the n-th port.
 *
 * <p>v5 (KEP-4006) adds {@link #CLOSE}: a message {@code [255, n]} from the client half-closes its
 * channel n, so a process sees the end of its stdin ({@code kubectl cp} into a pod needs it). kubectl
 * 1.30 and newer ask for v5 only.
 */
public enum ChannelProtocol {
  V5("v5.channel.k8s.io", true),
  V4("v4.channel.k8s.io", true),
  V4_BASE64("v4.base64.channel.k8s.io", false);

  public static final int STDIN = 0;
  public static final int STDOUT = 1;
  public static final int STDERR = 2;
  public static final int ERROR = 3;
  public static final int RESIZE = 4;
  /** v5: the client will send nothing more on the channel named by the message's second byte. */
  public static final int CLOSE = 255;

  /** The remote-command subprotocols served, best first. */
  public static final List<ChannelProtocol> REMOTE_COMMAND = List.of(V5, V4, V4_BASE64);
  /** The port-forward subprotocols of the kubelet's WebSocket port-forward. */
  public static final List<ChannelProtocol> PORT_FORWARD = List.of(V4, V4_BASE64);

  private final String protocol;
  private final boolean binary;

  ChannelProtocol(String protocol, boolean binary) {
    this.protocol = protocol;
    this.binary = binary;
  }

  /** The subprotocol's name, as the WebSocket handshake carries it. */
  public String protocol() {
    return protocol;
  }

  /** One message of a channel, as the client reads it. */
  public record Frame(int channel, ByteString data) {}

  /** The first of {@code offered} (the client's order of preference) that is among {@code served}. */
  public static Optional<ChannelProtocol> choose(Iterable<String> offered, List<ChannelProtocol> served) {
    for (String name : offered) {
      for (ChannelProtocol p : served) {
        if (p.protocol.equals(name.trim())) return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The names of {@code protocols}, for messages that say what is served. */
  public static String names(List<ChannelProtocol> protocols) {
    return String.join(", ", protocols.stream().map(ChannelProtocol::protocol).toList());
  }

  public Message encode(int channel, ByteString data) {
    if (binary) return BinaryMessage.create(ByteString.fromArray(new byte[] {(byte) channel}).concat(data));
    return TextMessage.create((char) ('0' + channel) + Base64.getEncoder().encodeToString(data.toArray()));
  }

  /**
   * The channel and data of a whole message's bytes (a text message's for base64); empty for a
   * message that names no channel or is not valid base64, which the server ignores, as
   * Kubernetes' does.
   */
  public Optional<Frame> decode(ByteString message) {
    if (message.isEmpty()) return Optional.empty();
    int first = message.apply(0) & 0xff;
    if (binary) return Optional.of(new Frame(first, message.drop(1)));
    try {
      return Optional.of(new Frame(first - '0', ByteString.fromArray(Base64.getDecoder().decode(message.drop(1).toArray()))));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Whether this protocol's messages are binary (text messages are then not the protocol's). */
  public boolean binary() {
    return binary;
  }

  /** Whether the client can half-close a channel ({@link #CLOSE}). */
  public boolean closes() {
    return this == V5;
  }
}
