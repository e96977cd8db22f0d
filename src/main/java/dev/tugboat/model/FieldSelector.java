package dev.tugboat.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A field selector ({@code metadata.name=web,spec.nodeName!=,status.phase==Running}): equality and
 * inequality on the few fields each kind can be selected by, as in Kubernetes. A field no kind
 * supports is an error ({@code field label not supported: spec.foo}) that the API turns into a 400.
 *
 * <p>Values are compared as Kubernetes renders them: an absent string is {@code ""}, an absent
 * boolean {@code "false"} ({@code spec.unschedulable=false} matches a node that never set it) and
 * an absent count {@code "0"}.
 */
public record FieldSelector(List<Term> terms) {

  /** {@code field=value} ({@code equal}) or {@code field!=value}. */
  public record Term(String field, boolean equal, String value) {}

  private static final Map<String, Function<ApiObject, String>> COMMON = Map.of(
      "metadata.name", o -> o.metadata() == null ? null : o.metadata().name(),
      "metadata.namespace", o -> o.metadata() == null ? null : o.metadata().namespace());

  private static final Map<String, Map<String, Function<ApiObject, String>>> BY_KIND = Map.of(
      "Pod", podFields(),
      "Namespace", Map.of("status.phase", o -> {
        Namespace n = (Namespace) o;
        return n.status() == null ? null : n.status().phase();
      }),
      "Node", Map.of("spec.unschedulable", o -> {
        Node n = (Node) o;
        return Boolean.toString(n.spec() != null && Boolean.TRUE.equals(n.spec().unschedulable()));
      }),
      "Event", eventFields(),
      "ReplicaSet", Map.of("status.replicas", o -> {
        ReplicaSet r = (ReplicaSet) o;
        return Integer.toString(r.status() == null || r.status().replicas() == null ? 0 : r.status().replicas());
      }),
      "Service", Map.of(
          "spec.type", o -> ((Service) o).spec() == null ? null : ((Service) o).spec().type(),
          "spec.clusterIP", o -> ((Service) o).spec() == null ? null : ((Service) o).spec().clusterIP()));

  private static Map<String, Function<ApiObject, String>> podFields() {
    Map<String, Function<ApiObject, String>> m = new LinkedHashMap<>();
    m.put("spec.nodeName", o -> podSpec(o, Pod.Spec::nodeName));
    m.put("spec.restartPolicy", o -> podSpec(o, Pod.Spec::restartPolicy));
    m.put("spec.schedulerName", o -> podSpec(o, Pod.Spec::schedulerName));
    m.put("spec.serviceAccountName", o -> podSpec(o, Pod.Spec::serviceAccountName));
    m.put("status.phase", o -> ((Pod) o).status() == null ? null : ((Pod) o).status().phase());
    m.put("status.podIP", o -> ((Pod) o).status() == null ? null : ((Pod) o).status().podIP());
    return Map.copyOf(m);
  }

  private static String podSpec(ApiObject o, Function<Pod.Spec, String> field) {
    Pod.Spec spec = ((Pod) o).spec();
    return spec == null ? null : field.apply(spec);
  }

  private static Map<String, Function<ApiObject, String>> eventFields() {
    Map<String, Function<ApiObject, String>> m = new LinkedHashMap<>();
    m.put("involvedObject.kind", o -> ref(o, ObjectReference::kind));
    m.put("involvedObject.namespace", o -> ref(o, ObjectReference::namespace));
    m.put("involvedObject.name", o -> ref(o, ObjectReference::name));
    m.put("involvedObject.uid", o -> ref(o, ObjectReference::uid));
    m.put("involvedObject.apiVersion", o -> ref(o, ObjectReference::apiVersion));
    m.put("involvedObject.resourceVersion", o -> ref(o, ObjectReference::resourceVersion));
    m.put("involvedObject.fieldPath", o -> ref(o, ObjectReference::fieldPath));
    m.put("reason", o -> ((Event) o).reason());
    m.put("type", o -> ((Event) o).type());
    // Kubernetes selects an Event's source by its component.
    m.put("source", o -> ((Event) o).source() == null ? null : ((Event) o).source().component());
    m.put("reportingComponent", o -> ((Event) o).reportingComponent());
    return Map.copyOf(m);
  }

  private static String ref(ApiObject o, Function<ObjectReference, String> field) {
    ObjectReference r = ((Event) o).involvedObject();
    return r == null ? null : field.apply(r);
  }

  /**
   * Parses {@code field=value}, {@code field==value} and {@code field!=value} terms separated by commas.
   *
   * @throws IllegalArgumentException for a term without an operator or a field
   */
  public static FieldSelector parse(String text) {
    List<Term> terms = new ArrayList<>();
    if (text == null || text.isBlank()) return new FieldSelector(terms);
    for (String part : text.split(",", -1)) {
      String p = part.trim();
      int ne = p.indexOf("!=");
      int eq2 = p.indexOf("==");
      int eq = p.indexOf('=');
      if (ne > 0 && ne <= eq) terms.add(new Term(p.substring(0, ne).trim(), false, p.substring(ne + 2).trim()));
      else if (eq2 > 0 && eq2 == eq) terms.add(new Term(p.substring(0, eq2).trim(), true, p.substring(eq2 + 2).trim()));
      else if (eq > 0) terms.add(new Term(p.substring(0, eq).trim(), true, p.substring(eq + 1).trim()));
      else throw new IllegalArgumentException("invalid selector: '" + text + "'; can't understand '" + p + "'");
    }
    return new FieldSelector(terms);
  }

  /**
   * Parses and checks against a kind in one step.
   *
   * @throws IllegalArgumentException for bad syntax or a field {@code kind} cannot be selected by
   */
  public static FieldSelector parse(String text, String kind) {
    FieldSelector s = parse(text);
    s.check(kind);
    return s;
  }

  /** The fields {@code kind} can be selected by. */
  public static Set<String> supportedFields(String kind) {
    Set<String> fields = new java.util.TreeSet<>(COMMON.keySet());
    fields.addAll(BY_KIND.getOrDefault(kind, Map.of()).keySet());
    return fields;
  }

  /**
   * @throws IllegalArgumentException when a field is not one {@code kind} can be selected by
   */
  public void check(String kind) {
    for (Term t : terms) {
      if (!COMMON.containsKey(t.field()) && !BY_KIND.getOrDefault(kind, Map.of()).containsKey(t.field())) {
        throw new IllegalArgumentException("field label not supported: " + t.field());
      }
    }
  }

  /**
   * The value of {@code field} of {@code object} as Kubernetes renders it for field selectors, or
   * empty when the kind cannot be selected by that field.
   */
  public static Optional<String> fieldValue(ApiObject object, String field) {
    Function<ApiObject, String> f = COMMON.get(field);
    if (f == null) f = BY_KIND.getOrDefault(object.kind(), Map.of()).get(field);
    if (f == null) return Optional.empty();
    String v = f.apply(object);
    return Optional.of(v == null ? "" : v);
  }

  /**
   * True when every term holds for {@code object}.
   *
   * @throws IllegalArgumentException for a field its kind cannot be selected by
   */
  public boolean matches(ApiObject object) {
    return matches(field -> fieldValue(object, field)
        .orElseThrow(() -> new IllegalArgumentException("field label not supported: " + field)));
  }

  /** True when every term holds, reading field values through {@code fieldValue} ("" when absent). */
  public boolean matches(Function<String, String> fieldValue) {
    for (Term t : terms) {
      String v = fieldValue.apply(t.field());
      if (t.equal() != t.value().equals(v == null ? "" : v)) return false;
    }
    return true;
  }

  public boolean isEmpty() {
    return terms.isEmpty();
  }

  @Override
  public String toString() {
    return String.join(",", terms.stream().map(t -> t.field() + (t.equal() ? "=" : "!=") + t.value()).toList());
  }
}
