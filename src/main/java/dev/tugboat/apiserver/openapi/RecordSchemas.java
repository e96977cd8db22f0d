package dev.tugboat.apiserver.openapi;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.IntOrString;
import dev.tugboat.model.Quantity;
import dev.tugboat.model.apply.BuiltinSchema;
import dev.tugboat.model.apply.ListType;
import dev.tugboat.model.patch.MergeKeys;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * OpenAPI v3 schemas of the kinds' records, the same records that decode and validate every write
 * ({@code TypedStrategy}): a record is a component schema named after its package and its nesting
 * ({@code Deployment.Spec} is {@code dev.tugboat.model.DeploymentSpec}), referred to by {@code $ref};
 * a field has the name Jackson gives it. Lists carry Kubernetes' {@code x-kubernetes-patch-merge-key}
 * and {@code -strategy} where the strategic merge patch merges them by key ({@link MergeKeys}), and
 * {@code x-kubernetes-list-type} (and {@code -list-map-keys}) as server-side apply merges them
 * ({@link BuiltinSchema}), so the documents and the patches agree by construction. Descriptions
 * are not known here.
 */
final class RecordSchemas {
  static final String REF_PREFIX = "#/components/schemas/";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Map<String, ObjectNode> components = new TreeMap<>();

  /** The component schemas made so far, by name. */
  Map<String, ObjectNode> components() {
    return components;
  }

  /** The name of record {@code type}'s component, made (with every record it refers to) if it is not yet. */
  String component(Class<?> type) {
    schemaOf(type, List.of());
    return nameOf(type);
  }

  /** {@code Deployment$Spec} in dev.tugboat.model: {@code dev.tugboat.model.DeploymentSpec}. */
  static String nameOf(Class<?> type) {
    StringBuilder simple = new StringBuilder(type.getSimpleName());
    for (Class<?> outer = type.getEnclosingClass(); outer != null; outer = outer.getEnclosingClass()) {
      simple.insert(0, outer.getSimpleName());
    }
    return type.getPackageName() + "." + simple;
  }

  private void fill(ObjectNode schema, Class<?> type, List<String> path) {
    schema.put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    for (RecordComponent c : type.getRecordComponents()) {
      // Jackson's annotations reach a record's accessor, not its component
      if (c.getAccessor().isAnnotationPresent(JsonIgnore.class)) continue;
      JsonProperty renamed = c.getAccessor().getAnnotation(JsonProperty.class);
      String field = renamed != null && !renamed.value().isEmpty() ? renamed.value() : c.getName();
      List<String> at = new ArrayList<>(path);
      at.add(field);
      properties.set(field, schemaOf(c.getGenericType(), at));
    }
  }

  /** The schema of a field of {@code type} at {@code path} (field names from the kind's root). */
  ObjectNode schemaOf(Type type, List<String> path) {
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
      Type[] args = p.getActualTypeArguments();
      if (Collection.class.isAssignableFrom(raw)) {
        ObjectNode array = JSON.objectNode().put("type", "array");
        array.set("items", schemaOf(args[0], path));
        MergeKeys.forPath(path).ifPresent(key ->
            array.put("x-kubernetes-patch-merge-key", key).put("x-kubernetes-patch-strategy", "merge"));
        if (MergeKeys.isPrimitiveMerge(path)) array.put("x-kubernetes-patch-strategy", "merge");
        // the list type server-side apply merges it by (BuiltinSchema, from the same merge keys)
        ListType listType = BuiltinSchema.INSTANCE.listType(path);
        array.put("x-kubernetes-list-type", listType.kind().name().toLowerCase(java.util.Locale.ROOT));
        if (!listType.keys().isEmpty()) listType.keys().forEach(array.withArray("x-kubernetes-list-map-keys")::add);
        return array;
      }
      if (Map.class.isAssignableFrom(raw)) {
        ObjectNode map = JSON.objectNode().put("type", "object");
        map.set("additionalProperties", schemaOf(args[1], path));
        return map;
      }
      return schemaOf(raw, path);
    }
    if (!(type instanceof Class<?> c)) return unknownFields();
    if (c == String.class) return JSON.objectNode().put("type", "string");
    if (c == Integer.class || c == int.class) return JSON.objectNode().put("type", "integer").put("format", "int32");
    if (c == Long.class || c == long.class) return JSON.objectNode().put("type", "integer").put("format", "int64");
    if (c == Boolean.class || c == boolean.class) return JSON.objectNode().put("type", "boolean");
    if (c == Double.class || c == double.class || c == Float.class || c == float.class) {
      return JSON.objectNode().put("type", "number").put("format", "double");
    }
    if (c == Instant.class || c == OffsetDateTime.class) return JSON.objectNode().put("type", "string").put("format", "date-time");
    // Kubernetes' own names and formats for its two scalar types that are written either way
    if (c == IntOrString.class) return ref("io.k8s.apimachinery.pkg.util.intstr.IntOrString",
        JSON.objectNode().put("type", "string").put("format", "int-or-string").put("x-kubernetes-int-or-string", true));
    if (c == Quantity.class) return ref("io.k8s.apimachinery.pkg.api.resource.Quantity",
        JSON.objectNode().put("type", "string").put("format", "quantity").put("x-kubernetes-int-or-string", true));
    if (c.isEnum()) {
      ObjectNode e = JSON.objectNode().put("type", "string");
      for (Object constant : c.getEnumConstants()) e.withArray("enum").add(constant.toString());
      return e;
    }
    if (c.isRecord()) {
      String name = nameOf(c);
      if (!components.containsKey(name)) {
        ObjectNode schema = JSON.objectNode();
        components.put(name, schema);
        fill(schema, c, path);
      }
      return JSON.objectNode().put("$ref", REF_PREFIX + name);
    }
    if (JsonNode.class.isAssignableFrom(c) || c == Object.class) return unknownFields();
    return JSON.objectNode().put("type", "object");
  }

  private ObjectNode ref(String name, ObjectNode schema) {
    components.putIfAbsent(name, schema);
    return JSON.objectNode().put("$ref", REF_PREFIX + name);
  }

  /** Any JSON the record keeps as it came. */
  static ObjectNode unknownFields() {
    return JSON.objectNode().put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
  }
}
