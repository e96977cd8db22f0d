package dev.tugboat.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.AbruptStageTerminationException;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Follows the objects of one kind for an owner actor, as client-go's informers: lists them, watches
 * from the list's resourceVersion, and tells the owner every change as a typed {@link Event}. It is
 * the one list/watch loop of Tugboat; the scheduler, the controllers, the node agents, the service
 * proxy and the Java client's subscriptions each run informers instead of loops of their own.
 *
 * <pre>{@code
 * ActorRef<Informer.Event> informed = context.messageAdapter(Informer.Event.class, PodInformed::new);
 * context.spawn(Informer.create(registry, Informer.Selection.of("Pod").inSlice(Indexed.node(name)), informed),
 *     "pod-informer");
 * }</pre>
 *
 * <p>The owner is told {@link Added}, {@link Modified} and {@link Deleted} for the objects of its
 * {@link Selection}, then {@link Synced} once the first list has been told: from then on its view is
 * complete. When the watch fails (its stream fails, or it says ERROR: 410 Gone when the version is
 * older than the index keeps) the informer lists again after a backoff and tells only the
 * differences (what vanished meanwhile as Deleted), then {@link Relisted}. A watch that ends
 * cleanly is resumed from the newest version seen; the index's bookmarks keep that version current.
 * The informer is a child of its owner and stops with it, its watch with it.
 */
public final class Informer extends AbstractBehavior<Informer.Command> {

  /** What an informer follows: a kind; a namespace (null: all); a slice of the index (null: all); a filter. */
  public record Selection(String kind, String namespace, Indexed slice, Predicate<ObjectNode> filter) {

    /** Every object of {@code kind}. */
    public static Selection of(String kind) {
      return new Selection(kind, null, null, o -> true);
    }

    /** Only the objects of {@code namespace}. */
    public Selection inNamespace(String namespace) {
      return new Selection(kind, namespace, slice, filter);
    }

    /** Only the objects of one slice of the index (a node's pods): the index looks at nothing else. */
    public Selection inSlice(Indexed slice) {
      return new Selection(kind, namespace, slice, filter);
    }

    /** Only the objects {@code filter} accepts (as well as any filter before). */
    public Selection matching(Predicate<ObjectNode> filter) {
      return new Selection(kind, namespace, slice, this.filter.and(filter));
    }

    /** Whether {@code o} is in this selection (its namespace aside, which the index keeps apart). */
    public boolean test(ObjectNode o) {
      return (slice == null || slice.contains(o)) && filter.test(o);
    }
  }

  /** What an informer tells its owner. */
  public sealed interface Event {
    /** The kind the informer follows (an owner with several informers tells them apart by it). */
    String kind();
  }

  /** A change of one object in the owner's view. */
  public sealed interface ObjectEvent extends Event {
    /** The object after the change; for {@link Deleted}, its last state. */
    ObjectNode object();
  }

  /** An object the owner's view did not have. */
  public record Added(String kind, ObjectNode object) implements ObjectEvent {}

  /** A newer state of an object the owner's view has; {@code previous} is the state it had. */
  public record Modified(String kind, ObjectNode previous, ObjectNode object) implements ObjectEvent {}

  /** An object gone from the owner's view: deleted, out of the selection, or missing from a relist. */
  public record Deleted(String kind, ObjectNode object) implements ObjectEvent {}

  /** The first list has been told (as Added): the owner's view is complete. */
  public record Synced(String kind, int objects) implements Event {}

  /** A list after a failed watch has been told (its differences only): the view is complete again. */
  public record Relisted(String kind, int objects) implements Event {}

  /**
   * How long the informer waits before it lists or watches again: {@code min} after the first
   * failure, doubling up to {@code max}, each delay ±20 % so that many informers do not retry in
   * step. A watch that ran at least {@code max} before it ended starts the count over.
   */
  public record Backoff(Duration min, Duration max) {
    /** The values of {@code conf/application.conf}, for a system configured without it. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    /** {@code tugboat.registry.informer} of {@code config}, or {@link #DEFAULT}. */
    public static Backoff from(Config config) {
      String path = "tugboat.registry.informer";
      if (!config.hasPath(path)) return DEFAULT;
      Config c = config.getConfig(path);
      return new Backoff(c.getDuration("backoff-min"), c.getDuration("backoff-max"));
    }

    /** The delay after {@code restarts} consecutive restarts (1: the first); {@code random} in [0, 1). */
    public Duration delay(int restarts, double random) {
      long millis = min.toMillis() << Math.min(Math.max(restarts - 1, 0), 20);
      millis = Math.min(millis, max.toMillis());
      return Duration.ofMillis((long) (millis * (0.8 + 0.4 * random)));
    }
  }

  /** The informer's own messages: an owner sends it none (it stops it by stopping itself, or the child). */
  public sealed interface Command {}

  private record Listed(int attempt, ListWatch.Listing listing, Throwable error) implements Command {}

  private record Streamed(int attempt, WatchEvent event) implements Command {}

  private record StreamEnded(int attempt, Throwable error) implements Command {}

  private enum Restart implements Command { LIST, WATCH }

  /** The key an informer knows an object by: {@code namespace/name}, or {@code name} when cluster-scoped. */
  public static String key(ObjectNode object) {
    return InformerView.key(object);
  }

  /** Follows the objects of {@code selection} in this member's index. */
  public static Behavior<Command> create(Registry registry, Selection selection, ActorRef<Event> owner) {
    return create(ListWatch.of(registry, selection), owner);
  }

  /** Follows the objects of {@code source}, with the backoff of the system's configuration. */
  public static Behavior<Command> create(ListWatch source, ActorRef<Event> owner) {
    return Behaviors.setup(context ->
        create(source, Backoff.from(context.getSystem().settings().config()), owner));
  }

  public static Behavior<Command> create(ListWatch source, Backoff backoff, ActorRef<Event> owner) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new Informer(context, timers, source, backoff, owner).list()));
  }

  private final TimerScheduler<Command> timers;
  private final ListWatch source;
  private final Backoff backoff;
  private final ActorRef<Event> owner;
  private final InformerView view;
  /** Counts lists and watches started: what a stale one still sends is recognised and dropped. */
  private int attempt;
  private UniqueKillSwitch watch;
  private long watchStartedNanos;
  /** Restarts since the last watch that ran at least {@code backoff.max}. */
  private int restarts;

  private Informer(ActorContext<Command> context, TimerScheduler<Command> timers, ListWatch source, Backoff backoff,
      ActorRef<Event> owner) {
    super(context);
    this.timers = timers;
    this.source = source;
    this.backoff = backoff;
    this.owner = owner;
    this.view = new InformerView(source.kind());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Listed.class, this::onListed)
        .onMessage(Streamed.class, this::onStreamed)
        .onMessage(StreamEnded.class, this::onStreamEnded)
        .onMessageEquals(Restart.LIST, this::list)
        .onMessageEquals(Restart.WATCH, () -> watch(view.version()))
        .onSignal(PostStop.class, s -> {
          stopWatch();
          return this;
        })
        .build();
  }

  private Behavior<Command> list() {
    stopWatch();
    int current = ++attempt;
    getContext().pipeToSelf(source.list(), (listing, error) -> new Listed(current, listing, error));
    return this;
  }

  private Behavior<Command> onListed(Listed listed) {
    if (listed.attempt() != attempt) return this;
    if (listed.error() != null) {
      return restart(Restart.LIST, "listing failed: " + messageOf(listed.error()));
    }
    view.replace(listed.listing()).forEach(owner::tell);
    return watch(view.version());
  }

  private Behavior<Command> watch(long fromVersion) {
    stopWatch();
    int current = ++attempt;
    ActorRef<Command> self = getContext().getSelf();
    Pair<UniqueKillSwitch, CompletionStage<Done>> running = source.watch(fromVersion)
        .viaMat(KillSwitches.single(), Keep.right())
        .toMat(Sink.foreach(e -> self.tell(new Streamed(current, e))), Keep.both())
        .run(getContext().getSystem());
    watch = running.first();
    watchStartedNanos = System.nanoTime();
    running.second().whenComplete((done, error) -> self.tell(new StreamEnded(current, error)));
    return this;
  }

  private Behavior<Command> onStreamed(Streamed streamed) {
    if (streamed.attempt() != attempt) return this;
    WatchEvent event = streamed.event();
    if (!event.type().equals("ERROR")) {
      view.apply(event).forEach(owner::tell);
      return this;
    }
    String message = event.object().path("message").asText("");
    if (event.object().path("code").asInt() == 410) {
      // Nothing failed: the index no longer keeps changes that old. List at once, unless that
      // is what keeps happening.
      noteWatchEnded();
      if (restarts == 0) {
        restarts++;
        getContext().getLog().info("{} informer: {}, listing again", source.kind(), message);
        return list();
      }
      return restart(Restart.LIST, message);
    }
    noteWatchEnded();
    return restart(Restart.LIST, "the watch failed: " + message);
  }

  private Behavior<Command> onStreamEnded(StreamEnded ended) {
    if (ended.attempt() != attempt) return this; // one this informer stopped itself
    // The streams' materializer stops only with the actor system: the member is stopping.
    if (ended.error() instanceof AbruptStageTerminationException) return Behaviors.stopped();
    noteWatchEnded();
    watch = null;
    if (ended.error() != null) return restart(Restart.LIST, "the watch failed: " + messageOf(ended.error()));
    return restart(Restart.WATCH, "the watch ended");
  }

  /** A watch that ran long enough counts as success: the next restart waits the shortest delay. */
  private void noteWatchEnded() {
    if (watch != null && System.nanoTime() - watchStartedNanos >= backoff.max().toNanos()) restarts = 0;
  }

  private Behavior<Command> restart(Restart what, String why) {
    stopWatch();
    attempt++; // whatever the old list or watch still sends is stale now
    restarts++;
    Duration delay = backoff.delay(restarts, ThreadLocalRandom.current().nextDouble());
    getContext().getLog().info("{} informer: {}; {} again in {} ms", source.kind(), why,
        what == Restart.LIST ? "listing" : "watching", delay.toMillis());
    timers.startSingleTimer("restart", what, delay);
    return this;
  }

  private static String messageOf(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return cause.getMessage() != null ? cause.getMessage() : cause.toString();
  }

  private void stopWatch() {
    if (watch != null) {
      watch.shutdown();
      watch = null;
    }
  }
}
