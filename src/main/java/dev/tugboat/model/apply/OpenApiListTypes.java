package dev.tugboat.model.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The list types of a custom kind, from its OpenAPI v3 schema's {@code x-kubernetes-list-type}
 * ({@code atomic}, {@code set}, {@code map}) and {@code x-kubernetes-list-map-keys}; a list the
 * schema marks with neither is atomic, as in Kubernetes. Metadata's lists are ObjectMeta's
 * (ownerReferences by uid, finalizers a set), whatever the schema says.
 */
public final class OpenApiListTypes implements FieldSchema {
  private final JsonNode root;

  public OpenApiListTypes(JsonNode openApiV3Schema) {
    this.root = openApiV3Schema;
  }

  @Override
  public ListType listType(List<String> fieldPath) {
    if (!fieldPath.isEmpty() && fieldPath.get(0).equals("metadata")) return BuiltinSchema.INSTANCE.listType(fieldPath);
    JsonNode s = root;
    for (String name : fieldPath) {
      if ("array".equals(s.path("type").asText())) s = s.path("items");
      JsonNode property = s.path("properties").path(name);
      s = property.isMissingNode() && s.path("additionalProperties").isObject() ? s.path("additionalProperties") : property;
      if (s.isMissingNode()) return ListType.ATOMIC;
    }
    return switch (s.path("x-kubernetes-list-type").asText("atomic")) {
      case "set" -> ListType.SET;
      case "map" -> {
        List<String> keys = new ArrayList<>();
        s.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asText()));
        yield keys.isEmpty() ? ListType.ATOMIC : ListType.map(keys);
      }
      default -> ListType.ATOMIC;
    };
  }
}
