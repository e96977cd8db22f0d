package dev.tugboat.model.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Strategic merge patch, as kube-apiserver applies it: maps merge, {@code null} deletes, lists with a
 * merge key (containers by name, ports by containerPort, ...) merge element by element, other lists
 * are replaced, and the directives {@code $patch}, {@code $setElementOrder/<list>},
 * {@code $retainKeys} and {@code $deleteFromPrimitiveList/<list>} are honoured.
 */
public final class StrategicMergePatch {
  private static final String PATCH = "$patch";
  private static final String RETAIN_KEYS = "$retainKeys";
  private static final String SET_ORDER = "$setElementOrder/";
  private static final String DELETE_PRIMITIVE = "$deleteFromPrimitiveList/";

  private StrategicMergePatch() {}

  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) throw new IllegalArgumentException("a strategic merge patch must be a JSON object");
    return mergeMap(target != null && target.isObject() ? (ObjectNode) target.deepCopy()
        : JsonNodeFactory.instance.objectNode(), (ObjectNode) patch, new ArrayList<>());
  }

  private static ObjectNode mergeMap(ObjectNode target, ObjectNode patch, List<String> path) {
    String directive = patch.path(PATCH).asText("");
    switch (directive) {
      case "replace" -> {
        ObjectNode copy = patch.deepCopy();
        copy.remove(PATCH);
        return strip(copy);
      }
      case "delete" -> {
        return JsonNodeFactory.instance.objectNode();
      }
      case "", "merge" -> { }
      default -> throw new IllegalArgumentException("unknown patch type: " + directive + " in map at " + dotted(path));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (key.equals(PATCH) || key.equals(RETAIN_KEYS) || key.startsWith(SET_ORDER)) continue;
      if (key.startsWith(DELETE_PRIMITIVE)) {
        String list = key.substring(DELETE_PRIMITIVE.length());
        JsonNode current = target.get(list);
        if (current instanceof ArrayNode arr && value.isArray()) {
          Set<JsonNode> doomed = new HashSet<>();
          value.forEach(doomed::add);
          ArrayNode kept = JsonNodeFactory.instance.arrayNode();
          arr.forEach(v -> {
            if (!doomed.contains(v)) kept.add(v);
          });
          target.set(list, kept);
        }
        continue;
      }
      List<String> childPath = new ArrayList<>(path);
      childPath.add(key);
      if (value.isNull()) {
        target.remove(key);
      } else if (value.isObject()) {
        JsonNode current = target.get(key);
        target.set(key, mergeMap(current instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode(),
            (ObjectNode) value, childPath));
      } else if (value.isArray()) {
        target.set(key, mergeList(target.get(key), (ArrayNode) value, childPath));
      } else {
        target.set(key, value.deepCopy());
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().startsWith(SET_ORDER)) {
        String list = e.getKey().substring(SET_ORDER.length());
        if (target.get(list) instanceof ArrayNode arr) {
          target.set(list, order(arr, e.getValue(), MergeKeys.forPath(append(path, list))));
        }
      }
    }
    if (patch.has(RETAIN_KEYS)) {
      Set<String> keep = new HashSet<>();
      patch.get(RETAIN_KEYS).forEach(k -> keep.add(k.asText()));
      target.retain(keep);
    }
    return target;
  }

  private static JsonNode mergeList(JsonNode current, ArrayNode patch, List<String> path) {
    Optional<String> mergeKey = MergeKeys.forPath(path);
    boolean primitiveMerge = MergeKeys.isPrimitiveMerge(path);
    ArrayNode base = current instanceof ArrayNode a ? a.deepCopy() : JsonNodeFactory.instance.arrayNode();
    for (JsonNode element : patch) {
      if (element.isObject() && "replace".equals(element.path(PATCH).asText(""))) {
        ArrayNode replaced = JsonNodeFactory.instance.arrayNode();
        for (JsonNode el : patch) if (!el.has(PATCH)) replaced.add(strip(el.deepCopy()));
        return replaced;
      }
    }
    if (primitiveMerge) {
      for (JsonNode element : patch) {
        boolean present = false;
        for (JsonNode b : base) present |= b.equals(element);
        if (!present) base.add(element.deepCopy());
      }
      return base;
    }
    if (mergeKey.isEmpty()) return strip(patch.deepCopy());
    String key = mergeKey.get();
    for (JsonNode element : patch) {
      if (!element.isObject()) throw new IllegalArgumentException("the list at " + dotted(path)
          + " is merged by \"" + key + "\" and holds only objects");
      JsonNode id = element.get(key);
      if (id == null) throw new IllegalArgumentException("map: " + element + " does not contain declared merge key: " + key);
      int at = indexOf(base, key, id);
      String directive = element.path(PATCH).asText("");
      if (directive.equals("delete")) {
        if (at >= 0) base.remove(at);
      } else if (at >= 0) {
        base.set(at, mergeMap((ObjectNode) base.get(at), (ObjectNode) element, path));
      } else {
        base.add(mergeMap(JsonNodeFactory.instance.objectNode(), (ObjectNode) element, path));
      }
    }
    return base;
  }

  /** Orders {@code list} as {@code order} names its elements; unnamed ones keep their place after. */
  private static ArrayNode order(ArrayNode list, JsonNode order, Optional<String> key) {
    List<JsonNode> rest = new ArrayList<>();
    list.forEach(rest::add);
    ArrayNode result = JsonNodeFactory.instance.arrayNode();
    for (JsonNode want : order) {
      for (Iterator<JsonNode> it = rest.iterator(); it.hasNext(); ) {
        JsonNode candidate = it.next();
        boolean same = key.isPresent() && want.isObject()
            ? candidate.path(key.get()).equals(want.path(key.get()))
            : candidate.equals(want);
        if (same) {
          result.add(candidate);
          it.remove();
          break;
        }
      }
    }
    rest.forEach(result::add);
    return result;
  }

  private static int indexOf(ArrayNode list, String key, JsonNode id) {
    for (int i = 0; i < list.size(); i++) if (id.equals(list.get(i).path(key))) return i;
    return -1;
  }

  /** Removes directives left in a replaced subtree. */
  private static <T extends JsonNode> T strip(T node) {
    if (node instanceof ObjectNode o) {
      List<String> drop = new ArrayList<>();
      o.fieldNames().forEachRemaining(f -> {
        if (f.startsWith("$")) drop.add(f);
      });
      o.remove(drop);
      o.forEach(StrategicMergePatch::strip);
    } else if (node instanceof ArrayNode a) {
      a.forEach(StrategicMergePatch::strip);
    }
    return node;
  }

  private static List<String> append(List<String> path, String key) {
    List<String> p = new ArrayList<>(path);
    p.add(key);
    return p;
  }

  private static String dotted(List<String> path) {
    return String.join(".", path);
  }
}
