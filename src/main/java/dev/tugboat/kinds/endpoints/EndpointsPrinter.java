package dev.tugboat.kinds.endpoints;

import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Endpoints: the first three {@code ip:port} pairs, then {@code + N more...}, as kubectl shows them. */
public record EndpointsPrinter() implements Printer {
  private static final int SHOWN = 3;
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.of("Endpoints", "Endpoints is the list of endpoints in this subset."),
      Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode ep, Instant now) {
    return List.of(
        ep.path("metadata").path("name").asText(),
        endpoints(ep.path("subsets")),
        Cells.age(ep.path("metadata").path("creationTimestamp"), now));
  }

  static String endpoints(JsonNode subsets) {
    List<String> shown = new ArrayList<>();
    int count = 0;
    for (JsonNode subset : subsets) {
      for (JsonNode address : subset.path("addresses")) {
        String ip = address.path("ip").asText();
        if (subset.path("ports").isEmpty()) {
          if (count++ < SHOWN) shown.add(ip);
        }
        for (JsonNode port : subset.path("ports")) {
          if (count++ < SHOWN) shown.add(ip + ":" + port.path("port").asInt());
        }
      }
    }
    if (count == 0) return Cells.NONE;
    String joined = String.join(",", shown);
    return count > SHOWN ? joined + " + " + (count - SHOWN) + " more..." : joined;
  }
}
