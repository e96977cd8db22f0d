package dev.tugboat.kinds.event;

import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Events: LAST SEEN, TYPE, REASON, OBJECT ({@code pod/web-1}), MESSAGE; wide adds source and counts. */
public record EventPrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.of("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
      Column.of("Type", "Type of this event (Normal, Warning), new types could be added in the future."),
      Column.of("Reason", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
      Column.of("Object", "The object that this event is about."),
      Column.wide("Subobject", "The field of the object that this event is about, e.g. spec.containers{name}."),
      Column.wide("Source", "The component reporting this event."),
      Column.of("Message", "A human-readable description of the status of this operation."),
      Column.wide("First Seen", "The time at which the event was first recorded."),
      Column.wide("Count", "The number of times this event has occurred."),
      new Column("Name", "string", "name", 1, "Name must be unique within a namespace."));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode e, Instant now) {
    JsonNode series = e.path("series");
    JsonNode last = series.isObject() && series.has("lastObservedTime") ? series.path("lastObservedTime")
        : e.path("lastTimestamp").asText("").isEmpty() ? e.path("eventTime") : e.path("lastTimestamp");
    JsonNode first = e.path("firstTimestamp").asText("").isEmpty() ? e.path("eventTime") : e.path("firstTimestamp");
    JsonNode involved = e.path("involvedObject");
    String source = Cells.text(e.path("source").path("component"), e.path("reportingComponent").asText(""));
    String host = e.path("source").path("host").asText("");
    if (!host.isEmpty()) source = source + ", " + host;
    int count = series.isObject() ? series.path("count").asInt(1) : e.path("count").asInt(1);
    return List.of(
        Cells.age(last, now),
        e.path("type").asText(""),
        e.path("reason").asText(""),
        involved.path("kind").asText("").toLowerCase(Locale.ROOT) + "/" + involved.path("name").asText(""),
        involved.path("fieldPath").asText(""),
        source,
        e.path("message").asText("").strip(),
        Cells.age(first, now),
        Integer.toString(count),
        e.path("metadata").path("name").asText());
  }
}
