package dev.tugboat.kinds.limitrange;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import java.time.Instant;
import java.util.List;

/** LimitRanges as kubectl shows them: NAME and CREATED AT (the creation time in RFC 3339, UTC). */
public record LimitRangePrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      new Column("Created At", "date", "", 0, "CreationTimestamp is a timestamp representing the server time when "
          + "this object was created."));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode range, Instant now) {
    return List.of(range.path("metadata").path("name").asText(),
        range.path("metadata").path("creationTimestamp").asText(""));
  }
}
