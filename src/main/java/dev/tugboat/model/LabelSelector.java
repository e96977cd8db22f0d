package dev.tugboat.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The structured label selector of a Deployment or ReplicaSet ({@code matchLabels} and
 * {@code matchExpressions}). As in Kubernetes, an empty one selects everything; an absent one
 * ({@code null}, see {@link #matcher(LabelSelector)}) selects nothing.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LabelSelector(Map<String, String> matchLabels, List<Expression> matchExpressions) {

  public static final List<String> OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist");

  /** {@code key operator values}: In, NotIn, Exists, DoesNotExist. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Expression(String key, String operator, List<String> values) {}

  /** The matcher of a selector that may be absent: {@code null} matches nothing. */
  public static Selector matcher(LabelSelector selector) {
    return selector == null ? Selector.nothing() : selector.toSelector();
  }

  /**
   * The selector as a matcher; an empty selector matches every object.
   *
   * @throws IllegalArgumentException for an operator that is not one of {@link #OPERATORS}
   */
  @JsonIgnore
  public Selector toSelector() {
    List<Selector.Requirement> requirements = new ArrayList<>();
    if (matchLabels != null) {
      matchLabels.forEach((k, v) -> requirements.add(new Selector.Requirement(k, Selector.Operator.EQUALS, List.of(v))));
    }
    if (matchExpressions != null) {
      for (Expression e : matchExpressions) {
        Selector.Operator op = switch (e.operator() == null ? "" : e.operator()) {
          case "In" -> Selector.Operator.IN;
          case "NotIn" -> Selector.Operator.NOT_IN;
          case "Exists" -> Selector.Operator.EXISTS;
          case "DoesNotExist" -> Selector.Operator.DOES_NOT_EXIST;
          default -> throw new IllegalArgumentException("\"" + e.operator() + "\" is not a valid label selector operator");
        };
        requirements.add(new Selector.Requirement(e.key(), op, e.values()));
      }
    }
    return new Selector(requirements);
  }

  /** Same as {@link #toSelector()}. */
  @JsonIgnore
  public Selector toMatcher() {
    return toSelector();
  }

  @JsonIgnore
  public boolean isEmpty() {
    return (matchLabels == null || matchLabels.isEmpty()) && (matchExpressions == null || matchExpressions.isEmpty());
  }

  /** The string form, as in {@code Scale.status.selector}: {@code app=web,env in (a,b)}. */
  @Override
  public String toString() {
    return toSelector().toString();
  }
}
