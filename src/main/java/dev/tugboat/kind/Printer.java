package dev.tugboat.kind;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * How one kind is shown as a table row: the columns kubectl shows for it against a real cluster,
 * and the cells of one object. Pure: the same object and clock give the same row.
 */
public interface Printer {

  List<Column> columns();

  /** One cell per column, in order: strings or integers. */
  List<Object> cells(JsonNode object, Instant now);

  /** NAME and AGE: what Kubernetes prints for a kind without printer columns of its own. */
  Printer DEFAULT = new Printer() {
    private static final List<Column> COLUMNS = List.of(Column.nameColumn(), Column.age());

    @Override
    public List<Column> columns() {
      return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode object, Instant now) {
      return List.of(object.path("metadata").path("name").asText(),
          Cells.age(object.path("metadata").path("creationTimestamp"), now));
    }
  };
}
