package dev.tugboat.kinds.deployment;

import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** Deployments: READY (ready/desired), UP-TO-DATE, AVAILABLE; wide: containers, images, selector. */
public record DeploymentPrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.of("Ready", "Number of the pod with ready state"),
      Column.of("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec.").withType("integer"),
      Column.of("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.").withType("integer"),
      Column.age(),
      Column.wide("Containers", "Names of each container in the template."),
      Column.wide("Images", "Images referenced by each container in the template."),
      Column.wide("Selector", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment."));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode d, Instant now) {
    JsonNode spec = d.path("spec");
    JsonNode status = d.path("status");
    JsonNode containers = spec.path("template").path("spec").path("containers");
    return List.of(
        d.path("metadata").path("name").asText(),
        status.path("readyReplicas").asInt(0) + "/" + spec.path("replicas").asInt(1),
        status.path("updatedReplicas").asInt(0),
        status.path("availableReplicas").asInt(0),
        Cells.age(d.path("metadata").path("creationTimestamp"), now),
        Cells.joined(containers, "name"),
        Cells.joined(containers, "image"),
        Cells.selector(spec.path("selector")));
  }
}
