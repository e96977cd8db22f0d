package dev.tugboat.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * An object's history as its entity persisted it: every event of its persistence id
 * ({@code Kind|namespace/name}, see {@link ObjectEntity}), read from the journal with the
 * persistence query. A deleted and re-created name shows both lives, in order.
 */
public final class ObjectHistory {
  /**
   * One persisted change: its sequence number, when it was written, its type, the object after it,
   * and who made it (null for changes persisted before that was recorded).
   */
  public record Entry(long sequenceNr, Instant time, String type, ObjectNode object, ChangedBy by) {}

  private ObjectHistory() {}

  /** Every event of the object, oldest first; empty when the name never existed. */
  public static CompletionStage<List<Entry>> of(ActorSystem<?> system, String kind, String namespace, String name) {
    CassandraReadJournal journal = PersistenceQuery.get(system)
        .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
    String persistenceId = ObjectEntity.typeKey(kind).name() + "|" + ObjectEntity.entityId(namespace, name);
    return journal.currentEventsByPersistenceId(persistenceId, 0L, Long.MAX_VALUE)
        .filter(envelope -> envelope.event() instanceof ObjectEntity.Event)
        .map(envelope -> {
          ObjectEntity.Event event = (ObjectEntity.Event) envelope.event();
          return new Entry(envelope.sequenceNr(), Instant.ofEpochMilli(envelope.timestamp()),
              event.getClass().getSimpleName(), event.object(), event.by());
        })
        .runWith(Sink.seq(), system);
  }
}
