package dev.tugboat.boot;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.typesafe.config.Config;
import dev.tugboat.registry.Registry;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live cluster per keyspace. Every object is one entity, and Pekko keeps one incarnation of an
 * entity per cluster, not per keyspace: a second cluster on the same keyspace (a member started
 * without seeds, a first seed that could not reach the others) would run a second incarnation of
 * the same objects, and two writers of one journal partition lose acknowledged writes (Pekko's
 * replay filter drops one writer's events). So a cluster holds its keyspace by a lease: one row in
 * Cassandra, written only by lightweight transactions, that expires after {@code ttl} unless the
 * cluster's oldest control-plane member renews it.
 *
 * <ul>
 *   <li>A member that founds a cluster (it is the oldest control-plane member once Up) takes the
 *       lease before anything of it writes, waiting at most one {@code ttl} (the lease of a cluster
 *       that crashed expires meanwhile); a lease that a live cluster keeps renewing refuses its
 *       start, with a message saying so.
 *   <li>The keeper, a cluster singleton on the oldest control-plane member, renews it. When the
 *       singleton moves (the oldest left or died), the new keeper takes the lease over from the old
 *       holder, a member this member has seen in its own cluster.
 *   <li>A keeper that finds the lease in the hands of a member it never saw (its cluster was cut off
 *       from Cassandra for longer than the ttl, and another cluster took the keyspace) stops its own
 *       member, and with it this cluster's side of the keyspace.
 *   <li>A member that stops cleanly gives the lease back, so a restart need not wait.
 * </ul>
 *
 * <p>Members joining a live cluster need nothing: they are that cluster.
 */
public final class ClusterLease {
  private static final Logger log = LoggerFactory.getLogger(ClusterLease.class);
  private static final String NAME = "cluster";

  /** {@code tugboat.cluster-lease} of conf/application.conf. */
  record Settings(boolean enabled, Duration ttl, Duration renewInterval, Duration joinTimeout) {
    static Settings from(Config config) {
      Config c = config.getConfig("tugboat.cluster-lease");
      return new Settings(c.getBoolean("enabled"), c.getDuration("ttl"), c.getDuration("renew-interval"),
          c.getDuration("join-timeout"));
    }
  }

  /** What one step of keeping the lease found. */
  sealed interface Outcome {
    /** This member holds it (now, renewed for a ttl). */
    record Held() implements Outcome {}
    /** A member of another cluster holds it. */
    record Foreign(String holder) implements Outcome {}
    /** A member of this cluster that has not gone yet holds it (the keeper moved while it was leaving). */
    record Peer(String holder) implements Outcome {}
    /** Cassandra did not answer. */
    record Failed(Throwable error) implements Outcome {}
  }

  private final ActorSystem<?> system;
  private final Settings settings;
  private final CassandraSession session;
  private final String keyspace;
  private final String table;
  private final boolean autoCreate;
  private final int replicationFactor;
  private final String self;
  /** Every member of this cluster this member has seen: the holders a new keeper may take over from. */
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  ClusterLease(ActorSystem<?> system, Config config) {
    this.system = system;
    this.settings = Settings.from(config);
    this.session = CassandraSessionRegistry.get(system)
        .sessionFor(CassandraSessionSettings.create("pekko.persistence.cassandra"));
    this.keyspace = config.getString("pekko.persistence.cassandra.journal.keyspace");
    this.table = keyspace + ".cluster_lease";
    this.autoCreate = config.getBoolean("pekko.persistence.cassandra.journal.tables-autocreate");
    this.replicationFactor = config.getInt("pekko.persistence.cassandra.journal.replication-factor");
    this.self = text(Cluster.get(system).selfMember().uniqueAddress());
    seen.add(self);
  }

  static String text(UniqueAddress address) {
    return address.address() + "#" + address.longUid();
  }

  boolean enabled() {
    return settings.enabled();
  }

  /**
   * Blocks the start of a member until it may write: at once for a member that joined a live
   * cluster; for the founder of a cluster, once it holds the lease.
   *
   * @throws IllegalStateException when another live cluster holds the keyspace, or the member could
   *     not join or reach Cassandra in time, saying which
   */
  void gate() {
    system.systemActorOf(
        Behaviors.<ClusterEvent.MemberEvent>setup(context -> {
          Cluster.get(system).subscriptions().tell(Subscribe.create(context.getSelf(), ClusterEvent.MemberEvent.class));
          return Behaviors.receiveMessage(event -> {
            seen.add(text(event.member().uniqueAddress()));
            return Behaviors.same();
          });
        }), "cluster-lease-members", org.apache.pekko.actor.typed.Props.empty());
    Cluster cluster = Cluster.get(system);
    Instant joinBy = Instant.now().plus(settings.joinTimeout());
    while (cluster.selfMember().status() != MemberStatus.up()) {
      if (Instant.now().isAfter(joinBy)) {
        throw new IllegalStateException("this member did not join a cluster within " + settings.joinTimeout().toSeconds()
            + " s (tugboat.cluster-lease.join-timeout): are its seeds up?");
      }
      pause(Duration.ofMillis(50));
    }
    cluster.state().getMembers().forEach(m -> seen.add(text(m.uniqueAddress())));
    if (!isOldestControlPlane(cluster)) {
      log.info("Joined a live cluster: its oldest control-plane member keeps the lease of keyspace {}", keyspace);
      return;
    }
    join(ensureTable(), Duration.ofSeconds(65), "creating " + table);
    // Long enough for a crashed cluster's lease to run out, not long enough to wait on a live one.
    Instant deadline = Instant.now().plus(settings.ttl()).plus(settings.renewInterval().multipliedBy(2));
    Outcome last = null;
    boolean said = false;
    while (true) {
      last = join(keep(), settings.ttl(), "taking the lease of keyspace " + keyspace);
      if (last instanceof Outcome.Held) {
        log.info("This member founded the cluster of keyspace {} and holds its lease ({})", keyspace, table);
        return;
      }
      if (Instant.now().isAfter(deadline)) break;
      if (!said && last instanceof Outcome.Foreign foreign) {
        log.warn("The lease of keyspace {} is held by {}, which is not of this cluster; waiting up to {} s for it to expire",
            keyspace, foreign.holder(), Duration.between(Instant.now(), deadline).toSeconds());
        said = true;
      }
      pause(settings.renewInterval());
    }
    if (last instanceof Outcome.Foreign foreign) {
      throw new IllegalStateException("keyspace \"" + keyspace + "\" belongs to another live Tugboat cluster: its member "
          + foreign.holder() + " keeps renewing the cluster lease, and a second cluster on one keyspace would write the"
          + " same objects twice. Join that cluster (tug up --seed " + seedOf(foreign.holder()) + "), use another"
          + " keyspace, or stop that cluster first (the lease of a cluster that is gone expires within "
          + settings.ttl().toSeconds() + " s)");
    }
    throw new IllegalStateException("cannot take the lease of keyspace \"" + keyspace + "\": "
        + (last instanceof Outcome.Failed failed ? Tugboat.rootMessage(failed.error()) : last));
  }

  /**
   * One step: renew the lease if this member holds it; else take it if it is free or held by a
   * member of this cluster that is gone (down, exiting or removed: the keeper moves only then); else
   * say who holds it. A member of this cluster still present is waited for, never taken from: on the
   * losing side of a partition, the holder the other side chose is present (unreachable), and taking
   * it back would only make the lease swing to and fro until that side is downed.
   */
  CompletionStage<Outcome> keep() {
    long ttl = settings.ttl().toSeconds();
    return takeFrom(self)
        .thenCompose(renewed -> renewed ? done(new Outcome.Held()) : holder().thenCompose(holder -> {
          if (holder.isEmpty()) {
            return applied("INSERT INTO " + table + " (name, holder, renewed) VALUES (?, ?, toTimestamp(now())) IF NOT EXISTS USING TTL " + ttl,
                NAME, self).thenCompose(taken -> taken ? done(new Outcome.Held()) : keepAfterRace());
          }
          if (seen.contains(holder.get()) && present(holder.get())) return done(new Outcome.Peer(holder.get()));
          if (seen.contains(holder.get())) {
            return takeFrom(holder.get()).thenCompose(taken -> taken ? done(new Outcome.Held()) : keepAfterRace());
          }
          return done(new Outcome.Foreign(holder.get()));
        }))
        .exceptionally(Outcome.Failed::new);
  }

  /** Makes this member the holder for another ttl if {@code holder} holds it now (itself: a renewal). */
  private CompletionStage<Boolean> takeFrom(String holder) {
    return applied("UPDATE " + table + " USING TTL " + settings.ttl().toSeconds()
        + " SET holder = ?, renewed = toTimestamp(now()) WHERE name = ? IF holder = ?", self, NAME, holder);
  }

  /** Someone else wrote between the read and the write: what holds now decides. */
  private CompletionStage<Outcome> keepAfterRace() {
    return holder().thenApply(holder -> holder.filter(self::equals).<Outcome>map(h -> new Outcome.Held())
        .orElseGet(() -> new Outcome.Foreign(holder.orElse("(nobody: it expired meanwhile)"))));
  }

  /** Gives the lease back when this member holds it; a member that does not hold it changes nothing. */
  CompletionStage<Boolean> release() {
    return applied("DELETE FROM " + table + " WHERE name = ? IF holder = ?", NAME, self);
  }

  /** The member that holds the lease, if any. */
  CompletionStage<Optional<String>> holder() {
    return execute(SimpleStatement.newInstance("SELECT holder FROM " + table + " WHERE name = ?", NAME)
        .setSerialConsistencyLevel(com.datastax.oss.driver.api.core.ConsistencyLevel.SERIAL)
        .setConsistencyLevel(com.datastax.oss.driver.api.core.ConsistencyLevel.SERIAL)
        .setTimeout(operationTimeout()))
        .thenApply(rs -> Optional.ofNullable(rs.one()).map(row -> row.getString("holder")));
  }

  private CompletionStage<Void> ensureTable() {
    if (!autoCreate) return CompletableFuture.completedFuture(null);
    // Schema changes take seconds on a busy machine, more than the driver's 2 s for a request.
    Duration schemaTimeout = Duration.ofSeconds(30);
    return execute(SimpleStatement.newInstance("CREATE KEYSPACE IF NOT EXISTS " + keyspace
        + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': " + replicationFactor + "}")
        .setTimeout(schemaTimeout))
        .thenCompose(rs -> execute(SimpleStatement.newInstance("CREATE TABLE IF NOT EXISTS " + table
            + " (name text PRIMARY KEY, holder text, renewed timestamp)").setTimeout(schemaTimeout)))
        .thenApply(rs -> null);
  }

  private CompletionStage<Boolean> applied(String cql, Object... values) {
    return execute(SimpleStatement.newInstance(cql, values).setTimeout(operationTimeout()))
        .thenApply(AsyncResultSet::wasApplied);
  }

  /**
   * A lightweight transaction takes four round trips (Paxos), and a loaded machine can stretch them
   * past the driver's 2 s; a third of the ttl still leaves two renewals before the lease runs out.
   */
  private Duration operationTimeout() {
    return settings.ttl().dividedBy(3);
  }

  private CompletionStage<AsyncResultSet> execute(SimpleStatement statement) {
    return session.underlying().thenCompose((CqlSession s) -> s.executeAsync(statement));
  }

  /** Whether {@code holder} is a member of this cluster that has not gone (not down, exiting nor removed). */
  private boolean present(String holder) {
    for (Member m : Cluster.get(system).state().getMembers()) {
      if (text(m.uniqueAddress()).equals(holder)) {
        MemberStatus status = m.status();
        return status != MemberStatus.down() && status != MemberStatus.exiting() && status != MemberStatus.removed();
      }
    }
    return false;
  }

  private static boolean isOldestControlPlane(Cluster cluster) {
    Optional<Member> oldest = StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up() && m.hasRole(Registry.CONTROL_PLANE_ROLE))
        .min(Comparator.comparing(m -> m, (a, b) -> a.isOlderThan(b) ? -1 : b.isOlderThan(a) ? 1 : 0));
    return oldest.map(m -> m.uniqueAddress().equals(cluster.selfMember().uniqueAddress())).orElse(true);
  }

  /** {@code 127.0.0.1:25520} of {@code pekko://tugboat@127.0.0.1:25520#123}. */
  static String seedOf(String holder) {
    int at = holder.indexOf('@');
    int hash = holder.lastIndexOf('#');
    return at < 0 ? holder : holder.substring(at + 1, hash > at ? hash : holder.length());
  }

  /**
   * The keeper: a cluster singleton on the oldest control-plane member that renews the lease every
   * {@code renew-interval}, and stops its member when another cluster holds the keyspace.
   */
  Behavior<Object> keeper() {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay("renew", Tick.INSTANCE, Duration.ZERO, settings.renewInterval());
      boolean[] failing = {false};
      return Behaviors.receiveMessage(message -> {
        if (message == Tick.INSTANCE) {
          context.pipeToSelf(keep(), (outcome, error) -> outcome != null ? outcome : new Outcome.Failed(error));
        } else if (message instanceof Outcome.Peer peer) {
          log.info("The lease of keyspace {} is still held by {}, which is leaving; taking it when it has gone", keyspace,
              peer.holder());
        } else if (message instanceof Outcome.Held) {
          if (failing[0]) log.info("The lease of keyspace {} is renewed again", keyspace);
          failing[0] = false;
        } else if (message instanceof Outcome.Failed failed) {
          if (!failing[0]) {
            log.warn("Cannot renew the lease of keyspace {} ({}); trying every {} s. Past {} s without a renewal another"
                + " cluster could take the keyspace, and this one would then stop", keyspace,
                Tugboat.rootMessage(failed.error()), settings.renewInterval().toSeconds(), settings.ttl().toSeconds());
          }
          failing[0] = true;
        } else if (message instanceof Outcome.Foreign foreign) {
          log.error("The lease of keyspace {} is held by {}, a member of another cluster: this cluster lost the keyspace"
              + " (its lease ran out) and must not write to it any more. Stopping this member.", keyspace, foreign.holder());
          CoordinatedShutdown.get(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system))
              .runAll(LostLease.INSTANCE);
          return Behaviors.stopped();
        }
        return Behaviors.same();
      });
    }));
  }

  /** Gives the lease back as the member stops, while Cassandra's session is still open. */
  void releaseOnShutdown() {
    CoordinatedShutdown.get(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system)).addTask(
        CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "release-cluster-lease",
        () -> release().handle((released, error) -> {
          if (Boolean.TRUE.equals(released)) log.info("Gave back the lease of keyspace {}", keyspace);
          return org.apache.pekko.Done.getInstance();
        }).toCompletableFuture().completeOnTimeout(org.apache.pekko.Done.getInstance(), 5, TimeUnit.SECONDS));
  }

  private enum Tick { INSTANCE }

  /** Why the member stopped: another cluster holds its keyspace. */
  public static final class LostLease implements CoordinatedShutdown.Reason {
    static final LostLease INSTANCE = new LostLease();

    private LostLease() {}
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  private static <T> T join(CompletionStage<T> stage, Duration timeout, String what) {
    try {
      return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + what, e);
    } catch (Exception e) {
      throw new IllegalStateException(what + ": " + Tugboat.rootMessage(e), e);
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis()); // polling Cassandra or the membership, with a deadline, at start only
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", e);
    }
  }
}
