package dev.tugboat.kinds.poddisruptionbudget;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import java.time.Instant;
import java.util.List;

/** PodDisruptionBudgets as kubectl prints them (its printPodDisruptionBudget). */
public record PodDisruptionBudgetPrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.of("Min Available", "The minimum number of pods that must be available."),
      Column.of("Max Unavailable", "The maximum number of pods that may be unavailable."),
      new Column("Allowed Disruptions", "integer", "", 0, "Calculated number of pods that may be disrupted at this time."),
      Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode pdb, Instant now) {
    JsonNode spec = pdb.path("spec");
    return List.of(
        pdb.path("metadata").path("name").asText(),
        spec.hasNonNull("minAvailable") ? spec.path("minAvailable").asText() : "N/A",
        spec.hasNonNull("maxUnavailable") ? spec.path("maxUnavailable").asText() : "N/A",
        pdb.path("status").path("disruptionsAllowed").asLong(0),
        Cells.age(pdb.path("metadata").path("creationTimestamp"), now));
  }
}
