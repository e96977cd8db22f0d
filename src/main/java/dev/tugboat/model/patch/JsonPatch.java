package dev.tugboat.model.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** JSON Patch (RFC 6902): add, remove, replace, move, copy and test, with JSON Pointer paths. */
public final class JsonPatch {
  private JsonPatch() {}

  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isArray()) throw new IllegalArgumentException("a json patch must be an array of operations");
    JsonNode doc = target.deepCopy();
    for (int i = 0; i < patch.size(); i++) {
      JsonNode op = patch.get(i);
      String name = op.path("op").asText("");
      String path = op.path("path").asText(null);
      if (path == null) throw fail(i, name, "missing \"path\"");
      try {
        doc = switch (name) {
          case "add" -> add(doc, pointer(path), value(op, i));
          case "remove" -> remove(doc, pointer(path));
          case "replace" -> {
            get(doc, pointer(path));
            yield add(remove(doc, pointer(path)), pointer(path), value(op, i));
          }
          case "move" -> {
            String from = op.path("from").asText(null);
            if (from == null) throw fail(i, name, "missing \"from\"");
            JsonNode v = get(doc, pointer(from));
            yield add(remove(doc, pointer(from)), pointer(path), v);
          }
          case "copy" -> {
            String from = op.path("from").asText(null);
            if (from == null) throw fail(i, name, "missing \"from\"");
            yield add(doc, pointer(path), get(doc, pointer(from)).deepCopy());
          }
          case "test" -> {
            if (!get(doc, pointer(path)).equals(value(op, i))) throw fail(i, name, "testing value " + path + " failed");
            yield doc;
          }
          default -> throw fail(i, name, "unexpected kind of operation \"" + name + "\"");
        };
      } catch (Missing m) {
        throw fail(i, name, "doc is missing path: " + path + (m.getMessage() == null ? "" : " (" + m.getMessage() + ")"));
      }
    }
    return doc;
  }

  private static final class Missing extends RuntimeException {
    Missing(String message) {
      super(message, null, false, false);
    }
  }

  private static IllegalArgumentException fail(int index, String op, String why) {
    return new IllegalArgumentException("jsonpatch " + op + " operation " + index + " does not apply: " + why);
  }

  private static JsonNode value(JsonNode op, int i) {
    if (!op.has("value")) throw fail(i, op.path("op").asText(), "missing \"value\"");
    return op.get("value");
  }

  private static List<String> pointer(String path) {
    List<String> parts = new ArrayList<>();
    if (path.isEmpty()) return parts;
    if (!path.startsWith("/")) throw new Missing("a path must start with /");
    for (String p : path.substring(1).split("/", -1)) parts.add(p.replace("~1", "/").replace("~0", "~"));
    return parts;
  }

  private static JsonNode get(JsonNode doc, List<String> path) {
    JsonNode node = doc;
    for (String p : path) {
      if (node.isObject() && node.has(p)) node = node.get(p);
      else if (node.isArray()) node = node.get(index(p, node.size() - 1));
      else throw new Missing(null);
      if (node == null) throw new Missing(null);
    }
    return node;
  }

  private static JsonNode add(JsonNode doc, List<String> path, JsonNode value) {
    if (path.isEmpty()) return value.deepCopy();
    JsonNode parent = get(doc, path.subList(0, path.size() - 1));
    String last = path.get(path.size() - 1);
    if (parent instanceof ObjectNode o) o.set(last, value.deepCopy());
    else if (parent instanceof ArrayNode a) {
      if (last.equals("-")) a.add(value.deepCopy());
      else a.insert(index(last, a.size()), value.deepCopy());
    } else throw new Missing("parent is not a container");
    return doc;
  }

  private static JsonNode remove(JsonNode doc, List<String> path) {
    if (path.isEmpty()) throw new Missing("cannot remove the whole document");
    JsonNode parent = get(doc, path.subList(0, path.size() - 1));
    String last = path.get(path.size() - 1);
    if (parent instanceof ObjectNode o) {
      if (!o.has(last)) throw new Missing(null);
      o.remove(last);
    } else if (parent instanceof ArrayNode a) {
      a.remove(index(last, a.size() - 1));
    } else throw new Missing("parent is not a container");
    return doc;
  }

  private static int index(String s, int max) {
    try {
      int i = Integer.parseInt(s);
      if (i < 0 || i > max || (s.length() > 1 && s.startsWith("0"))) throw new Missing("index " + s + " out of range");
      return i;
    } catch (NumberFormatException e) {
      throw new Missing("\"" + s + "\" is not an array index");
    }
  }
}
