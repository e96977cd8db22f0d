package dev.tugboat.registry;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.typesafe.config.Config;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Each object's last event, read from the journal table with one single-row query: the state the
 * index needs after a restart. The plugin's {@code currentEventsByPersistenceId} reads an object's
 * whole history, after asking for its deletions and highest sequence number, which made a rebuild of
 * 3,300 objects take 14 s.
 *
 * <p>The journal keeps an object's events in partitions of {@code target-partition-size} sequence
 * numbers (the entities persist one event at a time, so event {@code n} is in partition
 * {@code (n - 1) / size}). A full partition sends the read on to the next one. An empty partition 0
 * means its events were deleted (a Node's status reports are, after each snapshot): then the plugin's
 * own query, which knows where they went, answers.
 */
final class LastEvents {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LastEvents.class);
  private final ActorSystem<?> system;
  private final CassandraReadJournal journal;
  private final CassandraSession session;
  private final String selectLastCql;
  /** Prepared once; prepared again when it failed (Cassandra not answering yet). */
  private volatile CompletionStage<PreparedStatement> selectLast;
  private final long partitionSize;
  /** The driver profile of the plugin's queries: the read consistency (tugboat.cassandra.read-consistency). */
  private final String readProfile;
  private final Serialization serialization;

  LastEvents(ActorSystem<?> system, CassandraReadJournal journal) {
    this.system = system;
    this.journal = journal;
    Config plugin = system.settings().config().getConfig("pekko.persistence.cassandra.journal");
    this.partitionSize = plugin.getLong("target-partition-size");
    // Read as the plugin's own queries read: a bound statement without a profile would get the
    // driver's default consistency (LOCAL_ONE), and with several replicas a rebuild could then read
    // an object's last event from a replica that has not got it yet.
    this.readProfile = system.settings().config().getString("pekko.persistence.cassandra.query.read-profile");
    // The plugin's own session (one per configuration path): no second connection pool.
    this.session = CassandraSessionRegistry.get(system).sessionFor("pekko.persistence.cassandra");
    this.selectLastCql = ("SELECT sequence_nr, ser_id, ser_manifest, event FROM "
        + plugin.getString("keyspace") + "." + plugin.getString("table")
        + " WHERE persistence_id = ? AND partition_nr = ? ORDER BY sequence_nr DESC LIMIT 1");
    this.serialization = SerializationExtension.get(Adapter.toClassic(system));
  }

  /**
   * The last event persisted for {@code persistenceId}, empty when it has none or it cannot be read
   * (a key the key file no longer holds): one unreadable object must not keep the index from loading.
   */
  CompletionStage<Optional<Object>> of(String persistenceId) {
    return from(persistenceId, 0, null).exceptionally(error -> {
      Throwable cause = error.getCause() != null ? error.getCause() : error;
      if (!(cause instanceof IllegalArgumentException || cause instanceof java.io.UncheckedIOException)) {
        throw error instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(error);
      }
      log.error("The last event of {} cannot be read, so the index leaves it out: {}", persistenceId, cause.getMessage());
      return Optional.empty();
    });
  }

  private CompletionStage<Optional<Object>> from(String persistenceId, long partition, Row lastFound) {
    return selectLast().thenCompose(statement -> session.selectOne(
            statement.bind(persistenceId, partition).setExecutionProfileName(readProfile)))
        .thenCompose(row -> {
          if (row.isEmpty()) {
            // Past partition 0 there is always the full partition before it to fall back on.
            return lastFound != null ? CompletableFuture.completedFuture(Optional.of(decode(lastFound)))
                : plugin(persistenceId);
          }
          if (row.get().getLong("sequence_nr") % partitionSize == 0) return from(persistenceId, partition + 1, row.get());
          return CompletableFuture.completedFuture(Optional.of(decode(row.get())));
        });
  }

  private CompletionStage<PreparedStatement> selectLast() {
    CompletionStage<PreparedStatement> prepared = selectLast;
    if (prepared == null) {
      CompletionStage<PreparedStatement> preparing = session.prepare(selectLastCql);
      preparing.whenComplete((ok, error) -> {
        if (error != null) selectLast = null;
      });
      selectLast = prepared = preparing;
    }
    return prepared;
  }

  private CompletionStage<Optional<Object>> plugin(String persistenceId) {
    return journal.currentEventsByPersistenceId(persistenceId, 0L, Long.MAX_VALUE)
        .runWith(Sink.lastOption(), system)
        .thenApply(last -> last.map(EventEnvelope::event));
  }

  private Object decode(Row row) {
    ByteBuffer buffer = row.getByteBuffer("event");
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return serialization.deserialize(bytes, row.getInt("ser_id"), row.getString("ser_manifest")).get();
  }
}
