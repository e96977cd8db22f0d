package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a Deployment's rollout stands, read from its status as {@code kubectl rollout status} reads
 * it: observedGeneration, updated, available and total replicas, and the Progressing condition.
 *
 * @param message the line to print
 * @param done the rollout finished successfully
 * @param failed the rollout will not finish (its progress deadline passed)
 */
record RolloutStatus(String message, boolean done, boolean failed) {

  static RolloutStatus of(JsonNode deployment) {
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
