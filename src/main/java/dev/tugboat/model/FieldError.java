package dev.tugboat.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * One validation failure: the field's path ({@code spec.template.spec.containers[0].image}), the
 * Kubernetes cause type, the offending value (may be null) and a message worded like Kubernetes'.
 */
public record FieldError(String field, String type, Object value, String detail) {

  /** The message as kubectl prints it: {@code Required value}, {@code Invalid value: "x": detail}, ... */
  public String message() {
    return switch (type) {
      case "FieldValueRequired" -> detail == null || detail.isEmpty() ? "Required value" : "Required value: " + detail;
      case "FieldValueDuplicate" -> "Duplicate value: " + quote(value);
      case "FieldValueNotSupported" -> "Unsupported value: " + quote(value) + (detail == null ? "" : ": " + detail);
      case "FieldValueForbidden" -> "Forbidden: " + detail;
      case "FieldValueNotFound" -> "Not found: " + quote(value);
      case "FieldValueTooLong" -> "Too long: " + detail;
      case "FieldValueTooMany" -> "Too many: " + quote(value) + ": " + detail;
      default -> "Invalid value: " + quote(value) + (detail == null ? "" : ": " + detail);
    };
  }

  /** {@code field: message}, as in a 422's message. */
  @Override
  public String toString() {
    return field + ": " + message();
  }

  public static FieldError required(String field, String detail) {
    return new FieldError(field, "FieldValueRequired", null, detail);
  }

  public static FieldError invalid(String field, Object value, String detail) {
    return new FieldError(field, "FieldValueInvalid", value, detail);
  }

  public static FieldError duplicate(String field, Object value) {
    return new FieldError(field, "FieldValueDuplicate", value, null);
  }

  public static FieldError notSupported(String field, Object value, java.util.List<String> supported) {
    return new FieldError(field, "FieldValueNotSupported", value,
        "supported values: " + String.join(", ", supported.stream().map(s -> "\"" + s + "\"").toList()));
  }

  public static FieldError forbidden(String field, String detail) {
    return new FieldError(field, "FieldValueForbidden", null, detail);
  }

  public static FieldError tooLong(String field, Object value, int max) {
    return new FieldError(field, "FieldValueTooLong", value, "may not be more than " + max + " bytes");
  }

  /** The value as kube-apiserver prints it (Go's {@code %#v}): strings quoted, maps with sorted keys. */
  static String quote(Object value) {
    if (value == null) return "null";
    if (value instanceof Number || value instanceof Boolean) return value.toString();
    if (value instanceof Map<?, ?> m) return "map[string]string" + goMap(m);
    if (value instanceof java.util.List<?> l) {
      return "[]string{" + String.join(", ", l.stream().map(x -> quote(String.valueOf(x))).toList()) + "}";
    }
    if (value instanceof LabelSelector s) {
      String expressions = s.matchExpressions() == null ? "[]v1.LabelSelectorRequirement(nil)"
          : "[]v1.LabelSelectorRequirement{" + String.join(", ", s.matchExpressions().stream()
              .map(x -> "v1.LabelSelectorRequirement{Key:" + quote(x.key()) + ", Operator:" + quote(x.operator())
                  + ", Values:" + (x.values() == null ? "[]string(nil)" : "[]string{" + String.join(", ",
                  x.values().stream().map(FieldError::quote).toList()) + "}") + "}")
              .toList()) + "}";
      return "v1.LabelSelector{MatchLabels:" + (s.matchLabels() == null ? "map[string]string(nil)"
          : "map[string]string" + goMap(s.matchLabels())) + ", MatchExpressions:" + expressions + "}";
    }
    return "\"" + value + "\"";
  }

  private static String goMap(Map<?, ?> m) {
    return "{" + String.join(", ", new TreeMap<>(m).entrySet().stream()
        .map(e -> quote(String.valueOf(e.getKey())) + ":" + quote(String.valueOf(e.getValue()))).toList()) + "}";
  }
}
