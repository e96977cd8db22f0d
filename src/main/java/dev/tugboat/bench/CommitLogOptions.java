package dev.tugboat.bench;

import com.typesafe.config.ConfigFactory;
import dev.tugboat.boot.EmbeddedCassandra;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The commit log sync of the Cassandra a benchmark starts (a picocli mixin), so that the cost of
 * acknowledging only what is on disk can be measured: the same benchmark with {@code --commitlog-sync
 * periodic} and with {@code group} (docs/benchmarks.md). Unset, the configuration's
 * ({@code tugboat.cassandra.embedded.commitlog-sync}, group).
 */
public final class CommitLogOptions {
  @Option(names = "--commitlog-sync", description = "When the benchmark's Cassandra acknowledges a write: periodic "
      + "(at once, fsynced every period), group (once fsynced, one fsync per window) or batch (once fsynced, no window) "
      + "(default: tugboat.cassandra.embedded.commitlog-sync, group).")
  String sync;

  @Option(names = "--commitlog-window", converter = DurationConverter.class, description = "group: the window whose "
      + "writes share one fsync; periodic: the sync period (default: the configuration's, 2ms and 10s).")
  Duration window;

  /** The sync the options say, over the configuration's. */
  public EmbeddedCassandra.CommitLog commitLog() {
    Map<String, Object> overrides = new HashMap<>();
    if (sync != null) overrides.put("commitlog-sync", sync);
    if (sync == null && window == null) return EmbeddedCassandra.CommitLog.configured();
    EmbeddedCassandra.CommitLog.Sync mode = sync != null ? EmbeddedCassandra.CommitLog.parse(sync)
        : EmbeddedCassandra.CommitLog.configured().sync();
    if (window != null && mode != EmbeddedCassandra.CommitLog.Sync.BATCH) {
      overrides.put(mode == EmbeddedCassandra.CommitLog.Sync.GROUP ? "commitlog-sync-group-window" : "commitlog-sync-period",
          window.toMillis() + "ms");
    }
    return EmbeddedCassandra.CommitLog.from(ConfigFactory.parseMap(overrides)
        .withFallback(ConfigFactory.load().getConfig("tugboat.cassandra.embedded")));
  }
}
