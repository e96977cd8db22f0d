package dev.tugboat.kinds.configmap;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import java.time.Instant;
import java.util.List;

/** ConfigMaps: NAME, DATA (the number of keys in data and binaryData), AGE. */
record ConfigMapPrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.of("Data", "Number of keys in the ConfigMap").withType("integer"),
      Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode cm, Instant now) {
    return List.of(cm.path("metadata").path("name").asText(), cm.path("data").size() + cm.path("binaryData").size(),
        Cells.age(cm.path("metadata").path("creationTimestamp"), now));
  }
}
