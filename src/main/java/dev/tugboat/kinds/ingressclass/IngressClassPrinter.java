package dev.tugboat.kinds.ingressclass;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import java.time.Instant;
import java.util.List;

/** IngressClasses as kubectl prints them (its printIngressClass): CONTROLLER, PARAMETERS ({@code Kind.group/name}). */
public record IngressClassPrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.of("Controller", "Controller that is responsible for handling this class"),
      Column.of("Parameters", "A reference to a resource with additional parameters"),
      Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode ic, Instant now) {
    JsonNode p = ic.path("spec").path("parameters");
    String parameters = Cells.NONE;
    if (p.isObject()) {
      parameters = p.path("kind").asText("");
      if (p.hasNonNull("apiGroup")) parameters += "." + p.path("apiGroup").asText();
      parameters += "/" + p.path("name").asText("");
    }
    return List.of(
        ic.path("metadata").path("name").asText(),
        ic.path("spec").path("controller").asText(""),
        parameters,
        Cells.age(ic.path("metadata").path("creationTimestamp"), now));
  }
}
