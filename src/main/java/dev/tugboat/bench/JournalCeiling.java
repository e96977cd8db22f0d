package dev.tugboat.bench;

import com.datastax.oss.driver.api.core.cql.Row;
import dev.tugboat.registry.CborSerializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * The journal's own ceiling on this machine: how many events a second plain Pekko Persistence
 * entities persist through Tugboat's journal plugin, on Tugboat's Cassandra and in Tugboat's JVM,
 * each entity one event in flight at a time (as an object's entity writes), with events of the size
 * Tugboat's own are in the journal. Tugboat's writes a second are quoted as a share of it: what the
 * rest of Tugboat costs beside the write itself.
 */
public final class JournalCeiling {
  /** The plugin Tugboat's entities persist through (pekko.persistence.journal.plugin). */
  private static final String PLUGIN = "pekko.persistence.cassandra";

  /** What one run measured. */
  public record Result(int entities, int eventBytes, long events, double seconds) {
    public double perSecond() {
      return events / seconds;
    }
  }

  private JournalCeiling() {}

  /**
   * The mean size of the events Tugboat has in its journal (up to the first {@code sample} rows the
   * table gives): the size the ceiling's events are made.
   */
  public static int meanEventBytes(ActorSystem<?> system, int sample) throws Exception {
    var journal = system.settings().config().getConfig(PLUGIN + ".journal");
    CassandraSession session = CassandraSessionRegistry.get(system).sessionFor(PLUGIN);
    List<Row> rows = session.selectAll("SELECT event FROM " + journal.getString("keyspace") + "."
        + journal.getString("table") + " LIMIT " + sample).toCompletableFuture().get(60, TimeUnit.SECONDS);
    long total = 0;
    int n = 0;
    for (Row row : rows) {
      var event = row.getByteBuffer("event");
      if (event == null) continue;
      total += event.remaining();
      n++;
    }
    if (n == 0) throw new IllegalStateException("the journal holds no events to size the ceiling's by");
    return (int) (total / n);
  }

  /**
   * Persists from {@code entities} entities for {@code duration}, each writing its next event as soon
   * as the last one is stored, and counts the events stored.
   */
  public static Result measure(ActorSystem<?> system, int entities, int eventBytes, Duration duration) throws Exception {
    Written payload = event(eventBytes);
    String run = Long.toString(System.nanoTime(), 36);
    List<ActorRef<Command>> writers = new ArrayList<>();
    List<CompletableFuture<Void>> recovered = new ArrayList<>();
    List<CompletableFuture<Long>> counts = new ArrayList<>();
    for (int i = 0; i < entities; i++) {
      CompletableFuture<Void> ready = new CompletableFuture<>();
      CompletableFuture<Long> count = new CompletableFuture<>();
      recovered.add(ready);
      counts.add(count);
      PersistenceId id = PersistenceId.of("bench-ceiling", run + "-" + i);
      writers.add(system.systemActorOf(
          Behaviors.<Command>setup(context -> new Writer(id, payload, ready, count, context.getSelf())),
          "bench-ceiling-" + run + "-" + i, Props.empty()));
    }
    // The clock starts once every writer has recovered (a new entity's reads): the window holds writes only.
    CompletableFuture.allOf(recovered.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    long start = System.nanoTime();
    Next first = new Next(start + duration.toNanos());
    writers.forEach(w -> w.tell(first));
    long events = 0;
    for (CompletableFuture<Long> c : counts) events += c.get(duration.toSeconds() + 120, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(entities, eventBytes, events, seconds);
  }

  /**
   * Sizes the events by Tugboat's own, measures, and puts the rate into {@code report}: the ceiling
   * step of {@code bench schedule} and {@code bench scale}.
   *
   * @return events persisted per second
   */
  static double measureInto(Report.Builder report, ActorSystem<?> system, int entities, Duration duration) throws Exception {
    int bytes = meanEventBytes(system, 5000);
    System.out.printf("the journal's ceiling: %d entities, events of %d bytes, for %s%n", entities, bytes, duration);
    Result c = measure(system, entities, bytes, duration);
    report.figure("journal ceiling: events persisted per second (" + c.entities() + " entities, "
        + c.eventBytes() + " B events)", c.perSecond(), "1/s");
    return c.perSecond();
  }

  /** An event whose CBOR form is about {@code bytes} long: a string and a few bytes of framing around it. */
  static Written event(int bytes) {
    return new Written("x".repeat(Math.max(1, bytes - 12)));
  }

  /** The entity's one command: write the next event (or stop, past the deadline). */
  sealed interface Command {}

  record Next(long deadlineNanos) implements Command {}

  /** The event: a string of the size Tugboat's events have. Bound to jackson-cbor as Tugboat's messages are. */
  public record Written(String data) implements CborSerializable {}

  private static final class Writer extends EventSourcedBehavior<Command, Written, Long> {
    private final Written payload;
    private final CompletableFuture<Void> recovered;
    private final CompletableFuture<Long> done;
    private final ActorRef<Command> self;

    Writer(PersistenceId id, Written payload, CompletableFuture<Void> recovered, CompletableFuture<Long> done,
        ActorRef<Command> self) {
      super(id);
      this.payload = payload;
      this.recovered = recovered;
      this.done = done;
      this.self = self;
    }

    @Override
    public Long emptyState() {
      return 0L;
    }

    @Override
    public CommandHandler<Command, Written, Long> commandHandler() {
      return newCommandHandlerBuilder().forAnyState().onCommand(Next.class, (count, next) -> {
        if (System.nanoTime() >= next.deadlineNanos()) {
          done.complete(count);
          return Effect().stop();
        }
        return Effect().persist(payload).thenRun(after -> self.tell(next));
      }).build();
    }

    @Override
    public EventHandler<Long, Written> eventHandler() {
      return newEventHandlerBuilder().forAnyState().onEvent(Written.class, (count, e) -> count + 1).build();
    }

    @Override
    public SignalHandler<Long> signalHandler() {
      // a failed read or write stops the entity: what it stored until then still counts
      return newSignalHandlerBuilder()
          .onSignal(RecoveryCompleted.instance(), count -> recovered.complete(null))
          .onSignal(PostStop.instance(), count -> {
            recovered.complete(null);
            done.complete(count);
          })
          .build();
    }
  }
}
