package dev.tugboat.registry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Status;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.Set;
import java.util.function.Predicate;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * The list/watch index of one kind on one member: the latest state of every object, and a window of
 * recent changes for watches that resume from a resourceVersion.
 *
 * <p>It is only ever derived: filled from the journal when it starts, then kept current by the
 * changes the entities publish. Until the journal has been read, requests wait (stashed), so a list
 * never answers from a half-built index.
 *
 * <p>The topic delivers at most once, and reaches a new subscriber only once the other members know
 * of it, so the journal is read again later (a catch-up replay): what the index missed is applied
 * then, and watchers get it as news; what it already has is skipped by resourceVersion.
 *
 * <p>Objects are also kept by the fields of {@link Indexed} (the node a pod is bound to, an
 * object's controller), as Kubernetes' watch cache and informers do: a list or watch scoped to a
 * slice ({@code scope} in {@link List_} and {@link Watch}) looks only at that slice, and a change
 * reaches only the scoped watchers of its slices. Without it, every node agent's resync scanned
 * every pod and every pod change was tested against every agent's watch (at 5,000 nodes, tens of
 * millions of tests a minute on this one actor), and every ReplicaSet's sync scanned every pod of
 * its namespace.
 */
public final class WatchCache extends AbstractBehavior<WatchCache.Command> {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(WatchCache.class);
  /** How often lists waiting to be fresh enough are looked at (changes arriving look at them too). */
  private static final Duration PARKED_TICK = Duration.ofMillis(100);
  /**
   * How long a list waits on a publisher's changes before the journal is read: a change in flight
   * arrives in milliseconds, so after this it was lost or predates the index's subscription.
   */
  private static final Duration REPLAY_AFTER = Duration.ofSeconds(1);

  public sealed interface Command {}

  /** A change published by an entity (live) or read back from the journal ({@code replayed}). */
  public record Apply(Change change, boolean replayed) implements Command {
    public Apply(Change change) {
      this(change, false);
    }
  }

  /**
   * A catch-up replay of the journal begins; the first replay, at start, needs no such message. The
   * replay reads the journal only once {@code ack} has been answered, so every change numbered
   * before the index had this message was in the journal when the read began.
   */
  public record ReplayStarted(ActorRef<Done> ack) implements Command {
    public ReplayStarted() {
      this(null);
    }
  }

  /** The journal has been read to its end: from now on the index answers. */
  public record Loaded() implements Command {}

  /**
   * Reading the journal failed. Before the first success the index answers 503 saying why (the
   * registry retries); once loaded it keeps serving what it has.
   */
  public record LoadFailed(String reason) implements Command {}

  /**
   * Lists the objects of {@code namespace} (null: all) accepted by {@code filter}, in key order,
   * at most {@code limit} (0: all), continuing after the key in {@code continueToken}; with a
   * {@code scope}, only that slice (the filter still applies).
   */
  public record List_(String namespace, Indexed scope, Predicate<ObjectNode> filter, int limit, String continueToken,
      Freshness freshness, ActorRef<ListResult> replyTo) implements Command {
    public List_(String namespace, Indexed scope, Predicate<ObjectNode> filter, int limit, String continueToken,
        ActorRef<ListResult> replyTo) {
      this(namespace, scope, filter, limit, continueToken, Freshness.ANY, replyTo);
    }
  }

  /**
   * How fresh a list must be, as Kubernetes' resourceVersion and resourceVersionMatch ask. The
   * index answers once it holds every change numbered up to {@code published} (publisher: number;
   * a consistent read, see {@link FeedPositions}) and its version is at least {@code notOlderThan};
   * then as the objects were at version {@code exact} when that is not -1 (rebuilt from the window:
   * 410 Expired when the window no longer reaches back so far). Not fresh enough within {@code
   * patience}: a 504.
   */
  public record Freshness(Map<String, Long> published, long notOlderThan, long exact, Duration patience) {
    /** Whatever the index holds now (resourceVersion "0"). */
    public static final Freshness ANY = new Freshness(Map.of(), 0, -1, Duration.ZERO);
  }

  /** The answer to a list; {@code failure} is set when the request could not be served. */
  public record ListResult(List<ObjectNode> items, long resourceVersion, String continueToken,
      Long remainingItemCount, Status failure) {}

  /**
   * Streams changes to {@code sink}: from {@code fromVersion} (exclusive; -1: first an ADDED for every
   * current object), then live. A version older than the retained window gets an ERROR event with
   * a 410 Expired Status, as in Kubernetes. With a {@code scope}, only changes in that slice (an
   * object leaving it is DELETED for the watcher, if its filter says so: the filter must imply the scope).
   */
  public record Watch(String namespace, Indexed scope, Predicate<ObjectNode> filter, long fromVersion,
      boolean bookmarks, ActorRef<WatchEvent> sink) implements Command {}

  /** Replies when the object at {@code key} has reached at least {@code version} (read-your-writes). */
  public record AwaitVersion(String key, long version, ActorRef<Done> replyTo) implements Command {}

  /** How many watches are open and how many objects the index holds (for /metrics). */
  public record CountWatches(ActorRef<Counts> replyTo) implements Command {}

  /** The answer to {@link CountWatches}. */
  public record Counts(int watches, int objects) {}

  private record WatcherGone(ActorRef<WatchEvent> sink) implements Command {}

  /** What the kind's topic delivered: a numbered change, or a publisher's heartbeat. */
  record Published(ChangeFeed.Message message) implements Command {}

  private enum BookmarkTick implements Command { INSTANCE }

  private record Watcher(String namespace, Predicate<ObjectNode> filter, boolean bookmarks) {}

  /**
   * A change as the index saw it: with the object's state before it, the index's high-water mark,
   * and about how many bytes of JSON the two objects hold (what the window's byte bound counts).
   */
  private record Entry(Change change, ObjectNode previous, long highWaterBefore, long bytes) {}

  private record Pending(long version, ActorRef<Done> replyTo) {}

  /** A list waiting for its freshness, until {@code deadline} (System.nanoTime()). */
  private record Parked(List_ list, long since, long deadline) {}

  private enum ParkedTick implements Command { INSTANCE }

  /** An index of {@code kind}, subscribed to the topic its entities publish on. */
  static Behavior<Command> create(String kind, ActorRef<Topic.Command<ChangeFeed.Message>> topic, int windowSize,
      Duration bookmarkInterval) {
    return create(kind, topic, new Window(windowSize, Long.MAX_VALUE), bookmarkInterval, () -> { });
  }

  /**
   * How many changes a kind's window keeps for watches that resume from a resourceVersion: at most
   * {@code changes} of them, and at most {@code bytes} of JSON (each change's object and the one
   * before it), whichever bound comes first. The newest change is always kept.
   */
  public record Window(int changes, long bytes) {}

  /**
   * An index of {@code kind} with a window bounded by count and by bytes. {@code onGap} runs when a
   * publisher's numbered changes show that one never arrived: it asks for a read of the journal.
   */
  static Behavior<Command> create(String kind, ActorRef<Topic.Command<ChangeFeed.Message>> topic, Window bounds,
      Duration bookmarkInterval, Runnable onGap) {
    // Resumed, not restarted, on a failure: the index is this member's copy of every object of the
    // kind, and a fresh one would answer empty lists until a rebuild. One message that fails (a
    // caller's filter that throws, a bug) is dropped; the periodic catch-up repairs what it missed.
    return Behaviors.supervise(Behaviors.<Command>withStash(100_000, stash -> Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      topic.tell(Topic.subscribe(context.messageAdapter(ChangeFeed.Message.class, Published::new)));
      timers.startTimerWithFixedDelay(BookmarkTick.INSTANCE, bookmarkInterval);
      return new WatchCache(context, stash, timers, kind, bounds, onGap);
    })))).onFailure(SupervisorStrategy.resume());
  }

  private final StashBuffer<Command> stash;
  private final String kind;
  private final Window bounds;
  private final Runnable onGap;
  /** The number of the last change seen from each publisher (a member's incarnation) of the kind. */
  private final Map<String, Long> lastNumbers = new HashMap<>();
  /**
   * Per publisher, the number up to which every change it published is known to be here: each
   * received in turn from its first, or read by a replay that began after the number arrived.
   */
  private final Map<String, Long> complete = new HashMap<>();
  private Map<String, Long> numbersAtReplayStart = Map.of();
  private final List<Parked> parked = new ArrayList<>();
  private final org.apache.pekko.actor.typed.javadsl.TimerScheduler<Command> timers;
  private long windowBytes;
  private final NavigableMap<String, ObjectNode> objects = new TreeMap<>();
  // Deletions seen while a replay runs: a replay's older read of a deleted object must not bring it back.
  private final Map<String, Long> tombstones = new HashMap<>();
  private final ArrayDeque<Entry> window = new ArrayDeque<>();
  private final Map<ActorRef<WatchEvent>, Watcher> watchers = new HashMap<>();
  // The slices: keys by each indexed field's value, and the watchers scoped to a slice.
  private final Map<Indexed, Set<String>> slices = new HashMap<>();
  private final Map<Indexed, Map<ActorRef<WatchEvent>, Watcher>> scopedWatchers = new HashMap<>();
  private final Map<String, List<Pending>> pending = new HashMap<>();
  private long highWater;
  private long horizon; // every change with a version above this is in the window
  private boolean loaded;
  private boolean replaying = true;
  private long lastParkedReplay = System.nanoTime();
  private int caughtUp; // changes a catch-up replay found that the topic had not delivered
  private String loadFailure;

  private WatchCache(ActorContext<Command> context, StashBuffer<Command> stash,
      org.apache.pekko.actor.typed.javadsl.TimerScheduler<Command> timers, String kind, Window bounds, Runnable onGap) {
    super(context);
    this.stash = stash;
    this.timers = timers;
    this.kind = kind;
    this.bounds = bounds;
    this.onGap = onGap;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Apply.class, m -> onApply(m.change(), m.replayed()))
        .onMessage(Published.class, m -> onPublished(m.message()))
        .onMessage(ReplayStarted.class, m -> {
          replaying = true;
          caughtUp = 0;
          // What the read will find: every change numbered before now, received or not. The numbers
          // parked lists wait for were handed to their feeds (so persisted) before those lists came.
          Map<String, Long> numbers = new HashMap<>(lastNumbers);
          parked.forEach(p -> p.list().freshness().published().forEach((publisher, number) ->
              numbers.merge(publisher, number, Math::max)));
          numbersAtReplayStart = numbers;
          if (m.ack() != null) m.ack().tell(Done.getInstance());
          return this;
        })
        .onMessage(ParkedTick.class, m -> retryParked())
        .onMessage(Loaded.class, m -> onLoaded())
        .onMessage(LoadFailed.class, this::onLoadFailed)
        .onMessage(List_.class, this::onList)
        .onMessage(Watch.class, this::onWatch)
        .onMessage(AwaitVersion.class, this::onAwait)
        .onMessage(CountWatches.class, m -> {
          m.replyTo().tell(new Counts(watchers.size() + scopedWatchers.values().stream().mapToInt(Map::size).sum(),
              objects.size()));
          return this;
        })
        .onMessage(WatcherGone.class, m -> {
          if (watchers.remove(m.sink()) == null) {
            scopedWatchers.values().removeIf(scoped -> scoped.remove(m.sink()) != null && scoped.isEmpty());
          }
          return this;
        })
        .onMessage(BookmarkTick.class, m -> onBookmarkTick())
        .build();
  }

  /**
   * A publisher's changes come numbered, in order: a number beyond the next one (or a heartbeat
   * beyond the last seen) means a change was lost on its way, and the journal is read again. The
   * first number seen from a publisher is its baseline: what it published before this index
   * subscribed is the first fill's and the catch-up reads' to find.
   */
  private Behavior<Command> onPublished(ChangeFeed.Message message) {
    Long last = lastNumbers.get(message.publisher());
    long expected = message instanceof ChangeFeed.Numbered ? message.number() - 1 : message.number();
    if (last != null && expected > last) {
      log.warn("The index of {} missed {} change(s) published by {}: reading the journal again",
          kind, expected - last, message.publisher());
      onGap.run();
    }
    if (last == null || message.number() > last) lastNumbers.put(message.publisher(), message.number());
    if (message instanceof ChangeFeed.Numbered numbered) {
      // In turn from the first (number 1: a publisher that began after this index subscribed).
      if (complete.getOrDefault(message.publisher(), 0L) == message.number() - 1) {
        complete.put(message.publisher(), message.number());
      }
      onApply(numbered.change(), false);
    }
    return retryParked();
  }

  private Behavior<Command> onApply(Change change, boolean replayed) {
    ObjectNode previous = objects.get(change.key());
    long known = previous != null ? ObjectMeta.resourceVersion(previous) : tombstones.getOrDefault(change.key(), 0L);
    if (change.resourceVersion() <= known) return this; // already seen (journal and live overlap)
    if (change.deleted()) {
      objects.remove(change.key());
      if (replaying) tombstones.put(change.key(), change.resourceVersion());
    } else {
      objects.put(change.key(), change.object());
    }
    List<Indexed> slicesBefore = slicesOf(previous);
    List<Indexed> slicesAfter = change.deleted() ? List.of() : slicesOf(change.object());
    for (Indexed slice : slicesBefore) {
      if (slicesAfter.contains(slice)) continue;
      Set<String> keys = slices.get(slice);
      keys.remove(change.key());
      if (keys.isEmpty()) slices.remove(slice);
    }
    for (Indexed slice : slicesAfter) slices.computeIfAbsent(slice, n -> new HashSet<>()).add(change.key());
    long before = highWater;
    highWater = Math.max(highWater, change.resourceVersion());
    if (!loaded) return this; // loading: the index's start state, not news for watchers
    // A deletion of what the index does not hold is no news (a replay reads every deleted object).
    if (!change.deleted() || previous != null) {
      if (replaying && replayed) caughtUp++; // live changes arriving meanwhile are no catch-up
      long bytes = ObjectSize.bytes(change.object(), Long.MAX_VALUE)
          + (previous == null ? 0 : ObjectSize.bytes(previous, Long.MAX_VALUE));
      Entry entry = new Entry(change, previous, before, bytes);
      window.addLast(entry);
      windowBytes += bytes;
      while (window.size() > 1 && (window.size() > bounds.changes() || windowBytes > bounds.bytes())) {
        Entry oldest = window.removeFirst();
        windowBytes -= oldest.bytes();
        horizon = Math.max(horizon, oldest.change().resourceVersion());
      }
      watchers.forEach((sink, w) -> deliver(sink, w, entry));
      if (!scopedWatchers.isEmpty()) {
        slicesBefore.forEach(slice -> deliverScoped(slice, entry));
        slicesAfter.forEach(slice -> {
          if (!slicesBefore.contains(slice)) deliverScoped(slice, entry);
        });
      }
    }
    List<Pending> waiting = pending.get(change.key());
    if (waiting != null) {
      waiting.removeIf(p -> {
        if (p.version() <= change.resourceVersion()) {
          p.replyTo().tell(Done.getInstance());
          return true;
        }
        return false;
      });
      if (waiting.isEmpty()) pending.remove(change.key());
    }
    return this;
  }

  private Behavior<Command> onLoaded() {
    replaying = false;
    tombstones.clear();
    numbersAtReplayStart.forEach((publisher, number) -> complete.merge(publisher, number, Math::max));
    numbersAtReplayStart = Map.of();
    if (loaded) {
      retryParked();
      if (caughtUp > 0) {
        getContext().getLog().warn("{} index: a replay of the journal found {} changes the topic had not delivered",
            kind, caughtUp);
      }
      return this;
    }
    loaded = true;
    loadFailure = null;
    // Nothing before this moment is in the window: a watch from an older version must relist.
    horizon = Math.max(highWater, ResourceVersionClock.now());
    getContext().getLog().info("{} index ready: {} objects, resourceVersion {}", kind, objects.size(), highWater);
    return stash.unstashAll(this);
  }

  private Behavior<Command> onLoadFailed(LoadFailed m) {
    replaying = false;
    tombstones.clear();
    numbersAtReplayStart = Map.of(); // a failed read confirms nothing
    if (loaded) {
      getContext().getLog().warn("A catch-up replay of the {} index failed: {}", kind, m.reason());
      return this;
    }
    loadFailure = m.reason();
    getContext().getLog().error("Rebuilding the {} index from the journal failed (retrying): {}", kind, m.reason());
    return stash.unstashAll(this);
  }

  private Behavior<Command> onList(List_ m) {
    if (!ready()) return stashOrRefuse(m, () -> m.replyTo().tell(new ListResult(List.of(), 0, null, null, unavailable())));
    if (fresh(m.freshness())) {
      answer(m);
    } else {
      parked.add(new Parked(m, System.nanoTime(), System.nanoTime() + m.freshness().patience().toNanos()));
      if (!timers.isTimerActive(ParkedTick.INSTANCE)) timers.startTimerWithFixedDelay(ParkedTick.INSTANCE, PARKED_TICK);
    }
    return this;
  }

  /** Lists for {@code m}, fresh enough now: as the objects are, or were at an exact version (a continued list's). */
  private void answer(List_ m) {
    NavigableMap<String, ObjectNode> range = scope(m.namespace(), m.scope());
    long version = listVersion();
    long at = m.freshness().exact();
    String after = null;
    boolean continued = m.continueToken() != null && !m.continueToken().isEmpty();
    if (continued) {
      Continue token = Continue.decode(m.continueToken());
      // not a token this server issued for this list (another namespace's, or made up)
      if (token == null || tailOrNull(range, token.key()) == null) {
        m.replyTo().tell(new ListResult(List.of(), 0, null, null, badContinue(m.continueToken())));
        return;
      }
      at = token.version();
      after = token.key();
    }
    if (at >= 0) {
      if (at < horizon) {
        m.replyTo().tell(new ListResult(List.of(), 0, null, null, Status.expired(continued
            ? "The provided continue parameter is too old to display a consistent list result. You can start a new list"
                + " without the continue parameter."
            : "too old resource version: " + at + " (" + horizon + ")")));
        return;
      }
      range = asOf(at, range, m.namespace(), m.scope());
      version = at;
    }
    if (after != null) range = tailOrNull(range, after);
    List<ObjectNode> items = new ArrayList<>();
    String lastKey = null;
    long remaining = 0;
    for (Map.Entry<String, ObjectNode> e : range.entrySet()) {
      if (!m.filter().test(e.getValue())) continue;
      if (m.limit() > 0 && items.size() >= m.limit()) {
        remaining++;
        continue;
      }
      items.add(e.getValue());
      lastKey = e.getKey();
    }
    // The next page is this list's too: as the objects were at this version, whatever changes meanwhile.
    String next = remaining > 0 ? new Continue(version, lastKey).encode() : null;
    m.replyTo().tell(new ListResult(items, version, next, remaining > 0 ? remaining : null, null));
  }

  private static Status badContinue(String token) {
    return Status.badRequest("continue key is not valid: \"" + token + "\" was not issued for this list");
  }

  /** Whether the index holds what {@code f} asks for. */
  private boolean fresh(Freshness f) {
    if (listVersion() < f.notOlderThan()) return false;
    for (Map.Entry<String, Long> p : f.published().entrySet()) {
      if (complete.getOrDefault(p.getKey(), 0L) < p.getValue()) return false;
    }
    return true;
  }

  /**
   * Answers the parked lists that are fresh now, and those past their deadline with a 504. A list
   * kept waiting on a publisher's changes for {@link #REPLAY_AFTER} has the journal read again: the
   * change it waits for may be lost, or older than this index's subscription.
   */
  private Behavior<Command> retryParked() {
    if (parked.isEmpty()) return this;
    long now = System.nanoTime();
    boolean behind = false;
    for (var it = parked.iterator(); it.hasNext(); ) {
      Parked p = it.next();
      Freshness f = p.list().freshness();
      if (fresh(f)) {
        it.remove();
        answer(p.list());
      } else if (now - p.deadline() >= 0) {
        it.remove();
        p.list().replyTo().tell(new ListResult(List.of(), 0, null, null, listVersion() < f.notOlderThan()
            ? Status.timeout("Too large resource version: " + f.notOlderThan() + ", current: " + listVersion())
            : Status.timeout("the " + kind + " index of this member did not catch up with the writes acknowledged"
                + " before the list within " + f.patience().toMillis() + " ms; retry, or list with resourceVersion=0")));
      } else if (now - p.since() >= REPLAY_AFTER.toNanos()) {
        behind = true;
      }
    }
    if (behind && !replaying && now - lastParkedReplay >= REPLAY_AFTER.toNanos()) {
      lastParkedReplay = now;
      onGap.run();
    }
    if (parked.isEmpty()) timers.cancel(ParkedTick.INSTANCE);
    return this;
  }

  /**
   * The objects of {@code range} as they were at {@code version}: each changed since then as it was
   * before the first such change the window holds (absent if it did not exist then, or was outside
   * the scope). Every change above {@link #horizon} is in the window, so {@code version} must not be below it.
   */
  private NavigableMap<String, ObjectNode> asOf(long version, NavigableMap<String, ObjectNode> range, String namespace,
      Indexed slice) {
    Map<String, Entry> firstAfter = new HashMap<>();
    for (Entry e : window) {
      if (e.change().resourceVersion() > version) firstAfter.putIfAbsent(e.change().key(), e);
    }
    if (firstAfter.isEmpty()) return range;
    NavigableMap<String, ObjectNode> then = new TreeMap<>(range);
    firstAfter.forEach((key, e) -> {
      ObjectNode before = e.previous();
      boolean inScope = before != null && (namespace == null || key.startsWith(namespace + "/"))
          && (slice == null || slicesOf(before).contains(slice));
      if (inScope) then.put(key, before);
      else then.remove(key);
    });
    return then;
  }

  private Behavior<Command> onWatch(Watch m) {
    if (!ready()) {
      return stashOrRefuse(m, () -> {
        m.sink().tell(new WatchEvent("ERROR", dev.tugboat.model.Codec.toObjectNode(unavailable())));
      });
    }
    Watcher w = new Watcher(m.namespace(), m.filter(), m.bookmarks());
    if (m.fromVersion() < 0) {
      for (ObjectNode o : scope(m.namespace(), m.scope()).values()) {
        if (m.filter().test(o)) m.sink().tell(new WatchEvent("ADDED", o));
      }
    } else if (m.fromVersion() < horizon) {
      m.sink().tell(new WatchEvent("ERROR", dev.tugboat.model.Codec.toObjectNode(Status.expired(
          "too old resource version: " + m.fromVersion() + " (" + horizon + ")"))));
      return this;
    } else {
      for (Entry e : since(m.fromVersion())) deliver(m.sink(), w, e);
    }
    if (m.scope() == null) watchers.put(m.sink(), w);
    else scopedWatchers.computeIfAbsent(m.scope(), n -> new HashMap<>()).put(m.sink(), w);
    getContext().watchWith(m.sink(), new WatcherGone(m.sink()));
    return this;
  }

  /**
   * The changes of the window a watch from {@code fromVersion} is owed: newer than asked, or arrived
   * after the index had passed that version (a change from a member whose message was overtaken).
   * At least once, never missed. They are the window's end (after one such change every later one
   * arrived with the index past it), so a watch from a recent version, as an informer's right after
   * its list, looks at those few, not at the whole window.
   */
  private Iterable<Entry> since(long fromVersion) {
    ArrayDeque<Entry> owed = new ArrayDeque<>();
    for (var it = window.descendingIterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.change().resourceVersion() <= fromVersion && e.highWaterBefore() < fromVersion) break;
      owed.addFirst(e);
    }
    return owed;
  }

  private Behavior<Command> onAwait(AwaitVersion m) {
    ObjectNode current = objects.get(m.key());
    long have = current != null ? ObjectMeta.resourceVersion(current) : 0;
    if (have >= m.version() || (current == null && highWater >= m.version())) {
      m.replyTo().tell(Done.getInstance());
    } else {
      pending.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(new Pending(m.version(), m.replyTo()));
    }
    return this;
  }

  private Behavior<Command> onBookmarkTick() {
    if (!loaded) return this;
    ObjectNode bookmark = JsonNodeFactory.instance.objectNode();
    bookmark.put("kind", kind);
    bookmark.putObject("metadata").put("resourceVersion", Long.toString(listVersion()));
    watchers.forEach((sink, w) -> {
      if (w.bookmarks()) sink.tell(new WatchEvent("BOOKMARK", bookmark));
    });
    scopedWatchers.values().forEach(scoped -> scoped.forEach((sink, w) -> {
      if (w.bookmarks()) sink.tell(new WatchEvent("BOOKMARK", bookmark));
    }));
    return this;
  }

  /** ADDED, MODIFIED or DELETED as this watcher sees it: an object leaving its filter is DELETED. */
  private static void deliver(ActorRef<WatchEvent> sink, Watcher w, Entry e) {
    Change c = e.change();
    if (w.namespace() != null && !c.key().startsWith(w.namespace() + "/")) return;
    boolean wasIn = e.previous() != null && w.filter().test(e.previous());
    boolean isIn = !c.deleted() && w.filter().test(c.object());
    if (c.deleted()) {
      if (wasIn || w.filter().test(c.object())) sink.tell(new WatchEvent("DELETED", c.object()));
    } else if (isIn) {
      sink.tell(new WatchEvent(wasIn ? "MODIFIED" : "ADDED", c.object()));
    } else if (wasIn) {
      sink.tell(new WatchEvent("DELETED", c.object()));
    }
  }

  private void deliverScoped(Indexed slice, Entry entry) {
    Map<ActorRef<WatchEvent>, Watcher> scoped = scopedWatchers.get(slice);
    if (scoped != null) scoped.forEach((sink, w) -> deliver(sink, w, entry));
  }

  /** The objects a request looks at, in key order: a namespace's (null: all), of one slice (null: all). */
  private NavigableMap<String, ObjectNode> scope(String namespace, Indexed slice) {
    NavigableMap<String, ObjectNode> all = objects;
    if (slice != null) {
      all = new TreeMap<>(); // a slice is small (a node's pods, a controller's): sorted here, not kept sorted
      for (String key : slices.getOrDefault(slice, Set.of())) all.put(key, objects.get(key));
    }
    if (namespace == null) return all;
    return all.subMap(namespace + "/", true, namespace + "0", false); // '0' follows '/'
  }

  /** The slices {@code o} is in (none for null). */
  private static List<Indexed> slicesOf(ObjectNode o) {
    if (o == null) return List.of();
    List<Indexed> in = new ArrayList<>(2);
    for (Indexed.By by : Indexed.By.values()) {
      String value = by.valueOf(o);
      if (value != null) in.add(new Indexed(by, value));
    }
    return in;
  }

  /** A list's version: the index's high-water mark, at least the clock at start for an empty index. */
  private long listVersion() {
    return Math.max(highWater, horizon);
  }

  private boolean ready() {
    return loaded;
  }

  private Behavior<Command> stashOrRefuse(Command m, Runnable refuse) {
    if (loadFailure != null) {
      refuse.run();
    } else {
      stash.stash(m);
    }
    return this;
  }

  private Status unavailable() {
    return Status.serviceUnavailable("the " + kind + " index is not available: " + loadFailure);
  }

  /**
   * A continue token: the version of the list's first page and the key of the last object given, in
   * the form Kubernetes' tokens have (base64 of {@code {"v":"meta.k8s.io/v1","rv":N,"start":"KEY"}}).
   */
  record Continue(long version, String key) {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    String encode() {
      ObjectNode token = JsonNodeFactory.instance.objectNode();
      token.put("v", "meta.k8s.io/v1");
      token.put("rv", version);
      token.put("start", key);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(token.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The token's content, or null when it is not one this server issued. */
    static Continue decode(String token) {
      try {
        var node = JSON.readTree(Base64.getUrlDecoder().decode(token));
        if (node == null || !node.path("rv").canConvertToLong() || !node.path("start").isTextual()
            || !"meta.k8s.io/v1".equals(node.path("v").asText()) || node.path("rv").asLong() < 0) {
          return null;
        }
        return new Continue(node.path("rv").asLong(), node.path("start").asText());
      } catch (IllegalArgumentException | java.io.IOException e) {
        return null;
      }
    }
  }

  /** The entries after {@code key}, or null when {@code key} lies outside the range (a namespace's). */
  private static NavigableMap<String, ObjectNode> tailOrNull(NavigableMap<String, ObjectNode> range, String key) {
    try {
      return range.tailMap(key, false);
    } catch (IllegalArgumentException outside) {
      return null;
    }
  }

}
