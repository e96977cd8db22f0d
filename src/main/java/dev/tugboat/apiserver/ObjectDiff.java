package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What changed between two versions of an object, field by field: a list of paths in the
 * {@code spec.template.spec.containers[0].image} notation of validation errors, each with the value
 * before and after. Bookkeeping that changes on every write ({@code metadata.resourceVersion},
 * {@code managedFields}) is left out: it would hide the change that matters.
 */
final class ObjectDiff {
  private static final Set<String> IGNORED = Set.of("metadata.resourceVersion", "metadata.managedFields");

  /** One changed field; {@code before} or {@code after} is missing when the field was added or removed. */
  record Change(String path, JsonNode before, JsonNode after) {}

  private ObjectDiff() {}

  static List<Change> between(JsonNode before, JsonNode after) {
    List<Change> changes = new ArrayList<>();
    diff("", before == null ? MissingNode.getInstance() : before, after == null ? MissingNode.getInstance() : after,
        changes);
    return changes;
  }

  private static void diff(String path, JsonNode a, JsonNode b, List<Change> out) {
    if (IGNORED.contains(path) || a.equals(b)) return;
    if (a.isObject() && b.isObject()) {
      Set<String> names = new LinkedHashSet<>();
      a.fieldNames().forEachRemaining(names::add);
      b.fieldNames().forEachRemaining(names::add);
      for (String n : names) diff(path.isEmpty() ? n : path + "." + n, a.path(n), b.path(n), out);
    } else if (a.isArray() && b.isArray() && a.size() == b.size()) {
      Iterator<JsonNode> ai = a.elements();
      Iterator<JsonNode> bi = b.elements();
      for (int i = 0; ai.hasNext(); i++) diff(path + "[" + i + "]", ai.next(), bi.next(), out);
    } else {
      out.add(new Change(path, a, b));
    }
  }
}
