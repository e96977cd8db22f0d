package dev.tugboat.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The supervision every controller and the scheduler run under as cluster singletons. */
class RestartingSingletonTest {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private record Ask(String what, ActorRef<String> replyTo) {}

  /** Counts its starts; fails on "boom". */
  private static Behavior<Ask> controller(TestProbe<String> starts) {
    return Behaviors.setup(context -> {
      starts.getRef().tell("started");
      return Behaviors.receiveMessage(ask -> {
        if (ask.what().equals("boom")) throw new IllegalStateException("injected");
        ask.replyTo().tell("pong");
        return Behaviors.same();
      });
    });
  }

  @Test
  void aSingletonThatFailsIsStartedAgainAfterABackoffAndServesOn() {
    TestProbe<String> starts = testKit.createTestProbe();
    TestProbe<String> replies = testKit.createTestProbe();
    ActorRef<Ask> singleton = testKit.spawn(Tugboat.restarting(controller(starts)));
    assertEquals("started", starts.receiveMessage());
    LoggingTestKit.error(IllegalStateException.class).expect(testKit.system(),
        () -> {
          singleton.tell(new Ask("boom", replies.getRef()));
          return null;
        });
    assertEquals("started", starts.receiveMessage(Duration.ofSeconds(5)), "started again after the backoff (1 s)");
    singleton.tell(new Ask("ping", replies.getRef()));
    assertEquals("pong", replies.receiveMessage(Duration.ofSeconds(5)));
  }
}
