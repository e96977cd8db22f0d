package dev.tugboat.kinds.resourcequota;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * ResourceQuotas as kubectl shows them: NAME, AGE, then REQUEST and LIMIT, each
 * {@code resource: used/hard} of what {@code status.hard} enforces, sorted by name; the
 * {@code limits.*} resources under LIMIT, all others under REQUEST.
 */
public record ResourceQuotaPrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.age(),
      Column.of("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
      Column.of("Limit", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode quota, Instant now) {
    SortedMap<String, BigDecimal> hard = ResourceList.of(quota.path("status").path("hard"));
    SortedMap<String, BigDecimal> used = ResourceList.of(quota.path("status").path("used"));
    List<String> requests = new ArrayList<>();
    List<String> limits = new ArrayList<>();
    hard.forEach((name, limit) -> {
      String cell = name + ": " + ResourceList.format(name, used.getOrDefault(name, BigDecimal.ZERO)) + "/"
          + ResourceList.format(name, limit);
      (name.startsWith("limits.") ? limits : requests).add(cell);
    });
    return List.of(quota.path("metadata").path("name").asText(),
        Cells.age(quota.path("metadata").path("creationTimestamp"), now),
        String.join(", ", requests), String.join(", ", limits));
  }
}
