package dev.tugboat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {
  private final RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofMinutes(10));

  @Test
  void theFirstRestartIsImmediateThenTheDelayDoublesUpToTheMaximum() {
    Duration shortRun = Duration.ofSeconds(1);
    assertEquals(Duration.ZERO, backoff.delay(0, shortRun));
    assertEquals(Duration.ofSeconds(10), backoff.delay(1, shortRun));
    assertEquals(Duration.ofSeconds(20), backoff.delay(2, shortRun));
    assertEquals(Duration.ofSeconds(160), backoff.delay(5, shortRun));
    assertEquals(Duration.ofMinutes(5), backoff.delay(6, shortRun));
    assertEquals(Duration.ofMinutes(5), backoff.delay(1000, shortRun));
  }

  @Test
  void aContainerThatRanLongEnoughStartsOverWithoutDelay() {
    assertEquals(Duration.ZERO, backoff.delay(7, Duration.ofMinutes(10)));
    assertEquals(Duration.ofMinutes(5), backoff.delay(7, Duration.ofMinutes(9)));
  }
}
