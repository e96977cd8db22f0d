package dev.tugboat.apiserver.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Adler32;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class SpdyCodecTest {

  @Test
  void theDictionaryIsSpdy3s() {
    // The zlib stream names its dictionary by Adler-32; Go's reader refuses any other.
    Adler32 adler = new Adler32();
    adler.update(SpdyCodec.DICTIONARY);
    assertEquals(1423, SpdyCodec.DICTIONARY.length);
    assertEquals(0xe3c6a7c2L, adler.getValue());
  }

  @Test
  void framesSurviveARoundTripSplitAnywhere() {
    SpdyCodec.Writer client = new SpdyCodec.Writer();
    Map<String, List<String>> error = headers("streamtype", "error", "port", "80", "requestid", "0");
    Map<String, List<String>> data = headers("streamtype", "data", "port", "80", "requestid", "0");
    List<SpdyFrame> sent = List.of(
        new SpdyFrame.SynStream(1, 0, 0, 0, error),
        new SpdyFrame.Data(1, true, ByteString.emptyByteString()),
        new SpdyFrame.SynStream(3, 0, 0, 0, data),
        new SpdyFrame.Data(3, false, ByteString.fromString("GET / HTTP/1.0\r\n\r\n")),
        new SpdyFrame.Ping(1),
        new SpdyFrame.RstStream(3, SpdyFrame.CANCEL),
        new SpdyFrame.GoAway(3, 0));
    ByteString wire = ByteString.emptyByteString();
    for (SpdyFrame f : sent) wire = wire.concat(client.write(f));
    // Every split of the bytes into two messages reads the same frames, the header state in step.
    for (int cut = 0; cut <= wire.size(); cut += 7) {
      SpdyCodec.Reader server = new SpdyCodec.Reader();
      List<SpdyFrame> read = new ArrayList<>(server.feed(wire.take(cut)));
      read.addAll(server.feed(wire.drop(cut)));
      assertEquals(sent.size(), read.size(), "cut at " + cut);
      for (int i = 0; i < sent.size(); i++) assertEquals(sent.get(i).toString(), read.get(i).toString(), "cut at " + cut);
    }
  }

  @Test
  void repliesAreReadableByAPeer() {
    SpdyCodec.Writer server = new SpdyCodec.Writer();
    SpdyCodec.Reader client = new SpdyCodec.Reader();
    for (int stream = 1; stream < 40; stream += 2) {
      List<SpdyFrame> read = client.feed(server.write(new SpdyFrame.SynReply(stream, false, Map.of())));
      assertEquals(List.of(new SpdyFrame.SynReply(stream, false, Map.of())), read);
    }
  }

  @Test
  void brokenInputIsAProtocolErrorNotACrash() {
    SpdyCodec.Reader reader = new SpdyCodec.Reader();
    // A SYN_STREAM of SPDY version 2.
    byte[] v2 = {(byte) 0x80, 2, 0, 1, 0, 0, 0, 10, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    assertThrows(SpdyCodec.ProtocolException.class, () -> reader.feed(ByteString.fromArray(v2)));
    // A header block that is not zlib.
    byte[] garbage = {(byte) 0x80, 3, 0, 1, 0, 0, 0, 14, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
    assertThrows(SpdyCodec.ProtocolException.class, () -> new SpdyCodec.Reader().feed(ByteString.fromArray(garbage)));
    // Unknown control frames are skipped.
    byte[] settings = {(byte) 0x80, 3, 0, 4, 0, 0, 0, 4, 0, 0, 0, 0};
    assertInstanceOf(SpdyFrame.Ignored.class, new SpdyCodec.Reader().feed(ByteString.fromArray(settings)).get(0));
    assertTrue(new SpdyCodec.Reader().feed(ByteString.fromArray(new byte[] {0, 0, 0, 1, 0, 0})).isEmpty(), "half a header waits");
  }

  private static Map<String, List<String>> headers(String... pairs) {
    Map<String, List<String>> h = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) h.put(pairs[i], List.of(pairs[i + 1]));
    return h;
  }
}
