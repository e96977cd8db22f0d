package dev.tugboat.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A field selector ({@code metadata.name=web,spec.nodeName!=,status.phase==Running}): equality and
 * inequality on the few fields each kind can be selected by, as in Kubernetes.
 */
public record FieldSelector(List<Term> terms) {

  public record Term(String field, boolean equal, String value) {}

  private static final Set<String> COMMON = Set.of("metadata.name", "metadata.namespace");
  private static final Map<String, Set<String>> BY_KIND = Map.of(
      "Pod", Set.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "status.phase", "status.podIP"),
      "Namespace", Set.of("status.phase"),
      "Node", Set.of("spec.unschedulable"),
      "Event", Set.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
          "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "type",
          "source"),
      "ReplicaSet", Set.of("status.replicas"),
      "Service", Set.of("spec.type"));

  /**
   * @throws IllegalArgumentException for a term without an operator
   */
  public static FieldSelector parse(String text) {
    List<Term> terms = new ArrayList<>();
    if (text == null || text.isBlank()) return new FieldSelector(terms);
    for (String part : text.split(",")) {
      String p = part.trim();
      int ne = p.indexOf("!=");
      int eq2 = p.indexOf("==");
      int eq = p.indexOf('=');
      if (ne > 0) terms.add(new Term(p.substring(0, ne).trim(), false, p.substring(ne + 2).trim()));
      else if (eq2 > 0) terms.add(new Term(p.substring(0, eq2).trim(), true, p.substring(eq2 + 2).trim()));
      else if (eq > 0) terms.add(new Term(p.substring(0, eq).trim(), true, p.substring(eq + 1).trim()));
      else throw new IllegalArgumentException("invalid selector: '" + text + "'; can't understand '" + p + "'");
    }
    return new FieldSelector(terms);
  }

  /**
   * @throws IllegalArgumentException when a field is not one {@code kind} can be selected by
   */
  public void check(String kind) {
    for (Term t : terms) {
      if (!COMMON.contains(t.field()) && !BY_KIND.getOrDefault(kind, Set.of()).contains(t.field())) {
        throw new IllegalArgumentException("field label not supported: " + t.field());
      }
    }
  }

  /** True when every term holds, reading field values through {@code fieldValue} ("" when absent). */
  public boolean matches(Function<String, String> fieldValue) {
    for (Term t : terms) {
      String v = fieldValue.apply(t.field());
      if (t.equal() != t.value().equals(v == null ? "" : v)) return false;
    }
    return true;
  }
}
