package dev.tugboat.kinds.endpointslice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * EndpointSlices as kubectl prints them (its printEndpointSlice): ADDRESSTYPE, PORTS and ENDPOINTS,
 * each list three long then {@code + N more...}, {@code <unset>} when empty.
 */
public record EndpointSlicePrinter() implements Printer {
  private static final int SHOWN = 3;
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.of("AddressType", "addressType specifies the type of address carried by this EndpointSlice. All addresses "
          + "in this slice must be the same type. This field is immutable after creation."),
      Column.of("Ports", "ports specifies the list of network ports exposed by each endpoint in this slice."),
      Column.of("Endpoints", "endpoints is a list of unique endpoints in this slice."),
      Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode slice, Instant now) {
    return List.of(
        slice.path("metadata").path("name").asText(),
        slice.path("addressType").asText(""),
        ports(slice.path("ports")),
        endpoints(slice.path("endpoints")),
        Cells.age(slice.path("metadata").path("creationTimestamp"), now));
  }

  static String ports(JsonNode ports) {
    List<String> list = new ArrayList<>();
    int count = 0;
    for (JsonNode port : ports) {
      if (list.size() < SHOWN) {
        String number = "*";
        if (port.hasNonNull("port")) number = String.valueOf(port.path("port").asInt());
        else if (port.hasNonNull("name")) number = port.path("name").asText();
        list.add(number);
      }
      count++;
    }
    return withMore(list, count);
  }

  static String endpoints(JsonNode endpoints) {
    List<String> list = new ArrayList<>();
    int count = 0;
    for (JsonNode endpoint : endpoints) {
      for (JsonNode address : endpoint.path("addresses")) {
        if (list.size() < SHOWN) list.add(address.asText());
        count++;
      }
    }
    return withMore(list, count);
  }

  private static String withMore(List<String> list, int count) {
    String joined = String.join(",", list);
    if (count > SHOWN) return joined + " + " + (count - SHOWN) + " more...";
    return joined.isEmpty() ? "<unset>" : joined;
  }
}
