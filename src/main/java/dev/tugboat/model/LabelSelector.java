package dev.tugboat.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The structured label selector of a Deployment, ReplicaSet or Service-like object. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LabelSelector(Map<String, String> matchLabels, List<Expression> matchExpressions) {

  /** {@code key operator values}: In, NotIn, Exists, DoesNotExist. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Expression(String key, String operator, List<String> values) {}

  /** The selector as a matcher; an empty selector matches every object. */
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
          default -> throw new IllegalArgumentException("\"" + e.operator() + "\" is not a valid selector operator");
        };
        requirements.add(new Selector.Requirement(e.key(), op, e.values() == null ? List.of() : e.values()));
      }
    }
    return new Selector(requirements);
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
