package dev.tugboat.model.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The field arithmetic of server-side apply on JSON trees, by a {@link FieldSchema}: the set of
 * fields an object sets, the value at a path, removing a path, and merging an applied
 * configuration into a live object. Pure functions; inputs are never changed.
 */
public final class ObjectFields {
  private ObjectFields() {}

  /**
   * The fields {@code object} sets: every leaf (a scalar, an atomic list, an empty object), every
   * item of a map list (and the fields below it), every value of a set list. Objects themselves
   * are not members: owning {@code metadata.labels.app} is not owning {@code metadata.labels}.
   */
  public static FieldSet of(JsonNode object, FieldSchema schema) {
    Set<List<String>> out = new HashSet<>();
    if (object instanceof ObjectNode o) walkObject(o, new ArrayList<>(), new ArrayList<>(), schema, out);
    return FieldSet.of(out);
  }

  private static void walkObject(ObjectNode object, List<String> path, List<String> names, FieldSchema schema,
      Set<List<String>> out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNull()) continue; // null in a configuration means "not set"
      List<String> p = append(path, FieldSet.field(e.getKey()));
      List<String> n = append(names, e.getKey());
      walkValue(e.getValue(), p, n, schema, out);
    }
  }

  private static void walkValue(JsonNode value, List<String> path, List<String> names, FieldSchema schema,
      Set<List<String>> out) {
    if (value instanceof ObjectNode o && !o.isEmpty()) {
      walkObject(o, path, names, schema, out);
    } else if (value instanceof ArrayNode a && !a.isEmpty()) {
      ListType type = schema.listType(names);
      switch (type.kind()) {
        case ATOMIC -> out.add(List.copyOf(path));
        case SET -> a.forEach(v -> out.add(append(path, FieldSet.value(v))));
        case MAP -> {
          List<String> keys = itemKeys(a, type);
          if (keys == null) {
            out.add(List.copyOf(path)); // items without their keys: owned whole
            return;
          }
          for (int i = 0; i < a.size(); i++) {
            List<String> item = append(path, keys.get(i));
            out.add(item);
            walkObject((ObjectNode) a.get(i), item, names, schema, out);
          }
        }
      }
    } else {
      out.add(List.copyOf(path));
    }
  }

  /** Each item's key element, or null when an item is no object, lacks a key, or repeats one. */
  static List<String> itemKeys(ArrayNode list, ListType type) {
    List<String> keys = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (JsonNode item : list) {
      if (!(item instanceof ObjectNode o)) return null;
      Map<String, JsonNode> values = new LinkedHashMap<>();
      for (String k : type.keys()) {
        JsonNode v = o.get(k);
        if (v == null || v.isNull() || v.isContainerNode()) return null;
        values.put(k, v);
      }
      String key = FieldSet.key(values);
      if (!seen.add(key)) return null;
      keys.add(key);
    }
    return keys;
  }

  /** The node at {@code path} in {@code root}, if there is one. */
  public static Optional<JsonNode> get(JsonNode root, List<String> path) {
    JsonNode node = root;
    for (String e : path) {
      node = child(node, e);
      if (node == null) return Optional.empty();
    }
    return Optional.of(node);
  }

  private static JsonNode child(JsonNode node, String element) {
    String rest = element.substring(2);
    return switch (element.charAt(0)) {
      case 'f' -> node instanceof ObjectNode o ? o.get(rest) : null;
      case 'k', 'v' -> node instanceof ArrayNode a ? a.get(indexOf(a, element)) : null;
      case 'i' -> node instanceof ArrayNode a ? a.get(Integer.parseInt(rest)) : null;
      default -> null;
    };
  }

  /** The index of the item a {@code k:} or {@code v:} element names, -1 when absent. */
  private static int indexOf(ArrayNode list, String element) {
    if (element.startsWith("v:")) {
      JsonNode wanted = FieldSet.parse(element.substring(2));
      for (int i = 0; i < list.size(); i++) if (sameValue(list.get(i), wanted)) return i;
      return -1;
    }
    JsonNode keys = FieldSet.parse(element.substring(2));
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      boolean match = item.isObject();
      for (Iterator<Map.Entry<String, JsonNode>> it = keys.fields(); match && it.hasNext(); ) {
        Map.Entry<String, JsonNode> k = it.next();
        match = item.has(k.getKey()) && sameValue(item.get(k.getKey()), k.getValue());
      }
      if (match) return i;
    }
    return -1;
  }

  /**
   * Removes the node at {@code path} from {@code root} (changed in place), if it is there: a field
   * of an object, an item of a list.
   */
  public static void remove(JsonNode root, List<String> path) {
    if (path.isEmpty()) return;
    Optional<JsonNode> parent = get(root, path.subList(0, path.size() - 1));
    if (parent.isEmpty()) return;
    String last = path.get(path.size() - 1);
    JsonNode p = parent.get();
    if (last.startsWith("f:") && p instanceof ObjectNode o) {
      o.remove(last.substring(2));
    } else if (p instanceof ArrayNode a) {
      int i = last.startsWith("i:") ? Integer.parseInt(last.substring(2)) : indexOf(a, last);
      if (i >= 0 && i < a.size()) a.remove(i);
    }
  }

  /**
   * Merges an applied configuration into a live object, as server-side apply does: objects merge
   * field by field, map lists item by item by their keys (new items after the live ones), set
   * lists as a union, everything else (scalars, atomic lists) is the configuration's. A null in the
   * configuration removes the field.
   */
  public static ObjectNode merge(ObjectNode live, ObjectNode config, FieldSchema schema) {
    return mergeObject(live.deepCopy(), config, new ArrayList<>(), schema);
  }

  private static ObjectNode mergeObject(ObjectNode target, ObjectNode config, List<String> names, FieldSchema schema) {
    for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      JsonNode current = target.get(key);
      List<String> n = append(names, key);
      if (value.isNull()) {
        target.remove(key);
      } else if (value instanceof ObjectNode o && current instanceof ObjectNode c) {
        target.set(key, mergeObject(c, o, n, schema));
      } else if (value instanceof ArrayNode a && current instanceof ArrayNode c) {
        target.set(key, mergeList(c, a, n, schema));
      } else {
        target.set(key, value.deepCopy());
      }
    }
    return target;
  }

  private static ArrayNode mergeList(ArrayNode live, ArrayNode config, List<String> names, FieldSchema schema) {
    ListType type = schema.listType(names);
    switch (type.kind()) {
      case SET -> {
        ArrayNode out = live.deepCopy();
        for (JsonNode v : config) {
          boolean present = false;
          for (JsonNode l : live) present |= sameValue(l, v);
          if (!present) out.add(v.deepCopy());
        }
        return out;
      }
      case MAP -> {
        List<String> liveKeys = itemKeys(live, type);
        List<String> configKeys = itemKeys(config, type);
        if (liveKeys == null || configKeys == null) return config.deepCopy();
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < live.size(); i++) {
          int j = configKeys.indexOf(liveKeys.get(i));
          out.add(j < 0 ? live.get(i).deepCopy()
              : mergeObject(((ObjectNode) live.get(i)).deepCopy(), (ObjectNode) config.get(j), names, schema));
        }
        for (int j = 0; j < config.size(); j++) {
          if (!liveKeys.contains(configKeys.get(j))) out.add(config.get(j).deepCopy());
        }
        return out;
      }
      default -> {
        return config.deepCopy();
      }
    }
  }

  /** Equal JSON values, numbers by value (1 and 1.0, an int and a long). */
  public static boolean sameValue(JsonNode a, JsonNode b) {
    if (a == null || b == null) return a == b;
    return a.equals((x, y) -> x.isNumber() && y.isNumber()
        ? x.decimalValue().compareTo(y.decimalValue())
        : x.equals(y) ? 0 : 1, b);
  }

  private static List<String> append(List<String> list, String element) {
    List<String> out = new ArrayList<>(list.size() + 1);
    out.addAll(list);
    out.add(element);
    return out;
  }
}
