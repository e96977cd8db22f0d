package dev.tugboat.registry;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.coordination.lease.LeaseTimeoutException;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This member's side of the shard leases ({@link ShardLease}): one writer per object, even when the
 * Split Brain Resolver is slow, a member is cut off, or a process freezes and wakes up believing it
 * still hosts its shards.
 *
 * <p>Leases hang off a <b>session</b>, as ZooKeeper's ephemeral nodes do: one row per member
 * incarnation in {@code member_sessions}, written with a {@code ttl}, renewed every
 * {@code renew-interval} only while this member is Up (or Leaving) and not in a minority
 * ({@link Majority#inMinority}).
 * A shard's row in {@code shard_leases} names its owner and an epoch, and changes only by
 * lightweight transactions on both. A member takes a shard from another only once that owner's
 * session row has expired; a free or released one, or its own, at once. So a thousand shards cost
 * one write a second, not a thousand renewals.
 *
 * <p>A member may write for a shard only while its session is <b>valid</b>: up to {@code ttl - margin}
 * after the last renewal it sent, counted on this JVM's monotonic clock (so a frozen process wakes up
 * invalid). Its row cannot have expired earlier than {@code ttl - 1 s} after that send (Cassandra's
 * ttls count whole seconds), and the margin covers that second and a journal write already in
 * flight (the driver gives up on one after 2 s, and Cassandra drops a mutation older than its
 * write timeout). When the session lapses, every lease is lost at once and the shards stop; a
 * renewal that answers after the lapse starts a new session, and the shards must be acquired again,
 * which fails for those another member took meanwhile.
 *
 * <p>What it assumes: Cassandra's clocks run at the rate of the members' (ttls expire by the
 * server's wall clock), and no process pauses between an entity's check and its journal call for
 * longer than the margin. Pekko's journal takes no fencing token, so nothing narrower is possible
 * without changing it.
 */
public final class ShardLeases implements Extension {
  private static final Logger log = LoggerFactory.getLogger(ShardLeases.class);

  /** The extension's key: one per actor system. */
  public static final ExtensionId<ShardLeases> ID = new ExtensionId<>() {
    @Override
    public ShardLeases createExtension(ActorSystem<?> system) {
      return new ShardLeases(system);
    }
  };

  public static ShardLeases get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  /** {@code tugboat.shard-lease} of conf/application.conf. */
  record Settings(Duration ttl, Duration renewInterval, Duration margin, Duration operationTimeout) {
    static Settings from(Config config) {
      Config c = config.getConfig("tugboat.shard-lease");
      Settings s = new Settings(c.getDuration("ttl"), c.getDuration("renew-interval"), c.getDuration("margin"),
          c.getDuration("lease-operation-timeout"));
      if (s.margin().compareTo(Duration.ofSeconds(2)) < 0 || s.ttl().compareTo(s.margin().plus(s.renewInterval().multipliedBy(2))) < 0) {
        throw new IllegalArgumentException("tugboat.shard-lease: margin must be at least 2 s, and ttl at least margin + 2 renew-intervals");
      }
      return s;
    }
  }

  /** A lease this member holds: the epoch it wrote, in which session, and whom to tell when it is lost. */
  private record Held(long epoch, long session, Consumer<Optional<Throwable>> lost) {}

  /** A shard's row as read. */
  private record Owner(String owner, long epoch) {}

  private final ActorSystem<?> system;
  private final boolean enabled;
  private final Settings settings;
  private final String keyspace;
  private final boolean autoCreate;
  private final LongSupplier nanos;
  private final String self;
  private final String prefix;
  private final CompletionStage<CqlSession> cql;
  private CompletionStage<Void> tables;

  private final Object lock = new Object();
  /** The current session's number: a lapse ends it, and leases of an ended session are lost. */
  private long session;
  /** Until when (nanos) this member may write; 0 while it has no session. */
  private long validUntil;
  private final Map<String, Held> held = new HashMap<>();
  /** Releases that did not get through yet (name to the epoch this member wrote), retried at every renewal. */
  private final Map<String, Long> releasing = new ConcurrentHashMap<>();
  private volatile boolean saidMinority;
  private volatile boolean saidFailing;

  private ShardLeases(ActorSystem<?> system) {
    this.system = system;
    Config config = system.settings().config();
    this.enabled = !config.getString("pekko.cluster.sharding.use-lease").isEmpty();
    this.settings = Settings.from(config);
    this.keyspace = config.getString("pekko.persistence.cassandra.journal.keyspace");
    this.autoCreate = config.getBoolean("pekko.persistence.cassandra.journal.tables-autocreate");
    this.nanos = System::nanoTime;
    this.self = ownerName(Cluster.get(system).selfMember().uniqueAddress());
    this.prefix = system.name() + "-shard-";
    this.cql = enabled
        ? CassandraSessionRegistry.get(system).sessionFor(CassandraSessionSettings.create("pekko.persistence.cassandra")).underlying()
        : CompletableFuture.failedFuture(new IllegalStateException("shard leases are off"));
    if (enabled) {
      tables(); // now, beside the member's other start work, rather than at the first shard's lease
      system.scheduler().scheduleWithFixedDelay(Duration.ZERO, settings.renewInterval(), this::tick, system.executionContext());
      CoordinatedShutdown.get(Adapter.toClassic(system)).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
          "end-shard-lease-session", () -> endSession().toCompletableFuture()
              .completeOnTimeout(Done.getInstance(), 5, TimeUnit.SECONDS));
    }
  }

  static String ownerName(org.apache.pekko.cluster.UniqueAddress address) {
    return address.address() + "#" + address.longUid();
  }

  /** Whether shards are hosted under leases at all ({@code pekko.cluster.sharding.use-lease}). */
  public boolean enabled() {
    return enabled;
  }

  /**
   * Whether an entity of {@code typeName} in shard {@code shardId} may write now: its shard's lease
   * is held, in the current session, and the session is valid. Always, where leases are off.
   */
  public boolean writable(String typeName, String shardId) {
    return !enabled || holds(prefix + typeName + "-" + shardId);
  }

  // ---- the session --------------------------------------------------------------------------------

  /** Every renew-interval: notice a lapse, renew unless in a minority, retry pending releases. */
  private void tick() {
    try {
      lapseIfExpired();
      if (shouldRenew()) tables().thenCompose(ready -> renew());
      releasing.forEach((name, epoch) -> giveBack(name, epoch));
    } catch (RuntimeException e) {
      log.warn("Shard lease session: {}", e.toString());
    }
  }

  private boolean shouldRenew() {
    Cluster cluster = Cluster.get(system);
    MemberStatus status = cluster.selfMember().status();
    boolean member = status.equals(MemberStatus.up()) || status.equals(MemberStatus.leaving());
    boolean minority = member && Majority.inMinority(cluster);
    if (minority && !saidMinority) {
      log.warn("This member is in a minority of the cluster: it stops renewing its shard lease session, and its shards"
          + " stop taking writes within {} s unless it reaches the majority again", remaining().toSeconds());
    } else if (!minority && member && saidMinority) {
      log.info("This member reaches the cluster's majority again: renewing its shard lease session");
    }
    if (member) saidMinority = minority;
    return member && !minority;
  }

  /** Writes this member's session row for another ttl; extends the session if it answered in time. */
  private CompletionStage<Boolean> renew() {
    long sent = nanos.getAsLong();
    return execute(SimpleStatement.newInstance("UPDATE " + keyspace + ".member_sessions USING TTL "
            + settings.ttl().toSeconds() + " SET renewed = toTimestamp(now()) WHERE owner = ?", self)
        .setConsistencyLevel(ConsistencyLevel.QUORUM))
        .thenApply(rs -> {
          long answered = nanos.getAsLong();
          synchronized (lock) {
            // A renewal that answers after the session lapsed may have landed after the row expired:
            // another member may have taken shards meanwhile, so it starts a new session instead.
            if (validUntil == 0 || answered - validUntil >= 0) lapse("its renewals stopped for too long");
            validUntil = Math.max(validUntil, sent + settings.ttl().minus(settings.margin()).toNanos());
          }
          if (saidFailing) log.info("Shard lease session renewed again");
          saidFailing = false;
          return true;
        })
        .exceptionally(e -> {
          if (!saidFailing) {
            log.warn("Cannot renew this member's shard lease session ({}); its shards stop taking writes within {} s"
                + " unless a renewal gets through", rootMessage(e), remaining().toSeconds());
          }
          saidFailing = true;
          return false;
        });
  }

  private Duration remaining() {
    synchronized (lock) {
      return validUntil == 0 ? Duration.ZERO : Duration.ofNanos(Math.max(0, validUntil - nanos.getAsLong()));
    }
  }

  private void lapseIfExpired() {
    synchronized (lock) {
      if (validUntil != 0 && nanos.getAsLong() - validUntil >= 0) lapse("it was not renewed in time");
    }
  }

  /** Ends the session: every lease it held is lost. Called with the lock held. */
  private void lapse(String why) {
    session++;
    validUntil = 0;
    if (held.isEmpty()) return;
    log.warn("This member's shard lease session lapsed ({}): its {} shards stop and must be acquired again", why, held.size());
    List<Held> lost = List.copyOf(held.values());
    held.clear();
    LeaseTimeoutException reason = new LeaseTimeoutException("the member's shard lease session lapsed: " + why);
    system.executionContext().execute(() -> lost.forEach(h -> h.lost().accept(Optional.of(reason))));
  }

  private boolean valid() {
    return validUntil != 0 && nanos.getAsLong() - validUntil < 0;
  }

  /** On a clean stop, after the shards were handed off: others need not wait out the ttl. */
  private CompletionStage<Done> endSession() {
    synchronized (lock) {
      lapse("the member is stopping");
    }
    return execute(SimpleStatement.newInstance("DELETE FROM " + keyspace + ".member_sessions WHERE owner = ?", self)
        .setConsistencyLevel(ConsistencyLevel.QUORUM))
        .handle((rs, e) -> Done.getInstance());
  }

  // ---- leases -------------------------------------------------------------------------------------

  boolean holds(String name) {
    synchronized (lock) {
      lapseIfExpired();
      Held h = held.get(name);
      return h != null && h.session() == session && valid();
    }
  }

  /**
   * Takes the lease {@code name}: free, released, this member's own, or held by a member whose
   * session has expired. False while another live member holds it (sharding asks again after
   * {@code lease-retry-interval}).
   */
  CompletionStage<Boolean> acquire(String name, Consumer<Optional<Throwable>> lost) {
    return tables().thenCompose(ready -> ensureSession()).thenCompose(inSession -> {
      if (inSession < 0) return done(false);
      return claim(name).thenApply(epoch -> {
        if (epoch < 0) return false;
        releasing.remove(name);
        synchronized (lock) {
          if (session != inSession || !valid()) return false; // lapsed meanwhile: the row is ours, not usable
          held.put(name, new Held(epoch, inSession, lost));
          return true;
        }
      });
    });
  }

  /** Gives the lease back (a shard handed off or stopped); retried until it gets through. */
  CompletionStage<Boolean> release(String name) {
    Held h;
    synchronized (lock) {
      h = held.remove(name);
    }
    if (h == null) return done(false);
    releasing.put(name, h.epoch());
    return giveBack(name, h.epoch());
  }

  private CompletionStage<Boolean> giveBack(String name, long epoch) {
    return applied("UPDATE " + keyspace + ".shard_leases SET owner = '', epoch = ? WHERE name = ? IF owner = ? AND epoch = ?",
        epoch + 1, name, self, epoch)
        .thenApply(released -> {
          releasing.remove(name, epoch); // not applied: the row moved on, nothing left to give back
          return released;
        })
        .exceptionally(e -> false);
  }

  /** The current session's number once it is valid, renewing first if need be; -1 when it cannot be. */
  private CompletionStage<Long> ensureSession() {
    synchronized (lock) {
      lapseIfExpired();
      if (valid() && validUntil - nanos.getAsLong() > settings.operationTimeout().toNanos()) return done(session);
    }
    if (!shouldRenew()) return done(-1L);
    return renew().thenApply(ok -> {
      synchronized (lock) {
        return ok && valid() ? session : -1L;
      }
    });
  }

  /**
   * The epoch this member now holds {@code name} at, or -1 when another live member holds it. One
   * lightweight transaction for a shard nobody held yet: the insert, which when the row exists
   * answers with it (read in the same Paxos round), so no separate read is needed.
   */
  private CompletionStage<Long> claim(String name) {
    return execute(SimpleStatement.newInstance("INSERT INTO " + keyspace
            + ".shard_leases (name, owner, epoch) VALUES (?, ?, 1) IF NOT EXISTS", name, self)
        .setSerialConsistencyLevel(ConsistencyLevel.SERIAL).setConsistencyLevel(ConsistencyLevel.QUORUM))
        .thenCompose(rs -> {
          if (rs.wasApplied()) return done(1L);
          Row row = rs.one();
          return take(name, new Owner(row.getString("owner"), row.getLong("epoch")));
        });
  }

  /** Takes the existing row {@code current} over: at once if free or this member's, else once its owner's session is gone. */
  private CompletionStage<Long> take(String name, Owner current) {
    long next = current.epoch() + 1;
    CompletionStage<Boolean> mayTake = current.owner().isEmpty() || current.owner().equals(self)
        ? done(true)
        : sessionExpired(current.owner());
    return mayTake.thenCompose(may -> !may ? done(-1L)
        : applied("UPDATE " + keyspace + ".shard_leases SET owner = ?, epoch = ? WHERE name = ? IF owner = ? AND epoch = ?",
            self, next, name, current.owner(), current.epoch()).thenApply(taken -> taken ? next : -1L));
  }

  private CompletionStage<Boolean> sessionExpired(String owner) {
    return execute(SimpleStatement.newInstance("SELECT owner FROM " + keyspace + ".member_sessions WHERE owner = ?", owner)
        .setConsistencyLevel(ConsistencyLevel.QUORUM))
        .thenApply(rs -> rs.one() == null);
  }

  // ---- Cassandra ----------------------------------------------------------------------------------

  private synchronized CompletionStage<Void> tables() {
    if (tables == null || tables.toCompletableFuture().isCompletedExceptionally()) {
      tables = !autoCreate ? done(null) : ddl("CREATE TABLE IF NOT EXISTS " + keyspace
              + ".shard_leases (name text PRIMARY KEY, owner text, epoch bigint)")
          .thenCompose(rs -> ddl("CREATE TABLE IF NOT EXISTS " + keyspace
              + ".member_sessions (owner text PRIMARY KEY, renewed timestamp)"))
          .thenApply(rs -> null);
    }
    return tables;
  }

  private CompletionStage<AsyncResultSet> ddl(String cql) {
    // schema changes take seconds on a busy machine, more than a request's 2 s
    return execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(30)));
  }

  private CompletionStage<Boolean> applied(String cql, Object... values) {
    return execute(SimpleStatement.newInstance(cql, values).setSerialConsistencyLevel(ConsistencyLevel.SERIAL)
        .setConsistencyLevel(ConsistencyLevel.QUORUM))
        .thenApply(AsyncResultSet::wasApplied);
  }

  private CompletionStage<AsyncResultSet> execute(SimpleStatement statement) {
    SimpleStatement timed = statement.getTimeout() == null ? statement.setTimeout(settings.operationTimeout()) : statement;
    return cql.thenCompose(s -> s.executeAsync(timed));
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
