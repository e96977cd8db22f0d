package dev.tugboat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tugboat.boot.EmbeddedCassandra.CommitLog;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The benchmarks' --commitlog-sync and --commitlog-window, over the configuration's group commit. */
class CommitLogOptionsTest {
  /** {@code bench} with {@code args} parsed: picocli sets its mixin then. */
  private static <T> T parsed(T bench, String... args) {
    new CommandLine(bench).parseArgs(args);
    return bench;
  }

  @Test
  void unsetIsTheConfigurationsGroupCommit() {
    ScheduleBench bench = new ScheduleBench();
    assertEquals(CommitLog.DEFAULT, parsed(bench).commitLog.commitLog());
  }

  @Test
  void eachModeWithItsWindow() {
    ApiBench api = new ApiBench();
    assertEquals(new CommitLog(CommitLog.Sync.PERIODIC, Duration.ofSeconds(10)),
        parsed(api, "--commitlog-sync", "periodic").commitLog.commitLog());
    ScaleBench scale = new ScaleBench();
    assertEquals(new CommitLog(CommitLog.Sync.PERIODIC, Duration.ofSeconds(2)),
        parsed(scale, "--commitlog-sync", "periodic", "--commitlog-window", "2s").commitLog.commitLog());
    ScheduleBench schedule = new ScheduleBench();
    assertEquals(new CommitLog(CommitLog.Sync.GROUP, Duration.ofMillis(5)),
        parsed(schedule, "--commitlog-window", "5ms").commitLog.commitLog());
    FailoverBench failover = new FailoverBench();
    assertEquals(CommitLog.Sync.BATCH, parsed(failover, "--commitlog-sync", "batch").commitLog.commitLog().sync());
  }

  @Test
  void anUnknownModeIsRefusedNamingTheThree() {
    IngressBench ingress = new IngressBench();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> parsed(ingress, "--commitlog-sync", "never").commitLog.commitLog());
    assertEquals("commitlog-sync is periodic, group or batch, not \"never\"", e.getMessage());
  }
}
