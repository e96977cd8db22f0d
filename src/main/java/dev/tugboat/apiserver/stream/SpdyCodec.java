package dev.tugboat.apiserver.stream;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.apache.pekko.util.ByteString;

/**
 * SPDY/3.1 framing (draft-mbelshe-httpbis-spdy-00, as moby/spdystream implements it): the byte layout
 * of the frames of {@link SpdyFrame}, and the compression of header blocks, which is one zlib
 * stream per direction for the whole connection, primed with the dictionary of the SPDY/3 spec and
 * flushed (SYNC_FLUSH) at the end of every block. A reader and a writer each keep their direction's
 * zlib state, so each must see every frame of its direction, in order.
 */
public final class SpdyCodec {
  static final int VERSION = 3;
  static final int SYN_STREAM = 1;
  static final int SYN_REPLY = 2;
  static final int RST_STREAM = 3;
  static final int SETTINGS = 4;
  static final int PING = 6;
  static final int GOAWAY = 7;
  static final int HEADERS = 8;
  static final int WINDOW_UPDATE = 9;

  /** A frame's length field has 24 bits; a port-forward never needs more than this per data frame. */
  static final int MAX_DATA = 32 * 1024;
  /** Headers of a port-forward stream are a few dozen bytes: more is an attack or a bug. */
  private static final int MAX_HEADER_BLOCK = 64 * 1024;

  private SpdyCodec() {}

  /** The client broke the protocol: the session ends. */
  public static final class ProtocolException extends RuntimeException {
    ProtocolException(String message) {
      super(message);
    }
  }

  /**
   * The zlib dictionary of SPDY/3 header compression (section 2.6.10.1): the length-prefixed words
   * below, then the text that follows them. Its Adler-32 (0xe3c6a7c2) is the dictionary id the
   * compressed stream carries, which a Go peer checks.
   */
  static final byte[] DICTIONARY = dictionary();

  private static byte[] dictionary() {
    String[] words = {"options", "head", "post", "put", "delete", "trace", "accept", "accept-charset", "accept-encoding",
        "accept-language", "accept-ranges", "age", "allow", "authorization", "cache-control", "connection",
        "content-base", "content-encoding", "content-language", "content-length", "content-location", "content-md5",
        "content-range", "content-type", "date", "etag", "expect", "expires", "from", "host", "if-match",
        "if-modified-since", "if-none-match", "if-range", "if-unmodified-since", "last-modified", "location",
        "max-forwards", "pragma", "proxy-authenticate", "proxy-authorization", "range", "referer", "retry-after",
        "server", "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "vary", "via", "warning",
        "www-authenticate", "method", "get", "status", "200 OK", "version", "HTTP/1.1", "url", "public", "set-cookie",
        "keep-alive", "origin"};
    String tail = "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505"
        + "203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized"
        + "403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable"
        + "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT"
        + "chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,"
        + "text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String w : words) {
      byte[] b = w.getBytes(StandardCharsets.US_ASCII);
      out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
      out.writeBytes(b);
    }
    out.writeBytes(tail.getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** Reads the frames of one direction from its bytes, however they are split into messages. */
  public static final class Reader {
    private final Inflater inflater = new Inflater();
    private ByteString pending = ByteString.emptyByteString();

    /** The whole frames completed by {@code bytes}; a partial frame waits for the next bytes. */
    public List<SpdyFrame> feed(ByteString bytes) {
      pending = pending.concat(bytes);
      List<SpdyFrame> frames = new ArrayList<>();
      while (pending.size() >= 8) {
        ByteBuffer head = pending.take(8).asByteBuffer().order(ByteOrder.BIG_ENDIAN);
        int first = head.getInt(0);
        int flagsAndLength = head.getInt(4);
        int flags = flagsAndLength >>> 24;
        int length = flagsAndLength & 0xffffff;
        if (pending.size() < 8 + length) break;
        ByteString body = pending.slice(8, 8 + length);
        pending = pending.drop(8 + length);
        frames.add((first & 0x80000000) != 0 ? control(first, flags, body) : new SpdyFrame.Data(first & 0x7fffffff,
            (flags & SpdyFrame.FLAG_FIN) != 0, body.compact()));
      }
      return frames;
    }

    private SpdyFrame control(int first, int flags, ByteString body) {
      int version = (first >>> 16) & 0x7fff;
      int type = first & 0xffff;
      if (version != VERSION) throw new ProtocolException("SPDY version " + version + " is not served (3 is)");
      ByteBuffer b = body.asByteBuffer().order(ByteOrder.BIG_ENDIAN);
      return switch (type) {
        case SYN_STREAM -> {
          need(b, 10, "SYN_STREAM");
          int stream = b.getInt(0) & 0x7fffffff;
          int associated = b.getInt(4) & 0x7fffffff;
          int priority = (b.get(8) & 0xff) >>> 5;
          if (stream == 0) throw new ProtocolException("SYN_STREAM for stream 0");
          yield new SpdyFrame.SynStream(stream, associated, priority, flags, headers(body.drop(10)));
        }
        case SYN_REPLY -> {
          need(b, 4, "SYN_REPLY");
          yield new SpdyFrame.SynReply(b.getInt(0) & 0x7fffffff, (flags & SpdyFrame.FLAG_FIN) != 0, headers(body.drop(4)));
        }
        case HEADERS -> {
          need(b, 4, "HEADERS");
          yield new SpdyFrame.Headers(b.getInt(0) & 0x7fffffff, (flags & SpdyFrame.FLAG_FIN) != 0, headers(body.drop(4)));
        }
        case RST_STREAM -> {
          need(b, 8, "RST_STREAM");
          yield new SpdyFrame.RstStream(b.getInt(0) & 0x7fffffff, b.getInt(4));
        }
        case PING -> {
          need(b, 4, "PING");
          yield new SpdyFrame.Ping(b.getInt(0));
        }
        case GOAWAY -> {
          need(b, 4, "GOAWAY");
          yield new SpdyFrame.GoAway(b.getInt(0) & 0x7fffffff, body.size() >= 8 ? b.getInt(4) : 0);
        }
        default -> new SpdyFrame.Ignored(type);
      };
    }

    private static void need(ByteBuffer b, int bytes, String frame) {
      if (b.remaining() < bytes) throw new ProtocolException(frame + " frame too short");
    }

    /** Decompresses a header block (continuing the connection's zlib stream) and parses its pairs. */
    private Map<String, List<String>> headers(ByteString compressed) {
      byte[] block = inflate(compressed.toArray());
      ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.BIG_ENDIAN);
      Map<String, List<String>> headers = new LinkedHashMap<>();
      if (b.remaining() < 4) throw new ProtocolException("header block too short");
      int pairs = b.getInt();
      if (pairs < 0 || pairs > block.length / 8) throw new ProtocolException("header block claims " + pairs + " pairs");
      for (int i = 0; i < pairs; i++) {
        String name = string(b).toLowerCase(Locale.ROOT);
        String value = string(b);
        headers.computeIfAbsent(name, k -> new ArrayList<>()).addAll(List.of(value.split("\0", -1)));
      }
      return headers;
    }

    private static String string(ByteBuffer b) {
      if (b.remaining() < 4) throw new ProtocolException("header block truncated");
      int length = b.getInt();
      if (length < 0 || length > b.remaining()) throw new ProtocolException("header of " + length + " bytes in a shorter block");
      byte[] bytes = new byte[length];
      b.get(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }

    private byte[] inflate(byte[] input) {
      inflater.setInput(input);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      try {
        while (true) {
          int n = inflater.inflate(buffer);
          if (n > 0) {
            out.write(buffer, 0, n);
            if (out.size() > MAX_HEADER_BLOCK) throw new ProtocolException("header block over " + MAX_HEADER_BLOCK + " bytes");
          } else if (inflater.needsDictionary()) {
            inflater.setDictionary(DICTIONARY);
          } else if (inflater.needsInput() || inflater.finished()) {
            return out.toByteArray();
          }
        }
      } catch (DataFormatException e) {
        throw new ProtocolException("header block is not SPDY's zlib: " + e.getMessage());
      }
    }

    /** Frees the decompressor's native memory. */
    public void close() {
      inflater.end();
    }
  }

  /** Writes the frames of the other direction. */
  public static final class Writer {
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);

    public Writer() {
      deflater.setDictionary(DICTIONARY);
    }

    public ByteString write(SpdyFrame frame) {
      if (frame instanceof SpdyFrame.Data d) {
        if (d.data().size() > 0xffffff) throw new IllegalArgumentException("data frame of " + d.data().size() + " bytes");
        ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN)
            .putInt(d.streamId() & 0x7fffffff)
            .putInt(((d.fin() ? SpdyFrame.FLAG_FIN : 0) << 24) | d.data().size());
        return ByteString.fromArray(head.array()).concat(d.data());
      }
      if (frame instanceof SpdyFrame.SynReply r) {
        byte[] block = deflate(headerBlock(r.headers()));
        return control(SYN_REPLY, r.fin() ? SpdyFrame.FLAG_FIN : 0,
            ByteBuffer.allocate(4 + block.length).putInt(r.streamId()).put(block).array());
      }
      if (frame instanceof SpdyFrame.RstStream r) {
        return control(RST_STREAM, 0, ByteBuffer.allocate(8).putInt(r.streamId()).putInt(r.status()).array());
      }
      if (frame instanceof SpdyFrame.Ping p) {
        return control(PING, 0, ByteBuffer.allocate(4).putInt(p.id()).array());
      }
      if (frame instanceof SpdyFrame.GoAway g) {
        return control(GOAWAY, 0, ByteBuffer.allocate(8).putInt(g.lastGoodStreamId()).putInt(g.status()).array());
      }
      if (frame instanceof SpdyFrame.SynStream s) {
        byte[] block = deflate(headerBlock(s.headers()));
        return control(SYN_STREAM, s.flags(), ByteBuffer.allocate(10 + block.length).putInt(s.streamId())
            .putInt(s.associatedStreamId()).put((byte) (s.priority() << 5)).put((byte) 0).put(block).array());
      }
      if (frame instanceof SpdyFrame.Headers h) {
        byte[] block = deflate(headerBlock(h.headers()));
        return control(HEADERS, h.fin() ? SpdyFrame.FLAG_FIN : 0,
            ByteBuffer.allocate(4 + block.length).putInt(h.streamId()).put(block).array());
      }
      throw new IllegalArgumentException("a server does not write " + frame);
    }

    private static ByteString control(int type, int flags, byte[] body) {
      ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN)
          .putShort((short) (0x8000 | VERSION)).putShort((short) type).putInt((flags << 24) | body.length);
      return ByteString.fromArray(head.array()).concat(ByteString.fromArray(body));
    }

    private static byte[] headerBlock(Map<String, List<String>> headers) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(ByteBuffer.allocate(4).putInt(headers.size()).array());
      headers.forEach((name, values) -> {
        byte[] n = name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        byte[] v = String.join("\0", values).getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(n.length).array());
        out.writeBytes(n);
        out.writeBytes(ByteBuffer.allocate(4).putInt(v.length).array());
        out.writeBytes(v);
      });
      return out.toByteArray();
    }

    private byte[] deflate(byte[] block) {
      deflater.setInput(block);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[1024];
      while (true) {
        int n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
        out.write(buffer, 0, n);
        if (n < buffer.length) return out.toByteArray();
      }
    }

    /** Frees the compressor's native memory. */
    public void close() {
      deflater.end();
    }
  }
}
