package dev.tugboat.testing;

import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.FreePort;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real Cassandra for every integration test of a run: started by the first test class that
 * needs it, stopped when the test engine finishes (also when tests fail). Test Tugboats keep apart
 * by keyspace.
 */
public final class SharedCassandra implements BeforeAllCallback, ParameterResolver {
  private static final Object LOCK = new Object();

  /** Closed by JUnit at the end of the run because it lives in the root store. */
  private record Server(EmbeddedCassandra cassandra) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      cassandra.close();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    get(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EmbeddedCassandra.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return get(context);
  }

  /** The shared server, started on first use. */
  public static EmbeddedCassandra get(ExtensionContext context) {
    synchronized (LOCK) {
      return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
          .getOrComputeIfAbsent("tugboat-shared-cassandra", k -> new Server(EmbeddedCassandra.start(
              new EmbeddedCassandra.Settings(itDir().resolve("shared-cassandra-" + ProcessHandle.current().pid()),
                  "127.0.0.1", FreePort.find(), "256m", "1g", Duration.ofSeconds(120), Duration.ofSeconds(60),
                  EmbeddedCassandra.CommitLog.configured()).withLazySchemaFlush())),
              Server.class)
          .cassandra();
    }
  }

  public static Path itDir() {
    return Path.of(System.getProperty("tugboat.it.dir", "target/it")).toAbsolutePath();
  }
}
