package dev.tugboat.kinds.namespace;

import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** Namespaces: STATUS (Active, or Terminating while it is being emptied). */
public record NamespacePrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.of("Status", "The status of the namespace"),
      Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode ns, Instant now) {
    String phase = Cells.text(ns.path("status").path("phase"),
        ns.path("metadata").has("deletionTimestamp") ? "Terminating" : "Active");
    return List.of(ns.path("metadata").path("name").asText(), phase,
        Cells.age(ns.path("metadata").path("creationTimestamp"), now));
  }
}
