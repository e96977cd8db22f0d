package dev.tugboat.kinds.crd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.cel.Cel;
import dev.tugboat.cel.JsonValues;
import dev.tugboat.model.FieldError;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A schema node's {@code x-kubernetes-validations}, as kube-apiextensions-apiserver applies them: each
 * {@code rule} is CEL over {@code self} (the node's value) and, for transition rules, {@code oldSelf}
 * (its value before an update; such rules are skipped on create and where the old value cannot be
 * correlated). A false rule is a field error at the node's path (plus its {@code fieldPath}) worded
 * with {@code messageExpression}, else {@code message}, else {@code failed rule: <rule>}, of the type
 * its {@code reason} names. Rules are compiled once per text ({@link Cel}'s cache).
 */
final class ValidationRules {
  /** The environment of every rule: Kubernetes declares exactly these two. */
  static final Cel CEL = Cel.withVariables("self", "oldSelf");
  private static final String KEYWORD = "x-kubernetes-validations";
  private static final List<String> REASONS = List.of("FieldValueInvalid", "FieldValueForbidden", "FieldValueRequired",
      "FieldValueDuplicate");
  private static final Pattern OLD_SELF = Pattern.compile("\\boldSelf\\b");
  /** A fieldPath is a JSON path from self: {@code .spec.replicas}, {@code .labels['team']}, {@code .items[0]}. */
  private static final Pattern FIELD_PATH = Pattern.compile("(\\.[A-Za-z_][A-Za-z0-9_-]*|\\[('[^']*'|[0-9]+)\\])+");

  private ValidationRules() {}

  /** Why the rules of schema node {@code s} (at {@code path}) cannot be used, when the CRD is written. */
  static void check(JsonNode s, String path, List<FieldError> e) {
    if (!s.has(KEYWORD)) return;
    JsonNode rules = s.get(KEYWORD);
    String at = path + "." + KEYWORD;
    if (!rules.isArray()) {
      e.add(FieldError.invalid(at, rules.toString(), "must be a list of rules"));
      return;
    }
    for (int i = 0; i < rules.size(); i++) {
      JsonNode r = rules.get(i);
      String rp = at + "[" + i + "]";
      String rule = r.path("rule").asText("");
      if (rule.isBlank()) {
        e.add(FieldError.required(rp + ".rule", null));
      } else if (CEL.compileBool(rule) instanceof Cel.Invalid bad) {
        e.add(FieldError.invalid(rp + ".rule", rule, "compilation failed: " + bad.message()));
      }
      if (r.has("messageExpression") && CEL.compile(r.path("messageExpression").asText("")) instanceof Cel.Invalid bad) {
        e.add(FieldError.invalid(rp + ".messageExpression", r.path("messageExpression").asText(""),
            "messageExpression compilation failed: " + bad.message()));
      }
      if (r.has("message") && r.path("message").asText("").isBlank()) {
        e.add(FieldError.invalid(rp + ".message", r.path("message").asText(""), "message must be non-empty if specified"));
      }
      if (r.has("reason") && !REASONS.contains(r.path("reason").asText())) {
        e.add(FieldError.notSupported(rp + ".reason", r.path("reason").asText(), REASONS));
      }
      if (r.has("fieldPath") && !FIELD_PATH.matcher(r.path("fieldPath").asText("")).matches()) {
        e.add(FieldError.invalid(rp + ".fieldPath", r.path("fieldPath").asText(""), "must be a valid JSON path from self,"
            + " such as .spec.replicas or .labels['team']"));
      }
    }
  }

  /**
   * Applies the rules of schema node {@code s} to {@code value} at {@code path}; {@code old} is the
   * correlated value before the update, null on create or where there is none.
   */
  static void apply(JsonNode s, JsonNode value, JsonNode old, String path, List<FieldError> e) {
    JsonNode rules = s.path(KEYWORD);
    if (!rules.isArray() || rules.isEmpty()) return;
    Map<String, Object> vars = new HashMap<>();
    vars.put("self", JsonValues.toCel(value));
    if (old != null) vars.put("oldSelf", JsonValues.toCel(old));
    String type = s.path("type").asText(s.path("x-kubernetes-int-or-string").asBoolean(false) ? "integer-or-string" : "");
    for (JsonNode r : rules) {
      String rule = r.path("rule").asText("");
      if (old == null && OLD_SELF.matcher(rule).find()) continue; // a transition rule: only updates have an old value
      if (!(CEL.compileBool(rule) instanceof Cel.Program program)) continue; // refused when the CRD was written
      String at = path + fieldPath(r.path("fieldPath").asText(""), path.isEmpty());
      Cel.Outcome outcome = program.evalBool(vars);
      if (outcome instanceof Cel.Failure f) e.add(FieldError.invalid(at, type, f.message()));
      else if (!Boolean.TRUE.equals(((Cel.Value) outcome).value())) {
        e.add(error(r.path("reason").asText("FieldValueInvalid"), at, type, message(r, vars)));
      }
    }
  }

  private static String message(JsonNode r, Map<String, Object> vars) {
    if (r.has("messageExpression") && CEL.compile(r.path("messageExpression").asText()) instanceof Cel.Program p
        && p.eval(vars) instanceof Cel.Value v && v.value() instanceof String s && !s.isBlank()) {
      // as Kubernetes: a message expression that fails or gives no string falls back to message
      return s;
    }
    if (!r.path("message").asText("").isBlank()) return r.path("message").asText();
    return "failed rule: " + r.path("rule").asText();
  }

  private static FieldError error(String reason, String path, String type, String message) {
    return switch (reason) {
      case "FieldValueForbidden" -> FieldError.forbidden(path, message);
      case "FieldValueRequired" -> FieldError.required(path, message);
      case "FieldValueDuplicate" -> new FieldError(path, "FieldValueDuplicate", type, message);
      default -> FieldError.invalid(path, type, message);
    };
  }

  /** {@code .spec.replicas} appended to a path; {@code spec.replicas} at the root. */
  private static String fieldPath(String fieldPath, boolean root) {
    if (fieldPath.isEmpty()) return "";
    return root && fieldPath.startsWith(".") ? fieldPath.substring(1) : fieldPath;
  }
}
