package dev.tugboat.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes {@code metadata} of an object held as a JSON tree. */
final class ObjectMeta {
  private ObjectMeta() {}

  /** The object's metadata node, created when absent. */
  static ObjectNode of(ObjectNode object) {
    JsonNode meta = object.get("metadata");
    if (meta instanceof ObjectNode m) return m;
    return object.putObject("metadata");
  }

  static String text(ObjectNode meta, String field) {
    JsonNode v = meta.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  static long resourceVersion(ObjectNode object) {
    JsonNode meta = object.get("metadata");
    if (meta == null) return 0;
    String rv = meta.path("resourceVersion").asText("");
    try {
      return rv.isEmpty() ? 0 : Long.parseLong(rv);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static List<String> finalizers(ObjectNode object) {
    List<String> result = new ArrayList<>();
    object.path("metadata").path("finalizers").forEach(f -> result.add(f.asText()));
    return result;
  }

  static void setFinalizers(ObjectNode object, List<String> finalizers) {
    ArrayNode array = of(object).putArray("finalizers");
    finalizers.forEach(array::add);
  }
}
