package dev.tugboat.node;

import java.time.Duration;

/**
 * CrashLoopBackOff as the kubelet does it: the first restart is immediate, then the delay doubles
 * from {@code initial} up to {@code max}; a container that ran at least {@code resetAfter} counts
 * as healthy and its next restart is immediate again. Derived only from what the runtime reports
 * (restarts so far, how long the last run lasted), so it survives a restart of the agent.
 */
public record RestartBackoff(Duration initial, Duration max, Duration resetAfter) {

  /** How long after the last exit the next start may happen. */
  public Duration delay(int restartsSoFar, Duration lastRun) {
    if (restartsSoFar <= 0 || lastRun.compareTo(resetAfter) >= 0) return Duration.ZERO;
    int doublings = Math.min(restartsSoFar - 1, 30);
    Duration delay = initial.multipliedBy(1L << doublings);
    return delay.compareTo(max) > 0 ? max : delay;
  }
}
