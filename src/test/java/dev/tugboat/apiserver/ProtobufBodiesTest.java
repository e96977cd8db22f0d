package dev.tugboat.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * kubectl 1.33's protobuf bodies: a Namespace built field by field as the Go encoder writes it, and
 * a ConfigMap and Secrets encoded by Kubernetes' own generated messages (client-java-proto).
 */
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

  /** The k8s\0 envelope around a message, as client-go's protobuf serializer writes it. */
  private static byte[] wrapped(String kind, com.google.protobuf.MessageLite message) {
    byte[] unknown = Runtime.Unknown.newBuilder()
        .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion("v1").setKind(kind))
        .setRaw(message.toByteString()).setContentEncoding("").setContentType("").build().toByteArray();
    return concat(new byte[] {'k', '8', 's', 0}, unknown);
  }

  @Test
  void readsTheConfigMapKubectlCreates() {
    V1.ConfigMap cm = V1.ConfigMap.newBuilder()
        .setMetadata(Meta.ObjectMeta.newBuilder().setName("app").setNamespace("default").putLabels("team", "a"))
        .putData("LOG_LEVEL", "debug").putData("app.properties", "a=1\nb=2\n")
        .putBinaryData("logo.png", ByteString.copyFrom(new byte[] {0, 1, 2, (byte) 255}))
        .setImmutable(true).build();
    ObjectNode object = ProtobufBodies.decode(wrapped("ConfigMap", cm));
    assertEquals("app", object.at("/metadata/name").asText());
    assertEquals("default", object.at("/metadata/namespace").asText());
    assertEquals("a", object.at("/metadata/labels/team").asText());
    assertEquals("debug", object.at("/data/LOG_LEVEL").asText());
    assertEquals("a=1\nb=2\n", object.at("/data/app.properties").asText());
    assertEquals("AAEC/w==", object.at("/binaryData/logo.png").asText());
    assertEquals(true, object.at("/immutable").asBoolean());
  }

  @Test
  void readsTheSecretsKubectlCreates() {
    V1.Secret generic = V1.Secret.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("db"))
        .putData("password", ByteString.copyFromUtf8("hunter2")).putStringData("user", "admin").setType("Opaque").build();
    ObjectNode object = ProtobufBodies.decode(wrapped("Secret", generic));
    assertEquals("aHVudGVyMg==", object.at("/data/password").asText());
    assertEquals("admin", object.at("/stringData/user").asText());
    assertEquals("Opaque", object.at("/type").asText());
    V1.Secret tls = V1.Secret.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("tls"))
        .setType("kubernetes.io/tls").putData("tls.crt", ByteString.copyFromUtf8("c"))
        .putData("tls.key", ByteString.copyFromUtf8("k")).setImmutable(false).build();
    ObjectNode t = ProtobufBodies.decode(wrapped("Secret", tls));
    assertEquals("kubernetes.io/tls", t.at("/type").asText());
    assertEquals("Yw==", t.at("/data/tls.crt").asText());
    assertEquals(false, t.at("/immutable").asBoolean(true));
  }

  @Test
  void refusesOtherKindsAndBrokenBodies() {
    assertThrows(IllegalArgumentException.class, () -> ProtobufBodies.decode(envelope("apps/v1", "Deployment", new byte[0])));
    assertThrows(IllegalArgumentException.class, () -> ProtobufBodies.decode("{}".getBytes()));
    byte[] truncated = envelope("v1", "Namespace", field(1, text(1, "abc")));
    assertThrows(IllegalArgumentException.class,
        () -> ProtobufBodies.decode(java.util.Arrays.copyOf(truncated, truncated.length - 6)));
  }
}
