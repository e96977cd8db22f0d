package dev.tugboat.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import dev.tugboat.model.Codec;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class StorageSerializerTest {
  /** Tugboat's own configuration (its serialization bindings), on a local actor system. */
  private static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
  private static final Serialization serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static ObjectNode yaml(String text) {
    return (ObjectNode) Codec.parseTree(text.getBytes(StandardCharsets.UTF_8), true);
  }

  private static Object roundTrip(Object o, byte[][] stored) {
    Serializer serializer = serialization.findSerializerFor(o);
    assertEquals(StorageSerializer.IDENTIFIER, serializer.identifier(), "events and states are bound to it");
    byte[] bytes = serializer.toBinary(o);
    stored[0] = bytes;
    return serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, o)).get();
  }

  @Test
  void aSecretsDataIsStoredEncryptedAndReadBackWhole() {
    ObjectNode secret = yaml("apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: default}\n"
        + "type: Opaque\ndata: {password: aHVudGVyMg==}\n");
    byte[][] stored = new byte[1][];
    Object back = roundTrip(new ObjectEntity.Updated(secret), stored);
    assertInstanceOf(ObjectEntity.Updated.class, back);
    assertEquals(secret, ((ObjectEntity.Updated) back).object());
    String text = new String(stored[0], StandardCharsets.ISO_8859_1);
    assertFalse(text.contains("aHVudGVyMg==") || text.contains("hunter2"), text);
    assertTrue(text.contains("k8s:enc:aesgcm:v1:") && text.contains("default"), "metadata stays readable: " + text);

    ObjectEntity.State state = new ObjectEntity.State(secret, 7);
    assertEquals(state, roundTrip(state, stored));
    assertFalse(new String(stored[0], StandardCharsets.ISO_8859_1).contains("aHVudGVyMg=="));
  }

  @Test
  void otherKindsAreStoredAsJacksonCborStoresThem() {
    ObjectNode pod = yaml("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n");
    ObjectEntity.Created created = new ObjectEntity.Created(pod);
    byte[][] stored = new byte[1][];
    assertEquals(created, roundTrip(created, stored));
    Serializer cbor = serialization.serializerByIdentity().apply(33);
    assertArrayEquals(cbor.toBinary(created), stored[0], "byte for byte");
    // Rows written before the binding (by jackson-cbor itself) are still read.
    assertEquals(created, serialization.deserialize(cbor.toBinary(created), 33, Serializers.manifestFor(cbor, created)).get());
    ObjectEntity.State deleted = new ObjectEntity.State(null, 3);
    assertEquals(deleted, roundTrip(deleted, stored));
  }

  @Test
  void anEventWrittenBeforeChangesRecordedTheirAuthorStillReplays() throws Exception {
    // An Updated as sessions before the audit trail stored it: the object alone, no "by".
    String old = """
        {"object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"default",
          "uid":"u-1","resourceVersion":"7"},"data":{"k":"v"}}}""";
    // CBOR as jackson-cbor writes it (its factory is on the runtime classpath only, with pekko-serialization-jackson)
    var cborFactory = (com.fasterxml.jackson.core.JsonFactory)
        Class.forName("com.fasterxml.jackson.dataformat.cbor.CBORFactory").getDeclaredConstructor().newInstance();
    byte[] bytes = new com.fasterxml.jackson.databind.ObjectMapper(cborFactory).writeValueAsBytes(new com.fasterxml.jackson.databind.ObjectMapper().readTree(old));
    ObjectEntity.Updated probe = new ObjectEntity.Updated(yaml("kind: ConfigMap\n"));
    Serializer serializer = serialization.findSerializerFor(probe);
    Object back = serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, probe)).get();
    ObjectEntity.Updated updated = assertInstanceOf(ObjectEntity.Updated.class, back);
    assertEquals(null, updated.by(), "no author was recorded then");
    assertEquals("v", updated.object().path("data").path("k").asText());
    assertEquals(7, ObjectMeta.resourceVersion(updated.object()), "the state it leads to is the one it recorded");
  }

  @Test
  void whoChangedASecretIsKeptBesideItsEncryptedValues() {
    ObjectNode secret = yaml("apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: default}\n"
        + "data: {password: aHVudGVyMg==}\n");
    ChangedBy by = new ChangedBy("system:serviceaccount:default:ci", "sa-uid", java.util.List.of("system:serviceaccounts"),
        "kubectl/v1.33.0 (linux/amd64) kubernetes/abc");
    byte[][] stored = new byte[1][];
    Object back = roundTrip(new ObjectEntity.Created(secret, by), stored);
    assertEquals(new ObjectEntity.Created(secret, by), back, "the author survives sealing and opening");
    String raw = new String(stored[0], StandardCharsets.ISO_8859_1);
    assertFalse(raw.contains("aHVudGVyMg=="), "the value stays encrypted");
    assertTrue(raw.contains("system:serviceaccount:default:ci"), "who changed it is stored as is");
  }
}
