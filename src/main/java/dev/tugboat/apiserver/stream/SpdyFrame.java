package dev.tugboat.apiserver.stream;

import java.util.List;
import java.util.Map;
import org.apache.pekko.util.ByteString;

/**
 * The frames of SPDY/3.1 that Kubernetes' port-forward uses (moby/spdystream, which client-go and
 * the kubelet speak): a client opens streams with SYN_STREAM, the server accepts each with
 * SYN_REPLY, DATA frames carry bytes with FIN as a half-close, RST_STREAM drops a stream, PING is
 * echoed, GOAWAY ends the session. Header names are lower case; a header's values are joined by NUL.
 */
public sealed interface SpdyFrame {

  /** Flags of control and data frames. */
  int FLAG_FIN = 0x01;
  int FLAG_UNIDIRECTIONAL = 0x02;

  /** RST_STREAM status codes used here. */
  int PROTOCOL_ERROR = 1;
  int REFUSED_STREAM = 3;
  int CANCEL = 5;

  record Data(int streamId, boolean fin, ByteString data) implements SpdyFrame {}

  record SynStream(int streamId, int associatedStreamId, int priority, int flags, Map<String, List<String>> headers)
      implements SpdyFrame {
    public boolean fin() {
      return (flags & FLAG_FIN) != 0;
    }

    /** The first value of header {@code name} (lower case), or null. */
    public String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  record SynReply(int streamId, boolean fin, Map<String, List<String>> headers) implements SpdyFrame {}

  record RstStream(int streamId, int status) implements SpdyFrame {}

  record Ping(int id) implements SpdyFrame {}

  record GoAway(int lastGoodStreamId, int status) implements SpdyFrame {}

  /** HEADERS: more headers for a stream (read so that header decompression stays in step; not used). */
  record Headers(int streamId, boolean fin, Map<String, List<String>> headers) implements SpdyFrame {}

  /** SETTINGS, WINDOW_UPDATE and types this server does not know: read and ignored, as the spec allows. */
  record Ignored(int type) implements SpdyFrame {}
}
