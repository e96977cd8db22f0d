package dev.tugboat.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tugboat.runtime.ContainerRuntime.ContainerInfo;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class InspectionsTest {
  private final AtomicInteger calls = new AtomicInteger();
  private final Function<String, ContainerInfo> inspect = id -> new ContainerInfo(id, "busybox",
      Map.of(ContainerRuntime.POD_UID, "u" + id.charAt(0), ContainerRuntime.NODE, "n1"), ContainerInfo.State.RUNNING, null,
      Instant.ofEpochSecond(calls.incrementAndGet()), null, null);
  private final Inspections inspections = new Inspections();

  @Test
  void aContainerListedAsBeforeIsNotInspectedAgain() {
    ContainerInfo first = inspections.of(new Inspections.Listed("a1", "running", "Up 2 minutes"), inspect);
    ContainerInfo second = inspections.of(new Inspections.Listed("a1", "running", "Up 2 minutes"), inspect);
    assertSame(first, second);
    assertEquals(1, calls.get());
  }

  @Test
  void aNewStateOrStatusLineIsInspected() {
    inspections.of(new Inspections.Listed("a1", "running", "Up 2 minutes"), inspect);
    ContainerInfo exited = inspections.of(new Inspections.Listed("a1", "exited", "Exited (1) 1 second ago"), inspect);
    // restarted in place within one poll: the same state, but the status line starts again
    ContainerInfo restarted = inspections.of(new Inspections.Listed("a1", "exited", "Exited (1) Less than a second ago"), inspect);
    assertEquals(3, calls.get());
    assertEquals(Instant.ofEpochSecond(3), restarted.startedAt());
    assertEquals(Instant.ofEpochSecond(2), exited.startedAt());
  }

  @Test
  void containersMatchingAFilterButNotListedAreForgotten() {
    inspections.of(new Inspections.Listed("a1", "running", "Up"), inspect);
    inspections.of(new Inspections.Listed("a2", "running", "Up"), inspect);
    inspections.of(new Inspections.Listed("b1", "running", "Up"), inspect);
    // a listing of pod ua's containers that shows only a1: a2 is gone, b1 is another pod's
    inspections.retainListed(Map.of(ContainerRuntime.POD_UID, "ua"), Set.of("a1"));
    assertEquals(2, inspections.size());
    inspections.of(new Inspections.Listed("b1", "running", "Up"), inspect);
    assertEquals(3, calls.get());
    inspections.retainListed(Map.of(), Set.of());
    assertEquals(0, inspections.size());
  }
}
