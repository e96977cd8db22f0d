package dev.tugboat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tugboat.runtime.ContainerRuntime.ContainerStats;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageWindowTest {
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aFirstReadUsesTheEnginesOwnPreviousRead() {
    var step = UsageWindow.empty().advance(Map.of("c", new ContainerStats(T0, 3 * SECOND, T0.minusSeconds(1), 2 * SECOND, 4096)));
    UsageWindow.Usage u = step.usage().get("c");
    assertEquals(SECOND, u.cpuNanoCores(), "a second of CPU in a second: one core");
    assertEquals(Duration.ofSeconds(1), u.window());
    assertEquals(4096, u.memoryBytes());
  }

  @Test
  void laterReadsUseTheWholeIntervalSinceTheLastOne() {
    var first = UsageWindow.empty().advance(Map.of("c", new ContainerStats(T0, 3 * SECOND, null, 0, 1)));
    assertTrue(first.usage().isEmpty(), "one read, nothing to compare with");
    var second = first.window().advance(Map.of("c",
        new ContainerStats(T0.plusSeconds(10), 8 * SECOND, T0.plusSeconds(9), 7 * SECOND, 2)));
    assertEquals(SECOND / 2, second.usage().get("c").cpuNanoCores(), "5 s of CPU in 10 s");
    assertEquals(Duration.ofSeconds(10), second.usage().get("c").window());
  }

  @Test
  void aRestartedContainersCounterFallsBackToTheEnginesPreviousRead() {
    var first = UsageWindow.empty().advance(Map.of("c", new ContainerStats(T0, 50 * SECOND, null, 0, 1)));
    var restarted = first.window().advance(Map.of("c",
        new ContainerStats(T0.plusSeconds(10), SECOND, T0.plusSeconds(9), SECOND / 2, 1)));
    assertEquals(SECOND / 2, restarted.usage().get("c").cpuNanoCores());
  }

  @Test
  void containersNoLongerReadAreForgotten() {
    var first = UsageWindow.empty().advance(Map.of("a", new ContainerStats(T0, SECOND, null, 0, 1),
        "b", new ContainerStats(T0, SECOND, null, 0, 1)));
    var next = first.window().advance(Map.of("a", new ContainerStats(T0.plusSeconds(2), 2 * SECOND, null, 0, 1)));
    assertEquals(Map.of("a", new UsageWindow.Read(T0.plusSeconds(2), 2 * SECOND)), next.window().last());
  }
}
