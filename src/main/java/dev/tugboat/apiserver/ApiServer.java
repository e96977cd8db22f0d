package dev.tugboat.apiserver;

import dev.tugboat.boot.TugboatSettings;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;

/** Binds Tugboat's HTTP API (Kubernetes-shaped) on the configured address. */
public final class ApiServer {
  private ApiServer() {}

  public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, TugboatSettings settings) {
    HealthRoutes health = new HealthRoutes(system);
    return Http.get(system)
        .newServerAt(settings.apiHost(), settings.apiPort())
        .bind(health.routes());
  }
}
