package dev.tugboat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tugboat.runtime.ContainerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeFenceTest {
  private final AtomicBoolean majority = new AtomicBoolean(true);
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private NodeFence fence(Path dir) {
    return new NodeFence(dir, Duration.ofSeconds(5), Duration.ofSeconds(2), majority::get, nanos::get);
  }

  @Test
  void inTheMajorityEveryConfirmationTouchesTheLeaseFile(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("node-a");
    NodeFence fence = fence(dir);
    assertFalse(fence.holds(), "nothing confirmed yet");
    assertTrue(fence.confirm());
    Path lease = dir.resolve(NodeFence.LEASE_FILE);
    assertTrue(Files.exists(lease));
    assertTrue(fence.holds());
    Files.setLastModifiedTime(lease, FileTime.fromMillis(0));
    assertTrue(fence.confirm());
    assertTrue(Files.getLastModifiedTime(lease).toMillis() > 0, "the sandboxes see a fresh time");
    assertEquals(new ContainerRuntime.Fence(dir.toString(), "lease", 5), fence.sandboxFence());
  }

  @Test
  void outOfTheMajorityTheFileIsLeftToGoStaleAndNewFencedPodsWait(@TempDir Path tmp) throws Exception {
    NodeFence fence = fence(tmp);
    assertTrue(fence.confirm());
    Path lease = tmp.resolve(NodeFence.LEASE_FILE);
    Files.setLastModifiedTime(lease, FileTime.fromMillis(0));
    majority.set(false);
    assertFalse(fence.confirm());
    assertEquals(0, Files.getLastModifiedTime(lease).toMillis(), "not touched");
    assertTrue(fence.holds(), "for a couple of heartbeats after the last confirmation");
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    assertFalse(fence.holds());
    majority.set(true);
    assertTrue(fence.confirm());
    assertTrue(fence.holds(), "back in the majority");
  }

  @Test
  void aNodeWithoutAFenceDirectoryNeverRunsFencedPods() {
    NodeFence fence = fence(null);
    assertFalse(fence.confirm());
    assertFalse(fence.holds());
    assertNull(fence.sandboxFence());
  }
}
