package dev.tugboat.kinds.priorityclass;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import java.time.Instant;
import java.util.List;

/** PriorityClasses as kubectl prints them (its printPriorityClass): VALUE, GLOBAL-DEFAULT, PREEMPTIONPOLICY. */
public record PriorityClassPrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      new Column("Value", "integer", "", 0, "The value of this priority class"),
      new Column("Global-Default", "boolean", "", 0, "globalDefault specifies whether this PriorityClass is the default"),
      Column.of("PreemptionPolicy", "Whether pods of this class may preempt lower-priority pods"),
      Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode pc, Instant now) {
    return List.of(
        pc.path("metadata").path("name").asText(),
        pc.path("value").asLong(),
        pc.path("globalDefault").asBoolean(false),
        pc.path("preemptionPolicy").asText(""),
        Cells.age(pc.path("metadata").path("creationTimestamp"), now));
  }
}
