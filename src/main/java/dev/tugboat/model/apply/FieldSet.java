package dev.tugboat.model.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A set of field paths, the unit of ownership in server-side apply, and its wire form
 * {@code FieldsV1}. Immutable.
 *
 * <p>A path is a list of elements, each written as in FieldsV1: {@code f:name} (a field of an
 * object), {@code k:{"name":"web"}} (the item of a map list with these key values, keys sorted),
 * {@code v:"x"} (a value of a set list), {@code i:3} (an index, for lists without keys). A path
 * in the set is a member: its node is owned. FieldsV1 nests the elements; {@code ".": {}} marks a
 * node that is a member and also has members below it.
 */
public final class FieldSet {
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final FieldSet EMPTY = new FieldSet(Set.of());

  private final Set<List<String>> paths;

  private FieldSet(Set<List<String>> paths) {
    this.paths = paths;
  }

  public static FieldSet of(Collection<List<String>> paths) {
    Set<List<String>> copy = new HashSet<>();
    for (List<String> p : paths) copy.add(List.copyOf(p));
    return new FieldSet(Set.copyOf(copy));
  }

  @SafeVarargs
  public static FieldSet of(List<String>... paths) {
    return of(List.of(paths));
  }

  public Set<List<String>> paths() {
    return paths;
  }

  public boolean isEmpty() {
    return paths.isEmpty();
  }

  public int size() {
    return paths.size();
  }

  public boolean contains(List<String> path) {
    return paths.contains(path);
  }

  public FieldSet union(FieldSet other) {
    if (other.isEmpty()) return this;
    Set<List<String>> u = new HashSet<>(paths);
    u.addAll(other.paths);
    return new FieldSet(Set.copyOf(u));
  }

  public FieldSet difference(FieldSet other) {
    return filter(p -> !other.paths.contains(p));
  }

  public FieldSet intersection(FieldSet other) {
    return filter(other.paths::contains);
  }

  public FieldSet filter(Predicate<List<String>> keep) {
    Set<List<String>> f = new HashSet<>();
    for (List<String> p : paths) if (keep.test(p)) f.add(p);
    return f.size() == paths.size() ? this : new FieldSet(Set.copyOf(f));
  }

  /** True when {@code path} or a path below it is a member. */
  public boolean hasAtOrBelow(List<String> path) {
    if (paths.contains(path)) return true;
    for (List<String> p : paths) if (p.size() > path.size() && p.subList(0, path.size()).equals(path)) return true;
    return false;
  }

  /** The paths in a stable order (sorted element by element), for messages and tests. */
  public List<List<String>> sorted() {
    List<List<String>> list = new ArrayList<>(paths);
    list.sort((a, b) -> {
      for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
        int c = a.get(i).compareTo(b.get(i));
        if (c != 0) return c;
      }
      return Integer.compare(a.size(), b.size());
    });
    return list;
  }

  // ---- FieldsV1 -------------------------------------------------------------------------------

  /** The set as a FieldsV1 object, keys sorted as Kubernetes writes them. */
  public ObjectNode toFieldsV1() {
    Node root = new Node();
    for (List<String> p : paths) {
      Node n = root;
      for (String e : p) n = n.children.computeIfAbsent(e, k -> new Node());
      n.member = true;
    }
    return root.encode();
  }

  /**
   * Reads a FieldsV1 object.
   *
   * @throws IllegalArgumentException when it is not one, saying where
   */
  public static FieldSet fromFieldsV1(JsonNode fields) {
    if (fields == null || fields.isNull() || fields.isMissingNode()) return EMPTY;
    if (!fields.isObject()) throw new IllegalArgumentException("fieldsV1 must be an object");
    Set<List<String>> out = new HashSet<>();
    decode((ObjectNode) fields, new ArrayList<>(), out);
    return new FieldSet(Set.copyOf(out));
  }

  private static void decode(ObjectNode node, List<String> prefix, Set<List<String>> out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      if (key.equals(".")) {
        if (prefix.isEmpty()) throw new IllegalArgumentException("fieldsV1: \".\" at the root");
        out.add(List.copyOf(prefix));
        continue;
      }
      if (key.length() < 2 || key.charAt(1) != ':' || "fkvi".indexOf(key.charAt(0)) < 0) {
        throw new IllegalArgumentException("fieldsV1: unknown path element " + key
            + " (expected f:, k:, v: or i:)");
      }
      if (!e.getValue().isObject()) throw new IllegalArgumentException("fieldsV1: " + key + " must map to an object");
      List<String> path = new ArrayList<>(prefix);
      path.add(key);
      if (e.getValue().isEmpty()) out.add(List.copyOf(path));
      else decode((ObjectNode) e.getValue(), path, out);
    }
  }

  private static final class Node {
    final Map<String, Node> children = new TreeMap<>();
    boolean member;

    ObjectNode encode() {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      if (member && !children.isEmpty()) o.putObject(".");
      children.forEach((k, v) -> o.set(k, v.encode()));
      return o;
    }
  }

  // ---- path elements --------------------------------------------------------------------------

  public static String field(String name) {
    return "f:" + name;
  }

  /** The element of a map-list item: its key fields and values, keys sorted. */
  public static String key(Map<String, JsonNode> keyValues) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    new TreeMap<>(keyValues).forEach(o::set);
    return "k:" + compact(o);
  }

  public static String value(JsonNode value) {
    return "v:" + compact(value);
  }

  static String compact(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("fieldsV1: bad path element " + json);
    }
  }

  /**
   * A path as Kubernetes prints it in a conflict: {@code .spec.template.spec.containers[name="web"].image},
   * {@code .metadata.finalizers[="x"]}.
   */
  public static String display(List<String> path) {
    StringBuilder b = new StringBuilder();
    for (String e : path) {
      String rest = e.substring(2);
      switch (e.charAt(0)) {
        case 'f' -> b.append('.').append(rest);
        case 'k' -> {
          JsonNode keys = parse(rest);
          List<String> parts = new ArrayList<>();
          keys.fields().forEachRemaining(kv -> parts.add(kv.getKey() + "=" + compact(kv.getValue())));
          b.append('[').append(String.join(",", parts)).append(']');
        }
        case 'v' -> b.append("[=").append(rest).append(']');
        default -> b.append('[').append(rest).append(']');
      }
    }
    return b.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldSet f && f.paths.equals(paths);
  }

  @Override
  public int hashCode() {
    return paths.hashCode();
  }

  @Override
  public String toString() {
    return sorted().stream().map(FieldSet::display).toList().toString();
  }
}
