package dev.tugboat.kinds.secret;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import java.time.Instant;
import java.util.List;

/** Secrets: NAME, TYPE, DATA (the number of keys), AGE; never a value. */
record SecretPrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.of("Type", "The type of the secret"),
      Column.of("Data", "The number of entries in the secret").withType("integer"),
      Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode s, Instant now) {
    return List.of(s.path("metadata").path("name").asText(), s.path("type").asText("Opaque"), s.path("data").size(),
        Cells.age(s.path("metadata").path("creationTimestamp"), now));
  }
}
