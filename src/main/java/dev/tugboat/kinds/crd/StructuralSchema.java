package dev.tugboat.kinds.crd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.apply.FieldSchema;
import dev.tugboat.model.apply.OpenApiListTypes;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.FieldError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A CRD version's OpenAPI v3 schema, as kube-apiextensions-apiserver uses it: first checked to be
 * structural (every field has a type, arrays have items, ...), then applied to objects in three
 * steps: prune what the schema does not name, apply its defaults, validate.
 *
 * <p>Field paths are written as Kubernetes writes them: {@code spec.ports[0].name},
 * {@code spec.labels[team]}. Value validations inside {@code allOf}, {@code anyOf}, {@code oneOf}
 * and {@code not} are not applied (they are accepted in a schema, and documented as ignored).
 */
public final class StructuralSchema {
  private static final List<String> TYPES = List.of("object", "array", "string", "integer", "number", "boolean");
  /** Keywords a structural schema may not use (they make a field's type unknowable or unbounded). */
  private static final List<String> FORBIDDEN = List.of("$ref", "$schema", "definitions", "dependencies",
      "patternProperties", "additionalItems", "id");
  private final JsonNode root;
  /** Patterns compiled once per schema, not per object. */
  private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

  private StructuralSchema(JsonNode root) {
    this.root = root;
  }

  /** The schema of one version ({@code schema.openAPIV3Schema}), assumed checked. */
  public static StructuralSchema of(JsonNode openApiV3Schema) {
    return new StructuralSchema(openApiV3Schema == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
        : openApiV3Schema);
  }

  /** How the schema's lists merge in a server-side apply. */
  public FieldSchema listTypes() {
    return new OpenApiListTypes(root);
  }

  // ---- structural check -------------------------------------------------------------------------

  /** Why {@code schema} (at {@code path} in its CRD) is not structural; empty when it is. */
  public static List<FieldError> check(JsonNode schema, String path) {
    List<FieldError> errors = new ArrayList<>();
    String type = schema.path("type").asText("");
    if (type.isEmpty()) errors.add(FieldError.required(path + ".type", "must be object at the root"));
    else if (!type.equals("object")) errors.add(FieldError.notSupported(path + ".type", type, List.of("object")));
    JsonNode metadata = schema.path("properties").path("metadata");
    if (metadata.isObject()) {
      boolean onlyNames = true;
      for (Iterator<String> it = metadata.path("properties").fieldNames(); it.hasNext(); ) {
        String f = it.next();
        onlyNames &= f.equals("name") || f.equals("generateName");
      }
      if (!onlyNames || metadata.size() > 2 || (metadata.size() == 2 && !metadata.has("type"))) {
        errors.add(FieldError.forbidden(path + ".properties[metadata]",
            "must not specify anything other than name and generateName, but metadata is implicitly specified"));
      }
    }
    node(schema, path, errors);
    return errors;
  }

  private static void node(JsonNode s, String path, List<FieldError> e) {
    if (!s.isObject()) {
      e.add(FieldError.invalid(path, s.toString(), "must be a schema object"));
      return;
    }
    for (String keyword : FORBIDDEN) {
      if (s.has(keyword)) e.add(FieldError.forbidden(path + "." + keyword, "must not be used in a structural schema"));
    }
    if (s.path("uniqueItems").asBoolean(false)) {
      e.add(FieldError.forbidden(path + ".uniqueItems",
          "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
    }
    String type = s.path("type").asText("");
    boolean intOrString = s.path("x-kubernetes-int-or-string").asBoolean(false);
    boolean preserve = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    if (intOrString && !type.isEmpty()) {
      e.add(FieldError.invalid(path + ".type", type, "must be empty if x-kubernetes-int-or-string is true"));
    } else if (type.isEmpty() && !intOrString && !preserve) {
      e.add(FieldError.required(path + ".type", "must not be empty for specified object fields"));
    } else if (!type.isEmpty() && !TYPES.contains(type)) {
      e.add(FieldError.notSupported(path + ".type", type, TYPES));
    }
    if (type.equals("array") && !s.has("items")) e.add(FieldError.required(path + ".items", "must be specified"));
    if (s.has("properties") && s.path("additionalProperties").isObject()) {
      e.add(FieldError.forbidden(path + ".additionalProperties", "additionalProperties and properties are mutual exclusive"));
    }
    if (s.has("pattern")) {
      try {
        Pattern.compile(s.path("pattern").asText());
      } catch (PatternSyntaxException bad) {
        e.add(FieldError.invalid(path + ".pattern", s.path("pattern").asText(), "must be a valid regular expression"));
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      node(p.getValue(), path + ".properties[" + p.getKey() + "]", e);
    }
    if (s.has("items")) node(s.get("items"), path + ".items", e);
    if (s.path("additionalProperties").isObject()) node(s.get("additionalProperties"), path + ".additionalProperties", e);
    ValidationRules.check(s, path, e);
  }

  // ---- pruning and defaults -----------------------------------------------------------------------

  /**
   * Removes the fields the schema does not specify, below {@code x-kubernetes-preserve-unknown-fields}
   * nowhere; apiVersion, kind and metadata at the root are never pruned. Returns the removed paths.
   */
  public List<String> prune(ObjectNode object) {
    List<String> removed = new ArrayList<>();
    pruneObject(object, root, "", removed, true);
    return removed;
  }

  private static void prune(JsonNode value, JsonNode s, String path, List<String> removed) {
    if (value instanceof ObjectNode o) pruneObject(o, s, path, removed, false);
    else if (value instanceof ArrayNode a && s.has("items")) {
      for (int i = 0; i < a.size(); i++) prune(a.get(i), s.get("items"), path + "[" + i + "]", removed);
    }
  }

  private static void pruneObject(ObjectNode o, JsonNode s, String path, List<String> removed, boolean root) {
    boolean preserve = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    JsonNode properties = s.path("properties");
    JsonNode additional = s.path("additionalProperties");
    List<String> names = new ArrayList<>();
    o.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      if (root && (name.equals("apiVersion") || name.equals("kind") || name.equals("metadata"))) continue;
      String child = join(path, name, additional.isObject() && !properties.has(name));
      if (properties.has(name)) prune(o.get(name), properties.get(name), child, removed);
      else if (additional.isObject()) prune(o.get(name), additional, child, removed);
      else if (!preserve && !additional.asBoolean(false)) {
        o.remove(name);
        removed.add(child);
      }
    }
  }

  /** Sets each absent property that has a {@code default} in the schema, where its parent exists. */
  public void applyDefaults(ObjectNode object) {
    defaults(object, root);
  }

  private static void defaults(JsonNode value, JsonNode s) {
    if (value instanceof ObjectNode o) {
      for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> p = it.next();
        if (!o.has(p.getKey()) && p.getValue().has("default")) o.set(p.getKey(), p.getValue().get("default").deepCopy());
        if (o.has(p.getKey())) defaults(o.get(p.getKey()), p.getValue());
      }
      if (s.path("additionalProperties").isObject()) o.forEach(v -> defaults(v, s.get("additionalProperties")));
    } else if (value instanceof ArrayNode a && s.has("items")) {
      a.forEach(v -> defaults(v, s.get("items")));
    }
  }

  // ---- validation --------------------------------------------------------------------------------

  /** Every way {@code object} breaks the schema, each naming its field (a create: no transition rules). */
  public List<FieldError> validate(JsonNode object) {
    return validate(object, null);
  }

  /**
   * Every way {@code object} breaks the schema, its {@code x-kubernetes-validations} rules included;
   * {@code old} is the object it replaces (null on create), the {@code oldSelf} of transition rules.
   */
  public List<FieldError> validate(JsonNode object, JsonNode old) {
    List<FieldError> errors = new ArrayList<>();
    validate(object, old, root, "", errors);
    return errors;
  }

  private void validate(JsonNode v, JsonNode old, JsonNode s, String path, List<FieldError> e) {
    if (v.isNull()) {
      if (!s.path("nullable").asBoolean(false)) e.add(FieldError.invalid(path, "null", "must not be null"));
      return;
    }
    if (s.path("x-kubernetes-int-or-string").asBoolean(false)) {
      if (!v.isIntegralNumber() && !v.isTextual()) {
        e.add(FieldError.invalid(path, kindOf(v), "must be an integer or a string"));
        return;
      }
    } else {
      String type = s.path("type").asText("");
      if (!type.isEmpty() && !hasType(v, type)) {
        e.add(FieldError.invalid(path, kindOf(v), "must be of type " + type));
        return;
      }
    }
    enumeration(v, s, path, e);
    if (v.isTextual()) string(v.asText(), s, path, e);
    else if (v.isNumber()) number(v, s, path, e);
    else if (v.isArray()) array(v, old, s, path, e);
    else if (v.isObject()) object(v, old, s, path, e);
    ValidationRules.apply(s, v, old == null || old.isNull() ? null : old, path, e);
  }

  private static boolean hasType(JsonNode v, String type) {
    return switch (type) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "boolean" -> v.isBoolean();
      case "integer" -> v.isIntegralNumber() || (v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0);
      case "number" -> v.isNumber();
      default -> true;
    };
  }

  private static String kindOf(JsonNode v) {
    if (v.isObject()) return "object";
    if (v.isArray()) return "array";
    if (v.isTextual()) return "string";
    if (v.isBoolean()) return "boolean";
    if (v.isIntegralNumber()) return "integer";
    if (v.isNumber()) return "number";
    return v.getNodeType().toString().toLowerCase();
  }

  private static void enumeration(JsonNode v, JsonNode s, String path, List<FieldError> e) {
    JsonNode values = s.path("enum");
    if (!values.isArray()) return;
    for (JsonNode allowed : values) {
      if (allowed.equals(v) || (allowed.isNumber() && v.isNumber() && allowed.decimalValue().compareTo(v.decimalValue()) == 0)) {
        return;
      }
    }
    List<String> supported = new ArrayList<>();
    values.forEach(a -> supported.add(a.asText()));
    e.add(FieldError.notSupported(path, v.isValueNode() ? v.asText() : v.toString(), supported));
  }

  private void string(String v, JsonNode s, String path, List<FieldError> e) {
    if (s.has("maxLength") && v.codePointCount(0, v.length()) > s.get("maxLength").asInt()) {
      e.add(new FieldError(path, "FieldValueTooLong", v, "may not be more than " + s.get("maxLength").asInt() + " characters"));
    }
    if (s.has("minLength") && v.codePointCount(0, v.length()) < s.get("minLength").asInt()) {
      e.add(FieldError.invalid(path, v, "should be at least " + s.get("minLength").asInt() + " chars long"));
    }
    if (s.has("pattern")) {
      String pattern = s.get("pattern").asText();
      // OpenAPI patterns are not anchored: a match anywhere in the value counts, as ECMA-262's search.
      if (!patterns.computeIfAbsent(pattern, Pattern::compile).matcher(v).find()) {
        e.add(FieldError.invalid(path, v, "should match '" + pattern + "'"));
      }
    }
  }

  private static void number(JsonNode v, JsonNode s, String path, List<FieldError> e) {
    var value = v.decimalValue();
    Object shown = v.isIntegralNumber() ? (Object) v.asLong() : v.asDouble();
    if (s.has("minimum")) {
      var min = s.get("minimum").decimalValue();
      boolean exclusive = s.path("exclusiveMinimum").asBoolean(false);
      if (exclusive ? value.compareTo(min) <= 0 : value.compareTo(min) < 0) {
        e.add(FieldError.invalid(path, shown, "should be greater than " + (exclusive ? "" : "or equal to ")
            + s.get("minimum").asText()));
      }
    }
    if (s.has("maximum")) {
      var max = s.get("maximum").decimalValue();
      boolean exclusive = s.path("exclusiveMaximum").asBoolean(false);
      if (exclusive ? value.compareTo(max) >= 0 : value.compareTo(max) > 0) {
        e.add(FieldError.invalid(path, shown, "should be less than " + (exclusive ? "" : "or equal to ")
            + s.get("maximum").asText()));
      }
    }
    if (s.has("multipleOf") && s.get("multipleOf").decimalValue().signum() > 0
        && value.remainder(s.get("multipleOf").decimalValue()).signum() != 0) {
      e.add(FieldError.invalid(path, shown, "should be a multiple of " + s.get("multipleOf").asText()));
    }
  }

  private void array(JsonNode v, JsonNode old, JsonNode s, String path, List<FieldError> e) {
    if (s.has("maxItems") && v.size() > s.get("maxItems").asInt()) {
      e.add(new FieldError(path, "FieldValueTooMany", v.size(), "must have at most " + s.get("maxItems").asInt() + " items"));
    }
    if (s.has("minItems") && v.size() < s.get("minItems").asInt()) {
      e.add(FieldError.invalid(path, v.size(), "should have at least " + s.get("minItems").asInt() + " items"));
    }
    if (s.has("items")) {
      for (int i = 0; i < v.size(); i++) {
        validate(v.get(i), correlated(v.get(i), old, s), s.get("items"), path + "[" + i + "]", e);
      }
    }
  }

  /**
   * The item of {@code oldList} an item corresponds to, as Kubernetes correlates them for transition
   * rules: only in a {@code x-kubernetes-list-type: map}, by its keys; in other lists none.
   */
  private static JsonNode correlated(JsonNode item, JsonNode oldList, JsonNode s) {
    if (oldList == null || !oldList.isArray() || !"map".equals(s.path("x-kubernetes-list-type").asText())) return null;
    JsonNode keys = s.path("x-kubernetes-list-map-keys");
    for (JsonNode candidate : oldList) {
      boolean same = true;
      for (JsonNode k : keys) same &= candidate.path(k.asText()).equals(item.path(k.asText()));
      if (same && keys.size() > 0) return candidate;
    }
    return null;
  }

  private void object(JsonNode v, JsonNode old, JsonNode s, String path, List<FieldError> e) {
    for (JsonNode required : s.path("required")) {
      if (!v.has(required.asText())) e.add(FieldError.required(join(path, required.asText(), false), null));
    }
    if (s.has("maxProperties") && v.size() > s.get("maxProperties").asInt()) {
      e.add(FieldError.invalid(path, v.size(), "should have at most " + s.get("maxProperties").asInt() + " properties"));
    }
    if (s.has("minProperties") && v.size() < s.get("minProperties").asInt()) {
      e.add(FieldError.invalid(path, v.size(), "should have at least " + s.get("minProperties").asInt() + " properties"));
    }
    JsonNode properties = s.path("properties");
    JsonNode additional = s.path("additionalProperties");
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      JsonNode was = old == null ? null : old.get(f.getKey());
      if (properties.has(f.getKey())) {
        validate(f.getValue(), was, properties.get(f.getKey()), join(path, f.getKey(), false), e);
      } else if (additional.isObject()) {
        validate(f.getValue(), was, additional, join(path, f.getKey(), true), e);
      }
    }
  }

  /** {@code spec.replicas} for a property, {@code spec.labels[team]} for a key of a map. */
  private static String join(String path, String name, boolean mapKey) {
    if (mapKey) return path + "[" + name + "]";
    return path.isEmpty() ? name : path + "." + name;
  }
}
