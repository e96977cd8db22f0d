package dev.tugboat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The ceiling's writers on Pekko's in-memory journal: they write until the deadline, then report. */
class JournalCeilingTest {
  private static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseString("""
          pekko.actor.serialization-bindings { "dev.tugboat.registry.CborSerializable" = jackson-cbor }
          """).withFallback(EventSourcedBehaviorTestKit.config()));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyWriterPersistsUntilTheDeadlineAndTheirEventsAreCounted() throws Exception {
    JournalCeiling.Result r = JournalCeiling.measure(testKit.system(), 4, 200, Duration.ofMillis(300));
    assertEquals(4, r.entities());
    assertTrue(r.events() >= 4, "each writer stored events: " + r);
    assertTrue(r.seconds() >= 0.3, "measured until the deadline: " + r);
    assertEquals(r.events() / r.seconds(), r.perSecond(), 1e-9);
  }

  @Test
  void anEventIsAsLargeAsAskedOnTheWire() throws Exception {
    var serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    for (int size : new int[] {100, 1500, 6000}) {
      byte[] bytes = serialization.serialize(JournalCeiling.event(size)).get();
      assertTrue(Math.abs(bytes.length - size) <= 4, size + " asked, " + bytes.length + " serialized");
    }
  }
}
