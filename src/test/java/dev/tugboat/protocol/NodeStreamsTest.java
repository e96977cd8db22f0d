package dev.tugboat.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** What travels between an API member and a node agent survives Tugboat's serialization (CBOR), bytes and all. */
class NodeStreamsTest {
  private static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
  private static final Serialization serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static Object roundTrip(Object o) {
    Serializer serializer = serialization.findSerializerFor(o);
    byte[] bytes = serializer.toBinary(o);
    return serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, o)).get();
  }

  @Test
  void inputAndOutputKeepTheirBytes() {
    byte[] binary = {0, 1, 2, (byte) 255, (byte) 0x80, 10};
    assertArrayEquals(binary, ((NodeStreams.Stdin) roundTrip(new NodeStreams.Stdin(binary))).data());
    assertArrayEquals(binary, ((NodeStreams.Stdout) roundTrip(new NodeStreams.Stdout(binary))).data());
    assertArrayEquals(binary, ((NodeStreams.Stderr) roundTrip(new NodeStreams.Stderr(binary))).data());
    assertEquals(new NodeStreams.StdinClosed(true), roundTrip(new NodeStreams.StdinClosed(true)));
    assertEquals(new NodeStreams.Resize(120, 30), roundTrip(new NodeStreams.Resize(120, 30)));
    assertEquals(new NodeStreams.Exited(3, null), roundTrip(new NodeStreams.Exited(3, null)));
    assertEquals(new NodeStreams.Exited(null, "broke"), roundTrip(new NodeStreams.Exited(null, "broke")));
    assertEquals(new NodeStreams.Refused("NotFound", "container not found (\"web\")"),
        roundTrip(new NodeStreams.Refused("NotFound", "container not found (\"web\")")));
    assertEquals(new NodeStreams.Target("default", "web", "u", "c"), roundTrip(new NodeStreams.Target("default", "web", "u", "c")));
  }
}
