package dev.tugboat.kinds.validatingwebhookconfiguration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import java.time.Instant;
import java.util.List;

/** Webhook configurations as kubectl prints them: NAME, WEBHOOKS (how many), AGE. */
public record WebhookConfigurationPrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      new Column("Webhooks", "integer", "", 0, "The number of webhooks in the configuration"),
      Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode c, Instant now) {
    return List.of(c.path("metadata").path("name").asText(), (long) c.path("webhooks").size(),
        Cells.age(c.path("metadata").path("creationTimestamp"), now));
  }
}
