package dev.tugboat.kinds.replicaset;

import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** ReplicaSets: DESIRED, CURRENT, READY; wide: containers, images, selector. */
public record ReplicaSetPrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.of("Desired", "Replicas is the number of desired replicas.").withType("integer"),
      Column.of("Current", "Replicas is the most recently observed number of replicas.").withType("integer"),
      Column.of("Ready", "The number of ready replicas for this replica set.").withType("integer"),
      Column.age(),
      Column.wide("Containers", "Names of each container in the template."),
      Column.wide("Images", "Images referenced by each container in the template."),
      Column.wide("Selector", "Selector is a label query over pods that should match the replica count."));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode rs, Instant now) {
    JsonNode spec = rs.path("spec");
    JsonNode status = rs.path("status");
    JsonNode containers = spec.path("template").path("spec").path("containers");
    return List.of(
        rs.path("metadata").path("name").asText(),
        spec.path("replicas").asInt(1),
        status.path("replicas").asInt(0),
        status.path("readyReplicas").asInt(0),
        Cells.age(rs.path("metadata").path("creationTimestamp"), now),
        Cells.joined(containers, "name"),
        Cells.joined(containers, "image"),
        Cells.selector(spec.path("selector")));
  }
}
