package dev.tugboat.kinds.daemonset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** DaemonSets as kubectl shows them: DESIRED, CURRENT, READY, UP-TO-DATE, AVAILABLE, NODE SELECTOR. */
public record DaemonSetPrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.of("Desired", "The total number of nodes that should be running the daemon pod.").withType("integer"),
      Column.of("Current", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.").withType("integer"),
      Column.of("Ready", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.").withType("integer"),
      Column.of("Up-to-date", "The total number of nodes that are running updated daemon pod").withType("integer"),
      Column.of("Available", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)").withType("integer"),
      Column.of("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node."),
      Column.age(),
      Column.wide("Containers", "Names of each container in the template."),
      Column.wide("Images", "Images referenced by each container in the template."),
      Column.wide("Selector", "A label query over pods that are managed by the daemon set."));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode ds, Instant now) {
    JsonNode spec = ds.path("spec");
    JsonNode status = ds.path("status");
    JsonNode containers = spec.path("template").path("spec").path("containers");
    List<String> selector = new ArrayList<>();
    spec.path("template").path("spec").path("nodeSelector").fields()
        .forEachRemaining(e -> selector.add(e.getKey() + "=" + e.getValue().asText()));
    return List.of(
        ds.path("metadata").path("name").asText(),
        status.path("desiredNumberScheduled").asInt(0),
        status.path("currentNumberScheduled").asInt(0),
        status.path("numberReady").asInt(0),
        status.path("updatedNumberScheduled").asInt(0),
        status.path("numberAvailable").asInt(0),
        selector.isEmpty() ? "<none>" : String.join(",", selector),
        Cells.age(ds.path("metadata").path("creationTimestamp"), now),
        Cells.joined(containers, "name"),
        Cells.joined(containers, "image"),
        Cells.selector(spec.path("selector")));
  }
}
