package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a rollout stands, read from the workload's status as {@code kubectl rollout status} reads
 * it: for a Deployment observedGeneration, updated, available and total replicas, and the
 * Progressing condition; for a DaemonSet its updated and available nodes; for a StatefulSet its
 * ready and updated pods, its partition and its revisions. The messages are kubectl's.
 *
 * @param message the line to print
 * @param done the rollout finished successfully
 * @param failed the rollout will not finish (its progress deadline passed)
 */
record RolloutStatus(String message, boolean done, boolean failed) {

  static RolloutStatus of(JsonNode workload) {
    return switch (workload.path("kind").asText("Deployment")) {
      case "DaemonSet" -> daemonSet(workload);
      case "StatefulSet" -> statefulSet(workload);
      default -> deployment(workload);
    };
  }

  private static RolloutStatus daemonSet(JsonNode ds) {
    String name = ds.path("metadata").path("name").asText();
    JsonNode status = ds.path("status");
    if (!"RollingUpdate".equals(ds.path("spec").path("updateStrategy").path("type").asText("RollingUpdate"))) {
      return new RolloutStatus("rollout status is only available for RollingUpdate strategy type", false, true);
    }
    if (ds.path("metadata").path("generation").asLong(0) > status.path("observedGeneration").asLong(0)) {
      return new RolloutStatus("Waiting for daemon set spec update to be observed...", false, false);
    }
    int desired = status.path("desiredNumberScheduled").asInt(0);
    int updated = status.path("updatedNumberScheduled").asInt(0);
    int available = status.path("numberAvailable").asInt(0);
    String waiting = "Waiting for daemon set \"" + name + "\" rollout to finish: ";
    if (updated < desired) {
      return new RolloutStatus(waiting + updated + " out of " + desired + " new pods have been updated...", false, false);
    }
    if (available < desired) {
      return new RolloutStatus(waiting + available + " of " + desired + " updated pods are available...", false, false);
    }
    return new RolloutStatus("daemon set \"" + name + "\" successfully rolled out", true, false);
  }

  private static RolloutStatus statefulSet(JsonNode sts) {
    JsonNode spec = sts.path("spec");
    JsonNode status = sts.path("status");
    if (!"RollingUpdate".equals(spec.path("updateStrategy").path("type").asText("RollingUpdate"))) {
      return new RolloutStatus("rollout status is only available for RollingUpdate strategy type", false, true);
    }
    if (status.path("observedGeneration").asLong(0) == 0
        || sts.path("metadata").path("generation").asLong(0) > status.path("observedGeneration").asLong(0)) {
      return new RolloutStatus("Waiting for statefulset spec update to be observed...", false, false);
    }
    int replicas = spec.path("replicas").asInt(1);
    int ready = status.path("readyReplicas").asInt(0);
    if (ready < replicas) return new RolloutStatus("Waiting for " + (replicas - ready) + " pods to be ready...", false, false);
    int updated = status.path("updatedReplicas").asInt(0);
    JsonNode rollingUpdate = spec.path("updateStrategy").path("rollingUpdate");
    if (rollingUpdate.isObject()) {
      int partition = rollingUpdate.path("partition").asInt(0);
      if (updated < replicas - partition) {
        return new RolloutStatus("Waiting for partitioned roll out to finish: " + updated + " out of " + (replicas - partition)
            + " new pods have been updated...", false, false);
      }
      return new RolloutStatus("partitioned roll out complete: " + updated + " new pods have been updated...", true, false);
    }
    String revision = status.path("updateRevision").asText();
    if (!revision.equals(status.path("currentRevision").asText())) {
      return new RolloutStatus("waiting for statefulset rolling update to complete " + updated + " pods at revision "
          + revision + "...", false, false);
    }
    return new RolloutStatus("statefulset rolling update complete " + status.path("currentReplicas").asInt(0)
        + " pods at revision " + revision + "...", true, false);
  }

  private static RolloutStatus deployment(JsonNode deployment) {
    String name = deployment.path("metadata").path("name").asText();
    JsonNode spec = deployment.path("spec");
    JsonNode status = deployment.path("status");
    long generation = deployment.path("metadata").path("generation").asLong(0);
    if (generation > status.path("observedGeneration").asLong(0)) {
      return new RolloutStatus("Waiting for deployment spec update to be observed...", false, false);
    }
    for (JsonNode condition : status.path("conditions")) {
      if ("Progressing".equals(condition.path("type").asText())
          && "ProgressDeadlineExceeded".equals(condition.path("reason").asText())) {
        return new RolloutStatus("deployment \"" + name + "\" exceeded its progress deadline", false, true);
      }
    }
    int desired = spec.path("replicas").asInt(1);
    int updated = status.path("updatedReplicas").asInt(0);
    int replicas = status.path("replicas").asInt(0);
    int available = status.path("availableReplicas").asInt(0);
    String waiting = "Waiting for deployment \"" + name + "\" rollout to finish: ";
    if (updated < desired) {
      return new RolloutStatus(waiting + updated + " out of " + desired + " new replicas have been updated...", false, false);
    }
    if (replicas > updated) {
      return new RolloutStatus(waiting + (replicas - updated) + " old replicas are pending termination...", false, false);
    }
    if (available < updated) {
      return new RolloutStatus(waiting + available + " of " + updated + " updated replicas are available...", false, false);
    }
    return new RolloutStatus("deployment \"" + name + "\" successfully rolled out", true, false);
  }
}
