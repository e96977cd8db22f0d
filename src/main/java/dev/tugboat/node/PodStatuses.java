package dev.tugboat.node;

import dev.tugboat.model.Pod;
import dev.tugboat.runtime.ContainerRuntime.ContainerInfo;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The status a node agent reports for a pod, computed from what it observed of the pod's
 * containers, as the kubelet's status manager does: phase, conditions and container statuses.
 * Pure, so every rule is tested without a runtime.
 */
public final class PodStatuses {
  private PodStatuses() {}

  /**
   * What the agent saw of one container of the pod's spec. {@code latest} is its newest run (null:
   * never created), {@code previous} the run before it; {@code waitingReason} says why it is not
   * running when it should (CrashLoopBackOff, ErrImagePull, ContainerCreating).
   */
  public record Observed(String name, String image, ContainerInfo latest, ContainerInfo previous, int restartCount,
      boolean ready, boolean started, String waitingReason, String waitingMessage) {}

  public static Pod.Status compute(Pod pod, List<Observed> containers, String hostIp, String podIp,
      List<Pod.PublishedPort> ports, Instant now) {
    Pod.Status previous = pod.status();
    String restartPolicy = pod.spec().restartPolicy() == null ? "Always" : pod.spec().restartPolicy();
    List<Pod.ContainerStatus> statuses = new ArrayList<>();
    int running = 0;
    int succeeded = 0;
    int failed = 0;
    int waiting = 0;
    boolean allReady = !containers.isEmpty();
    for (Observed o : containers) {
      Pod.ContainerState state = state(o);
      if (state.running() != null) running++;
      else if (state.terminated() != null) {
        if (state.terminated().exitCode() != null && state.terminated().exitCode() == 0) succeeded++;
        else failed++;
      } else {
        waiting++;
        // a container waiting to restart after a failure counts as failed for the phase
        if (o.latest() != null && o.latest().state() == ContainerInfo.State.EXITED) {
          if (o.latest().exitCode() != null && o.latest().exitCode() == 0) succeeded++;
          else failed++;
          waiting--;
        }
      }
      boolean ready = o.ready() && state.running() != null;
      allReady &= ready;
      statuses.add(new Pod.ContainerStatus(o.name(), ready, o.restartCount(), o.image(),
          o.latest() == null ? "" : "docker-pullable://" + o.latest().image(),
          o.latest() == null ? null : "docker://" + o.latest().id(),
          state.running() != null && o.started(), state, lastState(o)));
    }
    String phase = phase(restartPolicy, containers.size(), running, succeeded, failed, waiting);
    boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");
    List<Pod.Condition> conditions = new ArrayList<>();
    conditions.add(condition("PodScheduled", "True", null, previous, now));
    conditions.add(condition("Initialized", "True", null, previous, now));
    boolean ready = allReady && !terminal;
    String notReady = terminal ? "PodCompleted" : "ContainersNotReady";
    conditions.add(condition("ContainersReady", ready ? "True" : "False", ready ? null : notReady, previous, now));
    conditions.add(condition("Ready", ready ? "True" : "False", ready ? null : notReady, previous, now));
    Instant startTime = previous != null && previous.startTime() != null ? previous.startTime()
        : now.truncatedTo(ChronoUnit.SECONDS);
    List<java.util.Map<String, String>> podIps = podIp == null ? null : List.of(java.util.Map.of("ip", podIp));
    return new Pod.Status(phase, conditions, null, null, hostIp, podIp, podIps, startTime, statuses, null,
        ports.isEmpty() ? null : ports, null);
  }

  /** Kubernetes' getPhase: from how many containers run, have finished well or badly, or wait. */
  static String phase(String restartPolicy, int total, int running, int succeeded, int failed, int waiting) {
    if (total == 0) return "Pending";
    if (waiting > 0) return running > 0 ? "Running" : "Pending";
    if (running > 0) return "Running";
    // every container has finished
    return switch (restartPolicy) {
      case "Never" -> failed > 0 ? "Failed" : "Succeeded";
      case "OnFailure" -> failed > 0 ? "Running" : "Succeeded";
      default -> "Running"; // Always: they are about to be restarted
    };
  }

  private static Pod.ContainerState state(Observed o) {
    if (o.waitingReason() != null) {
      return new Pod.ContainerState(new Pod.Waiting(o.waitingReason(), o.waitingMessage()), null, null);
    }
    ContainerInfo c = o.latest();
    if (c == null || c.state() == ContainerInfo.State.CREATED || c.state() == ContainerInfo.State.UNKNOWN) {
      return new Pod.ContainerState(new Pod.Waiting("ContainerCreating", null), null, null);
    }
    if (c.state() == ContainerInfo.State.RUNNING) return new Pod.ContainerState(null, new Pod.Running(c.startedAt()), null);
    return new Pod.ContainerState(null, null, terminated(c));
  }

  private static Pod.ContainerState lastState(Observed o) {
    // While waiting to restart, the run that just ended is the last state, as kubectl describe shows it.
    ContainerInfo last = o.waitingReason() != null && o.latest() != null && o.latest().state() == ContainerInfo.State.EXITED
        ? o.latest() : o.previous();
    return last == null || last.state() != ContainerInfo.State.EXITED ? new Pod.ContainerState(null, null, null)
        : new Pod.ContainerState(null, null, terminated(last));
  }

  private static Pod.Terminated terminated(ContainerInfo c) {
    int code = c.exitCode() == null ? -1 : c.exitCode();
    String reason = code == 0 ? "Completed" : "Error";
    return new Pod.Terminated(code, null, reason, c.error(), c.startedAt(), c.finishedAt(), "docker://" + c.id());
  }

  private static Pod.Condition condition(String type, String status, String reason, Pod.Status previous, Instant now) {
    Instant transition = now.truncatedTo(ChronoUnit.SECONDS);
    if (previous != null && previous.conditions() != null) {
      for (Pod.Condition c : previous.conditions()) {
        if (type.equals(c.type()) && status.equals(c.status()) && c.lastTransitionTime() != null) {
          transition = c.lastTransitionTime();
        }
      }
    }
    return new Pod.Condition(type, status, reason, null, null, transition);
  }
}
