package dev.tugboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

/** {@code tug up}'s exit status says whether the cluster downed the member, for a service manager to restart it. */
class UpCommandTest {
  @Test
  void aDownedMemberExitsWithItsOwnStatus() {
    assertEquals(UpCommand.DOWNED, UpCommand.exitCode(Optional.of(CoordinatedShutdown.clusterDowningReason())));
    assertEquals(0, UpCommand.exitCode(Optional.of(CoordinatedShutdown.jvmExitReason())));
    assertEquals(0, UpCommand.exitCode(Optional.empty()));
  }

  @Test
  void aSystemThatTerminatesIsWaitedFor() {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "up-command-test", ConfigFactory.parseString(
        "pekko.coordinated-shutdown.exit-jvm = off\npekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off"));
    CoordinatedShutdown.get(system).run(CoordinatedShutdown.clusterDowningReason());
    assertTrue(UpCommand.awaitTermination(system, Duration.ofSeconds(30)));
    assertTrue(system.getWhenTerminated().toCompletableFuture().isDone());
  }

  /**
   * An actor blocked in a call that never returns keeps its system from terminating; the member's
   * process must end anyway, once the last shutdown phase has had its time and the grace after it.
   */
  @Test
  void aSystemThatCannotTerminateIsGivenUpAfterTheGrace() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    ActorSystem<String> system = ActorSystem.create(Behaviors.receive(String.class).onAnyMessage(m -> {
      entered.countDown();
      never.await();
      return Behaviors.same();
    }).build(), "up-command-stuck", ConfigFactory.parseString("""
        pekko.coordinated-shutdown.exit-jvm = off
        pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
        pekko.coordinated-shutdown.default-phase-timeout = 1s
        pekko.coordinated-shutdown.phases.actor-system-terminate.timeout = 1s
        """));
    try {
      system.tell("block");
      assertTrue(entered.await(10, TimeUnit.SECONDS));
      CoordinatedShutdown.get(system).run(CoordinatedShutdown.clusterDowningReason());
      assertFalse(UpCommand.awaitTermination(system, Duration.ofMillis(500)), "the blocked actor keeps the system up");
      assertFalse(system.getWhenTerminated().toCompletableFuture().isDone());
    } finally {
      never.countDown();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
