package dev.tugboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.junit.jupiter.api.Test;

/** {@code tug up}'s exit status says whether the cluster downed the member, for a service manager to restart it. */
class UpCommandTest {
  @Test
  void aDownedMemberExitsWithItsOwnStatus() {
    assertEquals(UpCommand.DOWNED, UpCommand.exitCode(Optional.of(CoordinatedShutdown.clusterDowningReason())));
    assertEquals(0, UpCommand.exitCode(Optional.of(CoordinatedShutdown.jvmExitReason())));
    assertEquals(0, UpCommand.exitCode(Optional.empty()));
  }
}
