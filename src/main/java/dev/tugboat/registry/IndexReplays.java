package dev.tugboat.registry;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this member's indexes whole by reading the journal: each object's last event is its
 * current state. The first read makes an index answer and is retried until it succeeds.
 *
 * <p>Changes reach an index on a cluster topic, which delivers at most once and reaches a
 * subscriber only once the publishing member has learnt of it (receptionist gossip, seconds after
 * a member joins or becomes reachable again). What was published meanwhile never arrives, so the
 * journal is read again {@code catch-up-after} after the first read, after every member that comes
 * up and after every member that becomes reachable again; and every {@code resync-interval}, a
 * safety net for a change lost in transit. An index applies only what is newer than what it holds.
 *
 * <p>Reads run one at a time: two interleaved replays would confuse an index's tombstones, which
 * keep a replay's old read of a deleted object from bringing it back. Equal requests waiting in
 * line are one.
 */
final class IndexReplays {
  private static final Logger log = LoggerFactory.getLogger(IndexReplays.class);

  /** A read of the journal for one kind's index (null: all kinds); {@code first} fills an empty index. */
  private record Request(String onlyKind, boolean first) {}

  private final ActorSystem<?> system;
  private final Map<String, ActorRef<WatchCache.Command>> caches;
  private final CassandraReadJournal journal;
  private final LastEvents lastEvents;
  private final int parallelism;
  private final Duration catchUpAfter;
  private final Duration resyncInterval;
  private final Duration retry;
  private final ArrayDeque<Request> queue = new ArrayDeque<>();
  private boolean running;

  /** Replays for {@code caches}, a live map: kinds added later are read when {@link #fill} is called for them. */
  IndexReplays(ActorSystem<?> system, Map<String, ActorRef<WatchCache.Command>> caches, Config config) {
    this.system = system;
    this.caches = caches;
    this.journal = PersistenceQuery.get(system)
        .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
    this.lastEvents = new LastEvents(system, journal);
    this.parallelism = config.getInt("rebuild-parallelism");
    this.catchUpAfter = config.getDuration("catch-up-after");
    this.resyncInterval = config.getDuration("resync-interval");
    this.retry = config.getDuration("rebuild-retry");
  }

  /** Fills every index, then keeps them caught up as the class comment says. */
  void start() {
    request(new Request(null, true));
    if (!resyncInterval.isZero()) {
      system.scheduler().scheduleWithFixedDelay(resyncInterval, resyncInterval,
          () -> request(new Request(null, false)), system.executionContext());
    }
    if (!catchUpAfter.isZero()) {
      Behavior<ClusterEvent.ClusterDomainEvent> watcher = Behaviors.setup(context -> {
        var subscriptions = Cluster.get(system).subscriptions();
        subscriptions.tell(Subscribe.create(context.getSelf().narrow(), ClusterEvent.MemberUp.class));
        subscriptions.tell(Subscribe.create(context.getSelf().narrow(), ClusterEvent.ReachableMember.class));
        return Behaviors.receiveMessage(event -> {
          catchUpLater(null);
          return Behaviors.same();
        });
      });
      system.systemActorOf(watcher, "index-catch-up", Props.empty());
    }
  }

  /** Fills the index of a kind served from now on (a CRD's), then catches it up once. */
  void fill(String kind) {
    request(new Request(kind, true));
  }

  private void catchUpLater(String onlyKind) {
    later(catchUpAfter, new Request(onlyKind, false));
  }

  private void later(Duration after, Request request) {
    try {
      system.scheduler().scheduleOnce(after, () -> request(request), system.executionContext());
    } catch (IllegalStateException shuttingDown) {
      // the member is stopping: no more replays
    }
  }

  /** Reads the journal of {@code kind} again: its index found a change missing (a gap in a publisher's numbers). */
  void catchUp(String kind) {
    request(new Request(kind, false));
  }

  private synchronized void request(Request request) {
    if (!queue.contains(request)) queue.addLast(request);
    if (!running) runNext();
  }

  private synchronized void runNext() {
    Request next = queue.pollFirst();
    running = next != null;
    if (next != null) replay(next).whenComplete((done, error) -> runNext());
  }

  private CompletionStage<Done> replay(Request request) {
    Map<String, ActorRef<WatchCache.Command>> targets = request.onlyKind() == null ? Map.copyOf(caches)
        : Map.of(request.onlyKind(), caches.get(request.onlyKind()));
    // The indexes know a catch-up began before it reads (what a consistent list relies on, WatchCache).
    CompletableFuture<?> started = request.first() ? CompletableFuture.completedFuture(null)
        : CompletableFuture.allOf(targets.values().stream()
            .map(c -> AskPattern.<WatchCache.Command, Done>ask(c, WatchCache.ReplayStarted::new, Duration.ofSeconds(10),
                system.scheduler()).toCompletableFuture())
            .toArray(CompletableFuture[]::new));
    // An index too busy to answer in time is read for all the same (a replay must end with Loaded).
    return started.handle((ok, slow) -> request).thenCompose(r -> read(r, targets));
  }

  private CompletionStage<Done> read(Request request, Map<String, ActorRef<WatchCache.Command>> targets) {
    long start = System.nanoTime();
    AtomicInteger objects = new AtomicInteger();
    return journal.currentPersistenceIds()
        .filter(pid -> targets.containsKey(pid.substring(0, Math.max(0, pid.indexOf('|')))))
        .mapAsyncUnordered(parallelism, pid -> lastEvents.of(pid).thenApply(event -> Pair.create(pid, event)))
        .runForeach(last -> {
          objects.incrementAndGet();
          if (last.second().orElse(null) instanceof ObjectEntity.Event e) {
            String pid = last.first();
            String kind = pid.substring(0, pid.indexOf('|'));
            String key = pid.substring(pid.indexOf('|') + 1);
            targets.get(kind).tell(new WatchCache.Apply(new Change(kind, key, e.object(),
                ObjectMeta.resourceVersion(e.object()), e instanceof ObjectEntity.Deleted), true));
          }
        }, system)
        .whenComplete((done, error) -> {
          if (error == null) {
            if (request.first()) {
              log.info("Indexes of {} rebuilt from the journal in {} ms ({} objects)",
                  request.onlyKind() == null ? "all kinds" : request.onlyKind(), (System.nanoTime() - start) / 1_000_000,
                  objects.get());
              if (!catchUpAfter.isZero()) catchUpLater(request.onlyKind());
            }
            targets.values().forEach(c -> c.tell(new WatchCache.Loaded()));
          } else {
            targets.values().forEach(c -> c.tell(new WatchCache.LoadFailed(error.toString())));
            if (request.first()) later(retry, request);
          }
        })
        .exceptionally(error -> Done.getInstance());
  }
}
