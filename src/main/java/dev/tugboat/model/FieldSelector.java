package dev.tugboat.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A field selector ({@code metadata.name=web,spec.nodeName!=,status.phase==Running}): equality and
 * inequality on the few fields each kind can be selected by, as in Kubernetes. A field the kind
 * does not support is an error ({@code field label not supported: spec.foo}) that the API turns
 * into a 400; which fields a kind has, and how an absent one reads, its strategy says.
 */
public record FieldSelector(List<Term> terms) {

  /** {@code field=value} ({@code equal}) or {@code field!=value}. */
  public record Term(String field, boolean equal, String value) {}

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
   * @throws IllegalArgumentException when a field is not one of {@code supported} (each kind's
   *     strategy says which it has)
   */
  public void check(Set<String> supported) {
    for (Term t : terms) {
      if (!supported.contains(t.field())) throw new IllegalArgumentException("field label not supported: " + t.field());
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

  public boolean isEmpty() {
    return terms.isEmpty();
  }

  @Override
  public String toString() {
    return String.join(",", terms.stream().map(t -> t.field() + (t.equal() ? "=" : "!=") + t.value()).toList());
  }
}
