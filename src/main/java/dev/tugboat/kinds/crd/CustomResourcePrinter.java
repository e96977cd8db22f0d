package dev.tugboat.kinds.crd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.JsonPaths;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns of a custom kind: NAME, then the version's {@code additionalPrinterColumns} (or AGE
 * when it has none), as kube-apiserver's CRD table convertor.
 */
final class CustomResourcePrinter implements Printer {
  /** One printer column: what it shows and where it reads it. */
  record PrinterColumn(Column column, String jsonPath) {}

  private final List<PrinterColumn> extra;
  private final List<Column> columns;

  CustomResourcePrinter(List<PrinterColumn> extra) {
    this.extra = List.copyOf(extra);
    List<Column> all = new ArrayList<>();
    all.add(Column.nameColumn());
    if (extra.isEmpty()) all.add(Column.age());
    extra.forEach(c -> all.add(c.column()));
    this.columns = List.copyOf(all);
  }

  /** The printer columns of one version of a CRD. */
  static CustomResourcePrinter of(JsonNode version) {
    List<PrinterColumn> extra = new ArrayList<>();
    for (JsonNode c : version.path("additionalPrinterColumns")) {
      String type = c.path("type").asText("string");
      extra.add(new PrinterColumn(new Column(c.path("name").asText(), type, c.path("format").asText(""),
          c.path("priority").asInt(0), c.path("description").asText("")), c.path("jsonPath").asText()));
    }
    return new CustomResourcePrinter(extra);
  }

  @Override
  public List<Column> columns() {
    return columns;
  }

  @Override
  public List<Object> cells(JsonNode object, Instant now) {
    List<Object> cells = new ArrayList<>();
    cells.add(object.path("metadata").path("name").asText());
    if (extra.isEmpty()) cells.add(Cells.age(object.path("metadata").path("creationTimestamp"), now));
    for (PrinterColumn c : extra) cells.add(cell(JsonPaths.at(object, c.jsonPath()), c.column().type(), now));
    return cells;
  }

  private static Object cell(JsonNode value, String type, Instant now) {
    if (value.isMissingNode() || value.isNull()) return "<none>";
    return switch (type) {
      case "date" -> Cells.age(value, now);
      case "integer" -> value.canConvertToInt() ? (Object) value.asInt() : value.asText();
      default -> value.isValueNode() ? value.asText() : value.toString();
    };
  }
}
