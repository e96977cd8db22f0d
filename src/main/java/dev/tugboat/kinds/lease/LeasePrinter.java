package dev.tugboat.kinds.lease;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import java.time.Instant;
import java.util.List;

/** Leases as kubectl prints them (its printLease): HOLDER. */
public record LeasePrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.of("Holder", "The holder of the lease"),
      Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode lease, Instant now) {
    return List.of(
        lease.path("metadata").path("name").asText(),
        lease.path("spec").path("holderIdentity").asText(""),
        Cells.age(lease.path("metadata").path("creationTimestamp"), now));
  }
}
