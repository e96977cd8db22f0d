package dev.tugboat.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Server-side Tables ({@code meta.k8s.io/v1 Table}), what {@code kubectl get} asks for with
 * {@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io}, in the columns of the kind's printer
 * (its strategy's). {@code tug get} prints the same tables.
 */
public final class Tables {
  /** What each row carries besides its cells ({@code includeObject}): kubectl needs metadata for -A and --show-labels. */
  public enum Include { NONE, METADATA, OBJECT;

    /** From the {@code includeObject} query parameter; Metadata when absent, as Kubernetes does. */
    public static Optional<Include> parse(String value) {
      return switch (value == null ? "" : value) {
        case "", "Metadata" -> Optional.of(METADATA);
        case "None" -> Optional.of(NONE);
        case "Object" -> Optional.of(OBJECT);
        default -> Optional.empty();
      };
    }
  }

  private Tables() {}

  /** A Table of {@code items} of one kind, in its printer's columns; {@code resourceVersion} is the list's. */
  public static ObjectNode table(Printer printer, List<? extends JsonNode> items, String resourceVersion,
      Include include, Instant now) {
    ObjectNode table = JsonNodeFactory.instance.objectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode meta = table.putObject("metadata");
    if (resourceVersion != null) meta.put("resourceVersion", resourceVersion);
    ArrayNode columns = table.putArray("columnDefinitions");
    for (Column c : printer.columns()) {
      ObjectNode col = columns.addObject();
      col.put("name", c.name());
      col.put("type", c.type());
      col.put("format", c.format());
      col.put("description", c.description());
      col.put("priority", c.priority());
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode item : items) rows.add(row(printer, item, include, now));
    return table;
  }

  private static ObjectNode row(Printer printer, JsonNode item, Include include, Instant now) {
    ObjectNode row = JsonNodeFactory.instance.objectNode();
    ArrayNode cells = row.putArray("cells");
    for (Object cell : printer.cells(item, now)) {
      if (cell instanceof Integer i) cells.add(i);
      else cells.add(String.valueOf(cell));
    }
    switch (include) {
      case NONE -> { }
      case OBJECT -> row.set("object", item);
      case METADATA -> {
        ObjectNode partial = row.putObject("object");
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", item.path("metadata").deepCopy());
      }
    }
    return row;
  }
}
