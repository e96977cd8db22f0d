package dev.tugboat.kinds.pod;

import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** Pods: READY, STATUS (the same reason kubectl derives from the container states), RESTARTS. */
public record PodPrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.of("Ready", "The aggregate readiness state of this pod for accepting traffic."),
      Column.of("Status", "The aggregate status of the containers in this pod."),
      Column.of("Restarts", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
      Column.age(),
      Column.wide("IP", "IP address allocated to the pod."),
      Column.wide("Node", "Name of the Node this pod is scheduled on."),
      Column.wide("Nominated Node", "Name of the Node where this pod would be scheduled if its preemption succeeds."),
      Column.wide("Readiness Gates", "Pod readiness gates."));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode pod, Instant now) {
    JsonNode status = pod.path("status");
    int total = pod.path("spec").path("containers").size();
    int ready = 0;
    int restarts = 0;
    Instant lastRestart = null;
    String reason = Cells.text(status.path("reason"), Cells.text(status.path("phase"), "Pending"));

    boolean initializing = false;
    JsonNode inits = status.path("initContainerStatuses");
    int initCount = pod.path("spec").path("initContainers").size();
    for (int i = 0; i < inits.size(); i++) {
      JsonNode c = inits.get(i);
      restarts += c.path("restartCount").asInt(0);
      lastRestart = later(lastRestart, c.path("lastState").path("terminated").path("finishedAt"));
      JsonNode terminated = c.path("state").path("terminated");
      JsonNode waiting = c.path("state").path("waiting");
      if (terminated.isObject() && terminated.path("exitCode").asInt(0) == 0) continue;
      if (terminated.isObject()) {
        reason = "Init:" + Cells.text(terminated.path("reason"), terminated.has("signal")
            ? "Signal:" + terminated.path("signal").asInt() : "ExitCode:" + terminated.path("exitCode").asInt());
      } else if (waiting.isObject() && !Cells.text(waiting.path("reason"), "PodInitializing").equals("PodInitializing")) {
        reason = "Init:" + waiting.path("reason").asText();
      } else {
        reason = "Init:" + i + "/" + initCount;
      }
      initializing = true;
      break;
    }

    if (!initializing) {
      boolean hasRunning = false;
      JsonNode containers = status.path("containerStatuses");
      for (int i = containers.size() - 1; i >= 0; i--) {
        JsonNode c = containers.get(i);
        restarts += c.path("restartCount").asInt(0);
        lastRestart = later(lastRestart, c.path("lastState").path("terminated").path("finishedAt"));
        JsonNode waiting = c.path("state").path("waiting");
        JsonNode terminated = c.path("state").path("terminated");
        if (waiting.isObject() && !waiting.path("reason").asText("").isEmpty()) {
          reason = waiting.path("reason").asText();
        } else if (terminated.isObject() && !terminated.path("reason").asText("").isEmpty()) {
          reason = terminated.path("reason").asText();
        } else if (terminated.isObject()) {
          reason = terminated.has("signal") ? "Signal:" + terminated.path("signal").asInt()
              : "ExitCode:" + terminated.path("exitCode").asInt();
        } else if (c.path("state").path("running").isObject() && c.path("ready").asBoolean(false)) {
          hasRunning = true;
          ready++;
        }
      }
      if (reason.equals("Completed") && hasRunning) reason = ready == total ? "Running" : "NotReady";
    }
    if (pod.path("metadata").has("deletionTimestamp")) {
      reason = "NodeLost".equals(status.path("reason").asText("")) ? "Unknown" : "Terminating";
    }

    String restartCell = lastRestart == null ? Integer.toString(restarts)
        : restarts + " (" + Cells.human(java.time.Duration.between(lastRestart, now)) + " ago)";
    JsonNode gates = pod.path("spec").path("readinessGates");
    String gatesCell = gates.isEmpty() ? Cells.NONE : readyGates(gates, status) + "/" + gates.size();
    return List.of(
        pod.path("metadata").path("name").asText(),
        ready + "/" + total,
        reason,
        restartCell,
        Cells.age(pod.path("metadata").path("creationTimestamp"), now),
        Cells.text(status.path("podIP"), Cells.NONE),
        Cells.text(pod.path("spec").path("nodeName"), Cells.NONE),
        Cells.text(status.path("nominatedNodeName"), Cells.NONE),
        gatesCell);
  }

  private static int readyGates(JsonNode gates, JsonNode status) {
    int n = 0;
    for (JsonNode gate : gates) {
      for (JsonNode condition : status.path("conditions")) {
        if (condition.path("type").asText().equals(gate.path("conditionType").asText())
            && condition.path("status").asText().equals("True")) {
          n++;
        }
      }
    }
    return n;
  }

  private static Instant later(Instant current, JsonNode timestamp) {
    String s = timestamp.asText("");
    if (s.isEmpty()) return current;
    try {
      Instant t = Instant.parse(s);
      return current == null || t.isAfter(current) ? t : current;
    } catch (java.time.format.DateTimeParseException e) {
      return current;
    }
  }
}
