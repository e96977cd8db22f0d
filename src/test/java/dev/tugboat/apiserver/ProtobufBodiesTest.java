package dev.tugboat.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** kubectl 1.33's protobuf Namespace body, built field by field as the Go encoder writes it. */
class ProtobufBodiesTest {

  private static byte[] field(int number, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((number << 3) | 2);
    out.write(value.length); // every value here is shorter than 128 bytes
    out.writeBytes(value);
    return out.toByteArray();
  }

  private static byte[] text(int number, String value) {
    return field(number, value.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  private static byte[] envelope(String apiVersion, String kind, byte[] raw) {
    return concat(new byte[] {'k', '8', 's', 0},
        field(1, concat(text(1, apiVersion), text(2, kind))),
        field(2, raw),
        text(3, ""),
        text(4, ""));
  }

  @Test
  void readsTheNamespaceKubectlCreates() {
    byte[] meta = concat(text(1, "team-a"), field(11, concat(text(1, "env"), text(2, "dev"))),
        field(12, concat(text(1, "note"), text(2, "x"))));
    byte[] namespace = concat(field(1, meta), field(2, new byte[0]), field(3, new byte[0]));
    ObjectNode object = ProtobufBodies.decode(envelope("v1", "Namespace", namespace));
    assertEquals("Namespace", object.path("kind").asText());
    assertEquals("team-a", object.path("metadata").path("name").asText());
    assertEquals("dev", object.path("metadata").path("labels").path("env").asText());
    assertEquals("x", object.path("metadata").path("annotations").path("note").asText());
  }

  @Test
  void refusesOtherKindsAndBrokenBodies() {
    assertThrows(IllegalArgumentException.class, () -> ProtobufBodies.decode(envelope("v1", "ConfigMap", new byte[0])));
    assertThrows(IllegalArgumentException.class, () -> ProtobufBodies.decode("{}".getBytes()));
    byte[] truncated = envelope("v1", "Namespace", field(1, text(1, "abc")));
    assertThrows(IllegalArgumentException.class,
        () -> ProtobufBodies.decode(java.util.Arrays.copyOf(truncated, truncated.length - 6)));
  }
}
