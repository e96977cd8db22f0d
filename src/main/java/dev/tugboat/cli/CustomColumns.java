package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * kubectl's {@code -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[*].image}: a column
 * per {@code HEADER:PATH}, a row per object; several values in a cell are joined by commas, none is
 * {@code <none>}.
 */
final class CustomColumns {
  private record Column(String header, String path) {}

  private final List<Column> columns;

  private CustomColumns(List<Column> columns) {
    this.columns = columns;
  }

  static CustomColumns parse(String spec) {
    List<Column> columns = new ArrayList<>();
    for (String part : spec.split(",")) {
      int colon = part.indexOf(':');
      if (colon <= 0 || colon == part.length() - 1) {
        throw new CliException("error: custom-columns format expects HEADER:PATH[,HEADER:PATH...], got \"" + part + "\"");
      }
      String path = part.substring(colon + 1).trim();
      if (path.startsWith("{") && path.endsWith("}")) path = path.substring(1, path.length() - 1);
      JsonPathTemplate.values(path, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()); // checks it
      columns.add(new Column(part.substring(0, colon), path));
    }
    return new CustomColumns(columns);
  }

  /** The header and a line per object, aligned. */
  List<String> lines(List<JsonNode> objects) {
    TextTable table = new TextTable();
    table.add(columns.stream().map(Column::header).toList());
    for (JsonNode o : objects) {
      List<String> cells = new ArrayList<>();
      for (Column c : columns) {
        List<String> values = JsonPathTemplate.values(c.path(), o);
        cells.add(values.isEmpty() ? "<none>" : String.join(",", values));
      }
      table.add(cells);
    }
    return table.lines();
  }
}
