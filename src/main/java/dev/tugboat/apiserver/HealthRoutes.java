package dev.tugboat.apiserver;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * {@code /healthz} (the process serves) and {@code /readyz} (this member is Up in the cluster and
 * Cassandra answers a query: only then can a write be acknowledged).
 */
final class HealthRoutes extends AllDirectives {
  private static final Duration CASSANDRA_CHECK_TIMEOUT = Duration.ofSeconds(2);
  private final ActorSystem<?> system;
  private final CassandraSession session;

  HealthRoutes(ActorSystem<?> system) {
    this.system = system;
    // The same session (and connection pool) the journal uses: it is keyed by this config path.
    this.session = CassandraSessionRegistry.get(system)
        .sessionFor(CassandraSessionSettings.create("pekko.persistence.cassandra"));
  }

  Route routes() {
    return concat(
        path("healthz", () -> get(() -> complete("ok"))),
        path("livez", () -> get(() -> complete("ok"))),
        path("readyz", () -> get(() -> onSuccess(readiness(), problem -> problem.isEmpty()
            ? complete("ok")
            : complete(StatusCodes.SERVICE_UNAVAILABLE, "not ready: " + problem)))));
  }

  /** Empty when ready, else the reason. */
  private CompletionStage<String> readiness() {
    if (Cluster.get(system).selfMember().status() != MemberStatus.up()) {
      return java.util.concurrent.CompletableFuture.completedFuture("this member has not joined the cluster");
    }
    return session.selectOne("SELECT release_version FROM system.local")
        .toCompletableFuture()
        .orTimeout(CASSANDRA_CHECK_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .handle((row, error) -> error == null ? "" : "Cassandra does not answer: " + error.getMessage());
  }
}
