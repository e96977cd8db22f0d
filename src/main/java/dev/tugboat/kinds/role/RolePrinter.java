package dev.tugboat.kinds.role;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import java.time.Instant;
import java.util.List;

/** Roles and ClusterRoles as kubectl prints them (its printRole): NAME, CREATED AT. */
public record RolePrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      new Column("Created At", "string", "date", 0, "The time the role was created."));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode role, Instant now) {
    return List.of(role.path("metadata").path("name").asText(),
        role.path("metadata").path("creationTimestamp").asText(""));
  }
}
