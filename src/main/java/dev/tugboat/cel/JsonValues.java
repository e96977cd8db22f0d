package dev.tugboat.cel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.values.NullValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jackson trees to CEL values and back: objects to maps, arrays to lists, integers to {@code int}
 * (Long), other numbers to {@code double}, strings, booleans, and null to CEL's {@code null}. A value
 * is converted once per evaluation and never changed by CEL, so the maps are unmodifiable views.
 */
public final class JsonValues {
  private JsonValues() {}

  /** The CEL value of {@code node}; a missing node is CEL's null. */
  public static Object toCel(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) return NullValue.NULL_VALUE;
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        map.put(e.getKey(), toCel(e.getValue()));
      }
      return Collections.unmodifiableMap(map);
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      node.forEach(v -> list.add(toCel(v)));
      return Collections.unmodifiableList(list);
    }
    if (node.isTextual()) return node.asText();
    if (node.isBoolean()) return node.asBoolean();
    // CEL's int is 64 bits; an integer beyond that is a double, as JSON numbers are in cel-go.
    if (node.isIntegralNumber()) return node.canConvertToLong() ? (Object) node.asLong() : (Object) node.asDouble();
    if (node.isNumber()) return node.asDouble();
    return node.asText();
  }

  /** The JSON of a CEL result: the inverse of {@link #toCel}, other values by their string form. */
  public static JsonNode toJson(Object value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (value == null || value instanceof NullValue) return f.nullNode();
    if (value instanceof Boolean b) return f.booleanNode(b);
    if (value instanceof Long l) return f.numberNode(l);
    if (value instanceof Integer i) return f.numberNode(i);
    if (value instanceof Double d) return f.numberNode(d);
    if (value instanceof String s) return f.textNode(s);
    if (value instanceof Map<?, ?> map) {
      ObjectNode o = f.objectNode();
      map.forEach((k, v) -> o.set(String.valueOf(k), toJson(v)));
      return o;
    }
    if (value instanceof List<?> list) {
      ArrayNode a = f.arrayNode();
      list.forEach(v -> a.add(toJson(v)));
      return a;
    }
    return f.textNode(String.valueOf(value));
  }
}
