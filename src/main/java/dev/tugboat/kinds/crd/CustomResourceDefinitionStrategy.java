package dev.tugboat.kinds.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.JsonPaths;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.KindStrategy;
import dev.tugboat.kind.Printer;
import dev.tugboat.model.Codec;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ObjectMeta;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Status;
import dev.tugboat.model.Validation;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CustomResourceDefinitions (apiextensions.k8s.io/v1), the documents' ThirdPartyResource: each adds
 * a kind at run time ({@link CustomResourceStrategy}). Names, scope, versions (exactly one stored),
 * structural schemas and printer columns are checked here; the status says the names are accepted
 * and the kind established, since every member serves it as soon as it sees it.
 */
public final class CustomResourceDefinitionStrategy implements KindStrategy {
  public static final ResourceType TYPE = new ResourceType("apiextensions.k8s.io", "v1", "CustomResourceDefinition",
      "customresourcedefinitions", "customresourcedefinition", List.of("crd", "crds"), false,
      List.of("api-extensions"), List.of("status"), null);
  /** Held on a deleted CRD until every object of its kind is gone (the cleanup controller). */
  public static final String CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";
  private static final Pattern KIND = Pattern.compile("[A-Z][A-Za-z0-9]*");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final List<String> COLUMN_TYPES = List.of("integer", "number", "string", "boolean", "date");
  private static final Printer PRINTER = new Printer() {
    private final List<Column> columns = List.of(Column.nameColumn(),
        Column.of("Created At", "The time the CustomResourceDefinition was created.").withType("date"));

    @Override
    public List<Column> columns() {
      return columns;
    }

    @Override
    public List<Object> cells(JsonNode crd, Instant now) {
      return List.of(crd.path("metadata").path("name").asText(), crd.path("metadata").path("creationTimestamp").asText(
          Cells.UNKNOWN));
    }
  };

  @Override
  public ResourceType type() {
    return TYPE;
  }

  @Override
  public Admission admit(ObjectNode current, ObjectNode candidate) {
    ObjectNode crd = candidate.deepCopy();
    List<FieldError> errors = new ArrayList<>();
    try {
      ObjectMeta meta = Codec.decode(crd.path("metadata"), ObjectMeta.class, false).object();
      errors.addAll(Validation.validateMetadata(nameRule(), meta));
    } catch (Codec.DecodeException e) {
      errors.add(FieldError.invalid("metadata." + e.field(), e.value(), e.reason()));
    }
    if (!(crd.get("spec") instanceof ObjectNode spec)) {
      errors.add(FieldError.required("spec", null));
      return refusedOrOk(crd, errors);
    }
    defaults(spec);
    validateSpec(crd, spec, errors);
    if (current != null) immutable(current.path("spec"), spec, errors);
    if (errors.isEmpty()) setStatus(crd, current);
    return refusedOrOk(crd, errors);
  }

  private static Admission refusedOrOk(ObjectNode crd, List<FieldError> errors) {
    if (errors.isEmpty()) return Admission.ok(crd);
    return Admission.refused(Status.invalid(TYPE.group(), TYPE.kind(), crd.path("metadata").path("name").asText(""),
        errors));
  }

  /** singular and listKind from kind, as Kubernetes defaults them; conversion None. */
  private static void defaults(ObjectNode spec) {
    if (spec.get("names") instanceof ObjectNode names && names.hasNonNull("kind")) {
      String kind = names.get("kind").asText();
      if (names.path("singular").asText("").isEmpty()) names.put("singular", kind.toLowerCase());
      if (names.path("listKind").asText("").isEmpty()) names.put("listKind", kind + "List");
    }
    if (!spec.has("conversion")) spec.putObject("conversion").put("strategy", "None");
  }

  private static void validateSpec(ObjectNode crd, ObjectNode spec, List<FieldError> e) {
    String group = spec.path("group").asText("");
    if (group.isEmpty()) e.add(FieldError.required("spec.group", null));
    else if (!group.contains(".") || !Pattern.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*", group)) {
      e.add(FieldError.invalid("spec.group", group, "should be a domain with at least one dot"));
    }
    String scope = spec.path("scope").asText("");
    if (scope.isEmpty()) e.add(FieldError.required("spec.scope", null));
    else if (!scope.equals("Namespaced") && !scope.equals("Cluster")) {
      e.add(FieldError.notSupported("spec.scope", scope, List.of("Cluster", "Namespaced")));
    }
    JsonNode names = spec.path("names");
    String plural = names.path("plural").asText("");
    String kind = names.path("kind").asText("");
    if (plural.isEmpty()) e.add(FieldError.required("spec.names.plural", null));
    else if (!DNS_LABEL.matcher(plural).matches()) {
      e.add(FieldError.invalid("spec.names.plural", plural, "a lowercase RFC 1123 label must consist of lower case "
          + "alphanumeric characters or '-', and must start with a letter and end with an alphanumeric character"));
    }
    String singular = names.path("singular").asText("");
    if (!singular.isEmpty() && !DNS_LABEL.matcher(singular).matches()) {
      e.add(FieldError.invalid("spec.names.singular", singular, "a lowercase RFC 1123 label must consist of lower "
          + "case alphanumeric characters or '-', and must start with a letter and end with an alphanumeric character"));
    }
    if (kind.isEmpty()) e.add(FieldError.required("spec.names.kind", null));
    else if (!KIND.matcher(kind).matches()) {
      e.add(FieldError.invalid("spec.names.kind", kind, "must start with an upper case letter and hold only letters and digits"));
    } else {
      ResourceType.all().stream().filter(t -> t.kind().equals(kind) && !t.group().equals(group)).findFirst()
          .ifPresent(t -> e.add(FieldError.invalid("spec.names.kind", kind, "is already served by the group \""
              + t.group() + "\" (" + t.qualifiedName() + "): Tugboat serves each kind name once")));
    }
    for (int i = 0; i < names.path("shortNames").size(); i++) {
      String s = names.path("shortNames").get(i).asText();
      if (!DNS_LABEL.matcher(s).matches()) e.add(FieldError.invalid("spec.names.shortNames[" + i + "]", s, "must be a DNS label"));
    }
    String name = crd.path("metadata").path("name").asText("");
    if (!plural.isEmpty() && !group.isEmpty() && !name.equals(plural + "." + group)) {
      e.add(FieldError.invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
    }
    versions(spec.path("versions"), e);
  }

  private static void versions(JsonNode versions, List<FieldError> e) {
    if (!versions.isArray() || versions.isEmpty()) {
      e.add(FieldError.required("spec.versions", "must have exactly one version marked as storage version"));
      return;
    }
    Set<String> seen = new HashSet<>();
    int stored = 0;
    for (int i = 0; i < versions.size(); i++) {
      JsonNode v = versions.get(i);
      String path = "spec.versions[" + i + "]";
      String name = v.path("name").asText("");
      if (name.isEmpty()) e.add(FieldError.required(path + ".name", null));
      else if (!DNS_LABEL.matcher(name).matches()) e.add(FieldError.invalid(path + ".name", name, "must be a DNS label"));
      else if (!seen.add(name)) e.add(FieldError.duplicate(path + ".name", name));
      if (v.path("storage").asBoolean(false)) stored++;
      JsonNode schema = v.path("schema").path("openAPIV3Schema");
      if (!schema.isObject()) {
        e.add(FieldError.required(path + ".schema.openAPIV3Schema", "schemas are required"));
      } else {
        e.addAll(StructuralSchema.check(schema, path + ".schema.openAPIV3Schema"));
      }
      JsonNode columns = v.path("additionalPrinterColumns");
      for (int c = 0; c < columns.size(); c++) {
        JsonNode column = columns.get(c);
        String cp = path + ".additionalPrinterColumns[" + c + "]";
        if (column.path("name").asText("").isEmpty()) e.add(FieldError.required(cp + ".name", null));
        String type = column.path("type").asText("");
        if (!COLUMN_TYPES.contains(type)) e.add(FieldError.notSupported(cp + ".type", type, COLUMN_TYPES));
        if (!JsonPaths.valid(column.path("jsonPath").asText(null))) {
          e.add(FieldError.invalid(cp + ".jsonPath", column.path("jsonPath").asText(""), "must be a simple JSON path"));
        }
      }
      JsonNode fields = v.path("selectableFields");
      for (int f = 0; f < fields.size(); f++) {
        if (!JsonPaths.valid(fields.get(f).path("jsonPath").asText(null))) {
          e.add(FieldError.invalid(path + ".selectableFields[" + f + "].jsonPath", fields.get(f).path("jsonPath").asText(""),
              "must be a simple JSON path"));
        }
      }
      JsonNode scale = v.path("subresources").path("scale");
      if (scale.isObject()) {
        for (String p : List.of("specReplicasPath", "statusReplicasPath")) {
          if (!JsonPaths.valid(scale.path(p).asText(null))) {
            e.add(FieldError.invalid(path + ".subresources.scale." + p, scale.path(p).asText(""), "must be a simple JSON path"));
          }
        }
      }
    }
    if (stored != 1) {
      e.add(FieldError.invalid("spec.versions", null, "must have exactly one version marked as storage version"));
    }
  }

  /** The group, scope and names make the kind's identity: changing them would strand its objects. */
  private static void immutable(JsonNode before, JsonNode after, List<FieldError> e) {
    for (String field : List.of("group", "scope")) {
      if (!before.path(field).equals(after.path(field))) {
        e.add(FieldError.invalid("spec." + field, after.path(field).asText(""), "field is immutable"));
      }
    }
    for (String field : List.of("plural", "kind")) {
      if (!before.path("names").path(field).equals(after.path("names").path(field))) {
        e.add(FieldError.invalid("spec.names." + field, after.path("names").path(field).asText(""), "field is immutable"));
      }
    }
  }

  /** Accepted names, the versions ever stored, and the conditions clients wait on ({@code kubectl wait --for condition=established}). */
  private static void setStatus(ObjectNode crd, ObjectNode current) {
    ObjectNode status = crd.putObject("status");
    status.set("acceptedNames", crd.path("spec").path("names").deepCopy());
    Set<String> stored = new LinkedHashSet<>();
    if (current != null) current.path("status").path("storedVersions").forEach(v -> stored.add(v.asText()));
    crd.path("spec").path("versions").forEach(v -> {
      if (v.path("storage").asBoolean(false)) stored.add(v.path("name").asText());
    });
    ArrayNode storedVersions = status.putArray("storedVersions");
    stored.forEach(storedVersions::add);
    String since = current != null && current.path("status").path("conditions").path(0).has("lastTransitionTime")
        ? current.path("status").path("conditions").path(0).path("lastTransitionTime").asText()
        : Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    ArrayNode conditions = status.putArray("conditions");
    conditions.addObject().put("type", "NamesAccepted").put("status", "True").put("reason", "NoConflicts")
        .put("message", "no conflicts found").put("lastTransitionTime", since);
    conditions.addObject().put("type", "Established").put("status", "True").put("reason", "InitialNamesAccepted")
        .put("message", "the initial names have been accepted").put("lastTransitionTime", since);
  }

  @Override
  public List<String> finalizersOnDelete(String propagationPolicy) {
    List<String> finalizers = new ArrayList<>(List.of(CLEANUP_FINALIZER));
    finalizers.addAll(KindStrategy.super.finalizersOnDelete(propagationPolicy));
    return finalizers;
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
