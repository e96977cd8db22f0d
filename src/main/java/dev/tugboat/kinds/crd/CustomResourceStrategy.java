package dev.tugboat.kinds.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.JsonPaths;
import dev.tugboat.kind.KindStrategy;
import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ScaleSubresource;
import dev.tugboat.kind.SelectableField;
import dev.tugboat.model.Codec;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ObjectMeta;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Status;
import dev.tugboat.model.apply.FieldSchema;
import dev.tugboat.model.Validation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kind a CustomResourceDefinition defines. One instance per kind for the life of a member: when
 * the definition changes (a new schema, a new version) {@link #define} swaps it in place, so the
 * kind's entities, which hold this strategy, validate against the newest at once.
 *
 * <p>Objects are kept as the client wrote them (no conversion between versions: Kubernetes'
 * {@code None} strategy, where only apiVersion differs); each is pruned of fields its version's
 * schema does not name, defaulted, and validated against it.
 */
public final class CustomResourceStrategy implements KindStrategy {
  /** One served version: its names, schema, printer and subresources. */
  private record Version(ResourceType type, StructuralSchema schema, Printer printer, boolean status,
      List<SelectableField> fields, JsonNode scale) {}

  private record Definition(ObjectNode crd, Map<String, Version> served, Version storage) {}

  private volatile Definition definition;

  private CustomResourceStrategy(Definition definition) {
    this.definition = definition;
  }

  @Override
  public java.util.Optional<JsonNode> declaredSchema(String version) {
    for (JsonNode v : definition.crd().path("spec").path("versions")) {
      if (v.path("name").asText().equals(version) && v.path("schema").path("openAPIV3Schema").isObject()) {
        return java.util.Optional.of(v.path("schema").path("openAPIV3Schema"));
      }
    }
    return java.util.Optional.empty();
  }

  /** The strategy of the kind {@code crd} (an admitted CustomResourceDefinition) defines. */
  public static CustomResourceStrategy of(ObjectNode crd) {
    return new CustomResourceStrategy(parse(crd));
  }

  /** Follows a changed definition of the same kind. */
  public void define(ObjectNode crd) {
    this.definition = parse(crd);
  }

  /** The names of each served version, as routing and discovery need them (the stored one first). */
  public List<ResourceType> servedTypes() {
    Definition d = definition;
    List<ResourceType> types = new ArrayList<>();
    if (d.served().containsValue(d.storage())) types.add(d.storage().type());
    d.served().values().stream().filter(v -> v != d.storage()).forEach(v -> types.add(v.type()));
    return types;
  }

  private static Definition parse(ObjectNode crd) {
    JsonNode spec = crd.path("spec");
    JsonNode names = spec.path("names");
    List<String> shortNames = new ArrayList<>();
    names.path("shortNames").forEach(n -> shortNames.add(n.asText()));
    List<String> categories = new ArrayList<>();
    names.path("categories").forEach(n -> categories.add(n.asText()));
    Map<String, Version> served = new java.util.LinkedHashMap<>();
    Version storage = null;
    for (JsonNode v : spec.path("versions")) {
      JsonNode sub = v.path("subresources");
      List<String> subresources = new ArrayList<>();
      if (sub.has("status")) subresources.add("status");
      if (sub.has("scale")) subresources.add("scale");
      ResourceType type = new ResourceType(spec.path("group").asText(), v.path("name").asText(), names.path("kind").asText(),
          names.path("plural").asText(), names.path("singular").asText(), List.copyOf(shortNames),
          "Namespaced".equals(spec.path("scope").asText()), List.copyOf(categories), List.copyOf(subresources), null);
      List<SelectableField> fields = new ArrayList<>();
      for (JsonNode f : v.path("selectableFields")) {
        String path = f.path("jsonPath").asText();
        fields.add(new SelectableField(JsonPaths.fieldName(path), JsonPaths.fieldName(path), ""));
      }
      Version version = new Version(type, StructuralSchema.of(v.path("schema").path("openAPIV3Schema")),
          CustomResourcePrinter.of(v), sub.has("status"), List.copyOf(fields), sub.path("scale"));
      if (v.path("served").asBoolean(false)) served.put(type.version(), version);
      if (v.path("storage").asBoolean(false)) storage = version;
    }
    return new Definition(crd.deepCopy(), served, storage);
  }

  @Override
  public ResourceType type() {
    return definition.storage().type();
  }

  @Override
  public boolean hasStatus() {
    return definition.storage().status();
  }

  /** The storage version's list types ({@code x-kubernetes-list-type}, {@code -map-keys}). */
  @Override
  public FieldSchema fieldSchema() {
    return definition.storage().schema().listTypes();
  }

  @Override
  public Admission admit(ObjectNode current, ObjectNode candidate) {
    Definition d = definition;
    ResourceType stored = d.storage().type();
    String name = candidate.path("metadata").path("name").asText("");
    String apiVersion = candidate.path("apiVersion").asText("");
    Version version = apiVersion.startsWith(stored.group() + "/")
        ? d.served().get(apiVersion.substring(stored.group().length() + 1)) : null;
    if (version == null) {
      return Admission.refused(Status.badRequest("the apiVersion \"" + apiVersion + "\" is not served for "
          + stored.qualifiedName() + "; served: " + String.join(", ", d.served().values().stream()
              .map(v -> v.type().apiVersion()).toList())));
    }
    ObjectNode object = candidate.deepCopy();
    List<FieldError> errors = new ArrayList<>();
    try {
      ObjectMeta meta = Codec.decode(object.path("metadata"), ObjectMeta.class, false).object();
      errors.addAll(Validation.validateMetadata(nameRule(), meta));
      if (current != null) {
        errors.addAll(Validation.validateMetadataUpdate(
            Codec.decode(current.path("metadata"), ObjectMeta.class, false).object(), meta));
      }
    } catch (Codec.DecodeException e) {
      errors.add(FieldError.invalid("metadata." + e.field(), e.value(), e.reason()));
    }
    version.schema().prune(object);
    version.schema().applyDefaults(object);
    errors.addAll(version.schema().validate(withoutMetadata(object), current == null ? null : withoutMetadata(current)));
    if (!errors.isEmpty()) return Admission.refused(Status.invalid(stored.group(), stored.kind(), name, errors));
    return Admission.ok(object);
  }

  /**
   * Metadata is ObjectMeta's, checked above: the schema may restrict only name and generateName, and
   * rules at the root see only those of it ({@code self.metadata.name}), as in Kubernetes.
   */
  private static ObjectNode withoutMetadata(ObjectNode object) {
    ObjectNode view = object.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getKey().equals("metadata")) view.set(e.getKey(), e.getValue());
      else {
        ObjectNode names = view.putObject("metadata");
        for (String f : List.of("name", "generateName")) {
          if (e.getValue().hasNonNull(f)) names.set(f, e.getValue().get(f));
        }
      }
    }
    return view;
  }

  @Override
  public List<SelectableField> selectableFields() {
    return definition.storage().fields();
  }

  @Override
  public Printer printer() {
    return definition.storage().printer();
  }

  @Override
  public Optional<ScaleSubresource> scale() {
    JsonNode scale = definition.storage().scale();
    if (!scale.isObject()) return Optional.empty();
    return Optional.of(new ScaleSubresource(scale.path("specReplicasPath").asText(),
        scale.path("statusReplicasPath").asText(), scale.path("labelSelectorPath").asText(null)));
  }
}
