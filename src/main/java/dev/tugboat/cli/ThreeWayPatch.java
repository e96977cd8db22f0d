package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;

/**
 * Client-side apply's three-way merge, as {@code kubectl apply} computes it: from what was applied
 * last time ({@code original}, the {@code last-applied-configuration} annotation), what is applied
 * now ({@code modified}) and what the server holds ({@code current}). Fields the manifest sets are
 * set where they differ from the live object; fields the manifest set last time and no longer sets
 * are removed; everything else on the live object (defaults, status, what controllers and other
 * clients wrote) is left alone. The result is a JSON merge patch: a list that changed is replaced
 * whole by the manifest's (the server defaults its elements again).
 */
final class ThreeWayPatch {
  private ThreeWayPatch() {}

  /** The patch; empty when the live object already matches the manifest ({@code unchanged}). */
  static ObjectNode compute(JsonNode original, JsonNode modified, JsonNode current) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    Iterator<String> names = modified.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      JsonNode m = modified.get(name);
      JsonNode c = current == null ? null : current.get(name);
      JsonNode o = original == null ? null : original.get(name);
      if (m.isObject() && c != null && c.isObject()) {
        ObjectNode sub = compute(o != null && o.isObject() ? o : null, m, c);
        if (!sub.isEmpty()) patch.set(name, sub);
      } else if (m.isArray() && c != null && c.isArray()) {
        if (!sameList(o, m, c)) patch.set(name, m);
      } else if (!m.equals(c)) {
        patch.set(name, m);
      }
    }
    if (original != null && original.isObject()) {
      Iterator<String> previous = original.fieldNames();
      while (previous.hasNext()) {
        String name = previous.next();
        if (!modified.has(name) && current != null && current.has(name)) patch.set(name, NullNode.getInstance());
      }
    }
    return patch;
  }

  /**
   * Whether a list needs no change: as long as the live one, and each element of the manifest's
   * already holds in the live element (which may carry server defaults, like a port's protocol)
   * with nothing the manifest dropped since last time. Otherwise the manifest's list replaces it.
   */
  private static boolean sameList(JsonNode original, JsonNode modified, JsonNode current) {
    if (modified.size() != current.size()) return false;
    boolean originalAligned = original != null && original.isArray() && original.size() == modified.size();
    for (int i = 0; i < modified.size(); i++) {
      JsonNode m = modified.get(i);
      JsonNode c = current.get(i);
      if (m.isObject() && c.isObject()) {
        if (!compute(originalAligned && original.get(i).isObject() ? original.get(i) : null, m, c).isEmpty()) return false;
      } else if (m.isArray() && c.isArray()) {
        if (!sameList(originalAligned ? original.get(i) : null, m, c)) return false;
      } else if (!m.equals(c)) {
        return false;
      }
    }
    return true;
  }
}
