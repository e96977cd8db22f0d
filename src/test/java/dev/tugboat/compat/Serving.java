package dev.tugboat.compat;

import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import java.time.Duration;

/** Waits until a fresh test Tugboat serves: its default namespace exists and lists answer from its index. */
public final class Serving {
  /**
   * Generous: on a loaded 2-core machine a new keyspace's tables can take tens of seconds to create
   * before the first entity recovers.
   */
  private static final Duration STARTUP = Duration.ofSeconds(120);

  private Serving() {}

  public static void await(Api api) {
    Await.until("the default namespace and a list of namespaces", STARTUP, () ->
        api.get("/api/v1/namespaces/default").code() == 200 && api.get("/api/v1/namespaces").code() == 200);
  }
}
