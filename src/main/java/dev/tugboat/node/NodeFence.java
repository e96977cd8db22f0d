package dev.tugboat.node;

import dev.tugboat.protocol.Fencing;
import dev.tugboat.runtime.ContainerRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's side of {@link Fencing}: whether it may run fenced (StatefulSet) pods right now, and
 * the lease file their sandboxes watch. The agent {@link #confirm confirms} on every heartbeat; a
 * confirmation touches the file only while the member is in the majority. Pod workers read
 * {@link #holds} from their own threads.
 */
public final class NodeFence {
  private static final Logger log = LoggerFactory.getLogger(NodeFence.class);
  static final String LEASE_FILE = "lease";

  private final Path dir;
  private final Duration timeout;
  private final Duration freshness;
  private final BooleanSupplier inMajority;
  private final LongSupplier nanos;
  private volatile long confirmedNanos;
  private volatile boolean confirmedOnce;
  private boolean held;
  private final ReadWriteLock starts = new ReentrantReadWriteLock();
  private volatile boolean downed;

  /**
   * @param dir this node's directory of the lease file (mounted into fenced sandboxes); null: this
   *     node cannot fence (a simulated runtime), so it never runs fenced pods' watchdogs
   * @param timeout how long a sandbox lets its lease file go stale before it kills the pod
   * @param freshness how recent the last confirmation must be for {@link #holds} (a couple of heartbeats)
   * @param inMajority whether this member is now on the side the Split Brain Resolver keeps
   */
  NodeFence(Path dir, Duration timeout, Duration freshness, BooleanSupplier inMajority, LongSupplier nanos) {
    this.dir = dir;
    this.timeout = timeout;
    this.freshness = freshness;
    this.inMajority = inMajority;
    this.nanos = nanos;
  }

  /** One heartbeat: touches the lease file if this member is in the majority; answers whether it did. */
  synchronized boolean confirm() {
    boolean majority = inMajority.getAsBoolean();
    boolean touched = majority && touch();
    if (touched) {
      confirmedNanos = nanos.getAsLong();
      confirmedOnce = true;
    }
    if (held && !touched) {
      log.warn("Node fence {}: {}; fenced pods stop within {} s unless it returns", dir,
          majority ? "cannot write the lease file" : "this member is not in the cluster's majority", timeout.toSeconds());
    } else if (!held && touched && dir != null) {
      log.info("Node fence {}: held (in the majority)", dir);
    }
    held = touched;
    return touched;
  }

  /**
   * Runs {@code start} (a sandbox's or a container's start) unless this member was downed; empty if
   * it was. Starts run under a shared lock that {@link #down} takes alone, so none is under way, and
   * none begins, once the downing's kill lists the node's containers.
   */
  public <T> Optional<T> unlessDowned(Supplier<T> start) {
    starts.readLock().lock();
    try {
      return downed ? Optional.empty() : Optional.ofNullable(start.get());
    } finally {
      starts.readLock().unlock();
    }
  }

  /** This member was downed: waits for the starts under way, and refuses every later one. */
  void down() {
    starts.writeLock().lock();
    try {
      downed = true;
    } finally {
      starts.writeLock().unlock();
    }
  }

  /** Whether fenced pods may start: confirmed within the last couple of heartbeats. */
  public boolean holds() {
    return dir != null && confirmedOnce && nanos.getAsLong() - confirmedNanos < freshness.toNanos();
  }

  /** What a fenced pod's sandbox watches, or null where this node cannot fence. */
  public ContainerRuntime.Fence sandboxFence() {
    return dir == null ? null : new ContainerRuntime.Fence(dir.toString(), LEASE_FILE, (int) Math.max(1, timeout.toSeconds()));
  }

  private boolean touch() {
    if (dir == null) return false;
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(LEASE_FILE);
      if (!Files.exists(file)) Files.createFile(file);
      Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
      return true;
    } catch (IOException | RuntimeException e) {
      log.warn("Node fence {}: cannot touch the lease file: {}", dir, e.toString());
      return false;
    }
  }
}
