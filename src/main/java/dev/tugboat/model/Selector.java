package dev.tugboat.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A compiled label selector: requirements that all must hold. Parses Kubernetes' string form
 * ({@code app=web,tier!=db,env in (a,b),!legacy,version notin (v1),gpu}) and prints it back.
 *
 * <p>As in Kubernetes, the empty selector matches every object and {@link #nothing()} (what an absent
 * structured selector means) matches none.
 */
public record Selector(List<Requirement> requirements, boolean matchesNothing) {

  public enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

  private static final Selector NOTHING = new Selector(List.of(), true);

  public Selector {
    requirements = List.copyOf(requirements);
  }

  public Selector(List<Requirement> requirements) {
    this(requirements, false);
  }

  /** One requirement on one label; {@code !=} and {@code notin} also match when the label is absent. */
  public record Requirement(String key, Operator operator, List<String> values) {
    public Requirement {
      values = values == null ? List.of() : List.copyOf(values);
    }

    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (operator) {
        case EQUALS, IN -> v != null && values.contains(v);
        case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
        case EXISTS -> v != null;
        case DOES_NOT_EXIST -> v == null;
      };
    }

    @Override
    public String toString() {
      return switch (operator) {
        case EQUALS -> key + "=" + values.get(0);
        case NOT_EQUALS -> key + "!=" + values.get(0);
        case IN -> key + " in (" + String.join(",", new TreeSet<>(values)) + ")";
        case NOT_IN -> key + " notin (" + String.join(",", new TreeSet<>(values)) + ")";
        case EXISTS -> key;
        case DOES_NOT_EXIST -> "!" + key;
      };
    }
  }

  public static Selector everything() {
    return new Selector(List.of());
  }

  public static Selector nothing() {
    return NOTHING;
  }

  public boolean matches(Map<String, String> labels) {
    if (matchesNothing) return false;
    Map<String, String> l = labels == null ? Map.of() : labels;
    for (Requirement r : requirements) if (!r.matches(l)) return false;
    return true;
  }

  /** True for the selector that matches everything. */
  public boolean isEmpty() {
    return !matchesNothing && requirements.isEmpty();
  }

  /**
   * The string form, requirements sorted by key and set values sorted, as Kubernetes prints it (so
   * {@code Scale.status.selector} is the same string kube-apiserver would give).
   */
  @Override
  public String toString() {
    return String.join(",", requirements.stream()
        .sorted(Comparator.comparing(Requirement::key))
        .map(Requirement::toString)
        .toList());
  }

  /**
   * Parses the string form.
   *
   * @throws IllegalArgumentException naming the position and what was expected
   */
  public static Selector parse(String text) {
    return new Parser(text).parse();
  }

  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s == null ? "" : s;
    }

    Selector parse() {
      List<Requirement> result = new ArrayList<>();
      skipSpaces();
      if (i == s.length()) return new Selector(result);
      while (true) {
        result.add(requirement());
        skipSpaces();
        if (i == s.length()) break;
        expect(',');
      }
      return new Selector(result);
    }

    private Requirement requirement() {
      skipSpaces();
      if (peek() == '!') {
        i++;
        return new Requirement(key(), Operator.DOES_NOT_EXIST, List.of());
      }
      String key = key();
      skipSpaces();
      if (i == s.length() || peek() == ',') return new Requirement(key, Operator.EXISTS, List.of());
      if (s.startsWith("==", i)) {
        i += 2;
        return new Requirement(key, Operator.EQUALS, List.of(value()));
      }
      if (s.startsWith("!=", i)) {
        i += 2;
        return new Requirement(key, Operator.NOT_EQUALS, List.of(value()));
      }
      if (peek() == '=') {
        i++;
        return new Requirement(key, Operator.EQUALS, List.of(value()));
      }
      int at = i;
      String word = word();
      return switch (word) {
        case "in" -> new Requirement(key, Operator.IN, set());
        case "notin" -> new Requirement(key, Operator.NOT_IN, set());
        default -> throw error(at, "expected one of '=', '==', '!=', 'in', 'notin' after key \"" + key + "\"");
      };
    }

    private List<String> set() {
      skipSpaces();
      expect('(');
      skipSpaces();
      if (peek() == ')') throw error("for 'in', 'notin' operators, values set can't be empty");
      List<String> values = new ArrayList<>();
      while (true) {
        values.add(value());
        skipSpaces();
        if (peek() == ')') {
          i++;
          return values;
        }
        if (peek() != ',') throw error("expected ',' or ')' but found " + (i == s.length() ? "the end" : "'" + peek() + "'"));
        i++;
      }
    }

    private String key() {
      skipSpaces();
      int at = i;
      String k = word();
      if (k.isEmpty()) throw error("expected a label key");
      List<String> problems = Validation.labelKeyProblems(k);
      if (!problems.isEmpty()) throw error(at, "invalid label key \"" + k + "\": " + problems.get(0));
      return k;
    }

    private String value() {
      skipSpaces();
      int at = i;
      String v = word();
      List<String> problems = Validation.labelValueProblems(v);
      if (!problems.isEmpty()) throw error(at, "invalid label value \"" + v + "\": " + problems.get(0));
      return v;
    }

    private String word() {
      int start = i;
      while (i < s.length() && " ,=!()".indexOf(s.charAt(i)) < 0) i++;
      return s.substring(start, i);
    }

    private void expect(char c) {
      if (peek() != c) {
        throw error("expected '" + c + "' but found " + (i == s.length() ? "the end" : "'" + s.charAt(i) + "'"));
      }
      i++;
    }

    private char peek() {
      return i < s.length() ? s.charAt(i) : '\0';
    }

    private void skipSpaces() {
      while (i < s.length() && s.charAt(i) == ' ') i++;
    }

    private IllegalArgumentException error(String what) {
      return error(i, what);
    }

    private IllegalArgumentException error(int at, String what) {
      return new IllegalArgumentException("unable to parse requirement: " + what + " at position " + at
          + " of label selector \"" + s + "\"");
    }
  }
}
