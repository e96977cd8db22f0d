package dev.tugboat.kinds.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import java.time.Instant;
import java.util.List;

/** ServiceAccounts: NAME, SECRETS (how many), AGE, as kubectl prints them. */
record ServiceAccountPrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.of("Secrets", "The number of secrets of the account").withType("integer"),
      Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode sa, Instant now) {
    return List.of(sa.path("metadata").path("name").asText(), sa.path("secrets").size(),
        Cells.age(sa.path("metadata").path("creationTimestamp"), now));
  }
}
