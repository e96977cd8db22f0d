package dev.tugboat.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * JSON and YAML for API objects: one configured mapper for each, shared by every part of Tugboat.
 *
 * <p><b>Unknown fields.</b> A field the model does not know (a misspelt {@code imagee}, a field of a
 * newer Kubernetes) is, by default, <em>dropped and reported</em>: decoding collects the path of each
 * ({@code spec.template.spec.containers[0].imagee}) in {@link Decoded#unknownFields()}, so the API
 * can send one {@code Warning: unknown field "..."} header per field as kube-apiserver does for
 * {@code fieldValidation=Warn}. With {@code strict} (kubectl's {@code fieldValidation=Strict}) the
 * same fields fail the decode instead, all of them named in one {@link DecodeException}. Dropping
 * rather than keeping them is deliberate: the stored object then holds only what Tugboat acts on,
 * and a typo never silently survives as if it were honoured. Fields under a raw {@code JsonNode}
 * ({@code affinity}, an env var's {@code valueFrom}, a Service's {@code status.loadBalancer}) are
 * kept as written and are never unknown.
 *
 * <p><b>Types</b> are checked as Kubernetes checks them: a string is not taken for a number
 * ({@code replicas: "3"}) nor a number for a string (an env {@code value: 8080}); the error names the
 * field. A {@code null} inside a list or map is refused for the same reason (it has no meaning). A
 * {@code null} field is the same as an absent one.
 *
 * <p><b>Duplicate keys</b> fail in YAML always (as Kubernetes' YAML reader does) and in JSON under
 * strict decoding; in lenient JSON the last one wins, as in Go.
 *
 * <p><b>Output</b> is deterministic: fields in the records' order, maps in insertion order, absent
 * fields left out, timestamps as RFC 3339 strings ({@code 2026-11-23T01:04:00Z}), and YAML strings
 * that look like numbers or booleans quoted so that what is written reads back the same.
 */
public final class Codec {
  private static final ObjectMapper JSON = configure(JsonMapper.builder()).build();
  private static final ObjectMapper YAML = configure(YAMLMapper.builder(YAMLFactory.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .build()))
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  private Codec() {}

  private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B configure(B b) {
    return b.addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false)
        .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
        .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
        .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
        // Code downstream may then assume every element of a list or map is there.
        .withConfigOverride(List.class, o -> o.setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL)))
        .withConfigOverride(Map.class, o -> o.setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL)))
        .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
            JsonInclude.Include.USE_DEFAULTS));
  }

  public static ObjectMapper json() {
    return JSON;
  }

  public static ObjectMapper yaml() {
    return YAML;
  }

  /** A body that did not decode: the field (a path, may be empty), the value seen and why. */
  public static final class DecodeException extends RuntimeException {
    private final String field;
    private final String value;
    private final String reason;

    public DecodeException(String field, String value, String reason) {
      this(field, value, reason, field == null || field.isEmpty() ? reason : field + ": " + reason);
    }

    DecodeException(String field, String value, String reason, String message) {
      super(message);
      this.field = field == null ? "" : field;
      this.value = value;
      this.reason = reason;
    }

    public String field() {
      return field;
    }

    public String value() {
      return value;
    }

    public String reason() {
      return reason;
    }

    /** The same failure, saying which document of a file it is in (counting from 1). */
    public DecodeException inDocument(int document) {
      return new DecodeException(field, value, reason, "document " + document + ": " + getMessage());
    }
  }

  /** A decoded object as a tree with unknown fields dropped, and the paths of those fields. */
  public record Checked(ObjectNode object, List<String> unknownFields) {}

  // ---- parsing ----------------------------------------------------------------------------------

  /** Parses JSON or YAML into a tree; exactly one document. */
  public static JsonNode parseTree(byte[] data, boolean yaml) {
    return parseTree(data, yaml, false);
  }

  /** Parses JSON or YAML into a tree; {@code strict} refuses duplicate keys in JSON too. */
  public static JsonNode parseTree(byte[] data, boolean yaml, boolean strict) {
    try {
      ObjectReader reader = (yaml ? YAML : JSON).reader();
      if (strict) reader = reader.with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      JsonNode tree = reader.readTree(data);
      if (tree == null || tree.isMissingNode()) throw new DecodeException("", null, "the body is empty");
      return tree;
    } catch (JsonProcessingException e) {
      throw syntax(e);
    } catch (IOException e) {
      throw new DecodeException("", null, e.getMessage());
    }
  }

  /**
   * Parses and type-checks an object body against its kind (from its own apiVersion and kind, or
   * {@code expected} when they are absent). A body whose kind is another is returned unchecked:
   * the caller reports the mismatch.
   */
  public static Checked check(byte[] data, boolean yaml, boolean strict, ResourceType expected) {
    return check(parseTree(data, yaml, strict), strict, expected);
  }

  /** {@link #check(byte[], boolean, boolean, ResourceType)} of a body already parsed (a protobuf body's tree). */
  public static Checked check(JsonNode tree, boolean strict, ResourceType expected) {
    if (!(tree instanceof ObjectNode object)) throw new DecodeException("", null, "the body must be an object");
    String apiVersion = object.path("apiVersion").asText(expected.apiVersion());
    String kind = object.path("kind").asText(expected.kind());
    // Another kind is the caller's to report; a kind without a record (a custom resource) is
    // checked against its schema by its strategy.
    if (!apiVersion.equals(expected.apiVersion()) || !kind.equals(expected.kind()) || expected.javaClass() == null) {
      return new Checked(object, List.of());
    }
    Decoded<? extends ApiObject> typed = decode(object, expected.javaClass(), strict);
    ObjectNode normalized = toObjectNode(typed.object());
    if (!object.has("apiVersion")) normalized.remove("apiVersion");
    if (!object.has("kind")) normalized.remove("kind");
    return new Checked(normalized, typed.unknownFields());
  }

  // ---- decoding ---------------------------------------------------------------------------------

  /** Decodes a tree into the record of its kind, ignoring unknown fields. */
  public static ApiObject decode(JsonNode tree, ResourceType type) {
    return decode(tree, type.javaClass(), false).object();
  }

  /** Decodes a tree into the record its apiVersion and kind name, dropping unknown fields. */
  public static ApiObject decode(JsonNode tree) {
    return decode(tree, false).object();
  }

  /**
   * Decodes a tree into the record its apiVersion and kind name.
   *
   * @throws DecodeException for a missing or unknown apiVersion/kind, a type error, or (when
   *     {@code strict}) an unknown field
   */
  public static Decoded<ApiObject> decode(JsonNode tree, boolean strict) {
    ResourceType type = typeOf(tree);
    Decoded<? extends ApiObject> d = decode(tree, type.javaClass(), strict);
    return new Decoded<>(d.object(), d.unknownFields());
  }

  /** The registered type a tree's apiVersion and kind name. */
  public static ResourceType typeOf(JsonNode tree) {
    String apiVersion = tree.path("apiVersion").asText("");
    String kind = tree.path("kind").asText("");
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      throw new DecodeException("", null, "Object 'Kind' is missing or 'apiVersion' is missing in " + abbreviate(tree));
    }
    return ResourceType.byKind(apiVersion, kind).orElseThrow(() -> new DecodeException("kind", kind,
        "no kind \"" + kind + "\" is registered for version \"" + apiVersion + "\""));
  }

  /** Decodes a tree into any model type (an API object, DeleteOptions, Scale, Status, ...). */
  public static <T> Decoded<T> decode(JsonNode tree, Class<T> type, boolean strict) {
    return decode(tree, JSON.constructType(type), strict);
  }

  private static <T> Decoded<T> decode(JsonNode tree, JavaType type, boolean strict) {
    List<String> unknown = new ArrayList<>();
    try {
      ObjectReader reader = JSON.readerFor(type).withHandler(new DeserializationProblemHandler() {
        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> d,
            Object bean, String property) throws IOException {
          unknown.add(path(p.getParsingContext()));
          p.skipChildren();
          return true;
        }
      });
      T value = reader.readValue(JSON.treeAsTokens(tree));
      // Records buffer their properties, so the handler sees fields out of document order.
      unknown.sort(null);
      if (strict && !unknown.isEmpty()) {
        String reason = "strict decoding error: "
            + String.join(", ", unknown.stream().map(f -> "unknown field \"" + f + "\"").toList());
        throw new DecodeException(unknown.get(0), null, reason, reason);
      }
      return new Decoded<>(value, unknown);
    } catch (InvalidNullException e) {
      throw new DecodeException(fieldPath(e), "null", "null is not allowed here");
    } catch (InvalidFormatException e) {
      throw new DecodeException(fieldPath(e), String.valueOf(e.getValue()), typeProblem(e.getTargetType()));
    } catch (MismatchedInputException e) {
      throw new DecodeException(fieldPath(e), null, typeProblem(e.getTargetType()));
    } catch (JsonMappingException e) {
      throw new DecodeException(fieldPath(e), null, e.getOriginalMessage());
    } catch (InputCoercionException e) {
      // A number too large for its field: the path is where the parser stood.
      throw new DecodeException(path(e.getProcessor() == null ? null : e.getProcessor().getParsingContext()), null,
          e.getOriginalMessage());
    } catch (IOException e) {
      throw new DecodeException("", null, e.getMessage());
    }
  }

  /** A list response ({@code PodList}): its items decoded as the kind the list names. */
  public static ObjectList<ApiObject> decodeList(JsonNode tree) {
    String apiVersion = tree.path("apiVersion").asText("");
    String kind = tree.path("kind").asText("");
    ResourceType type = ResourceType.byListKind(apiVersion, kind).orElseThrow(() -> new DecodeException("kind", kind,
        "no list kind \"" + kind + "\" is registered for version \"" + apiVersion + "\""));
    ListMeta meta = tree.has("metadata") ? decode(tree.get("metadata"), ListMeta.class, false).object() : null;
    List<ApiObject> items = new ArrayList<>();
    JsonNode array = tree.path("items");
    for (int i = 0; i < array.size(); i++) {
      try {
        items.add(decode(array.get(i), type.javaClass(), false).object());
      } catch (DecodeException e) {
        throw prefixed("items[" + i + "]", e);
      }
    }
    return new ObjectList<>(apiVersion, kind, meta, items);
  }

  /**
   * Reads a file of manifests: YAML with several {@code ---} documents, or JSON; empty documents are
   * skipped and a {@code kind: List} (or {@code PodList}, ...) is expanded into its items. Unknown
   * fields are dropped.
   */
  public static List<ApiObject> readManifests(String text) {
    return decodeManifests(text, false).stream().map(Decoded::object).toList();
  }

  /** {@link #readManifests} with the unknown fields of each object, or refusing them when {@code strict}. */
  public static List<Decoded<ApiObject>> decodeManifests(String text, boolean strict) {
    List<Decoded<ApiObject>> result = new ArrayList<>();
    int document = 0;
    try (var parser = YAML.getFactory().createParser(text)) {
      var it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNextValue()) {
        JsonNode doc = it.nextValue();
        document++;
        // A document of comments only, or an empty one between two '---', holds no object.
        if (doc == null || doc.isNull() || doc.isMissingNode() || (doc.isObject() && doc.isEmpty())
            || (doc.isTextual() && doc.asText().isBlank())) {
          continue;
        }
        try {
          if (!doc.isObject()) throw new DecodeException("", null, "a manifest must be an object, not " + abbreviate(doc));
          String kind = doc.path("kind").asText("");
          if (kind.equals("List") || (kind.endsWith("List") && doc.has("items"))) {
            expand(doc, strict, result);
          } else {
            result.add(decode(doc, strict));
          }
        } catch (DecodeException e) {
          throw e.inDocument(document);
        }
      }
    } catch (JsonProcessingException e) {
      throw syntax(e);
    } catch (RuntimeException e) {
      if (e.getCause() instanceof JsonProcessingException j) throw syntax(j);
      throw e;
    } catch (IOException e) {
      throw new DecodeException("", null, e.getMessage());
    }
    return result;
  }

  /** The items of a list; a typed list's items may leave out the apiVersion and kind it implies. */
  private static void expand(JsonNode list, boolean strict, List<Decoded<ApiObject>> into) {
    ResourceType implied = ResourceType.byListKind(list.path("apiVersion").asText(""), list.path("kind").asText(""))
        .orElse(null);
    JsonNode items = list.path("items");
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      if (implied != null && item instanceof ObjectNode o && !o.has("kind")) {
        item = o.deepCopy().put("apiVersion", implied.apiVersion()).put("kind", implied.kind());
      }
      try {
        into.add(decode(item, strict));
      } catch (DecodeException e) {
        throw prefixed("items[" + i + "]", e);
      }
    }
  }

  // ---- encoding and conversion ------------------------------------------------------------------

  public static JsonNode toJsonNode(Object value) {
    return JSON.valueToTree(value);
  }

  public static ObjectNode toObjectNode(Object value) {
    return JSON.valueToTree(value);
  }

  /** A tree as a model type, unknown fields dropped; a type error names the field. */
  public static <T> T convert(JsonNode tree, Class<T> type) {
    return decode(tree, type, false).object();
  }

  public static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String toYaml(Object value) {
    try {
      return YAML.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] toJsonBytes(Object value) {
    return toJson(value).getBytes(StandardCharsets.UTF_8);
  }

  // ---- messages ---------------------------------------------------------------------------------

  private static DecodeException syntax(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    if (e instanceof JsonParseException p && e.getOriginalMessage().startsWith("Duplicate field")) {
      String field = path(p.getProcessor() == null ? null : p.getProcessor().getParsingContext());
      return new DecodeException(field, null, "duplicate field \"" + field + "\"" + where);
    }
    if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Trailing token")) {
      return new DecodeException("", null, "the body holds more than one value (or YAML document)" + where);
    }
    return new DecodeException("", null, "the body is not valid JSON or YAML" + where + ": " + oneLine(e.getOriginalMessage()));
  }

  /** SnakeYAML's messages span lines with excerpts and carets; the location is already given. */
  private static String oneLine(String message) {
    if (message == null) return "";
    List<String> kept = new ArrayList<>();
    for (String line : message.split("\\R")) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("in 'reader'") || t.equals("^") || line.startsWith("    ")) continue;
      kept.add(t);
    }
    return String.join("; ", kept);
  }

  private static DecodeException prefixed(String prefix, DecodeException e) {
    String field = e.field().isEmpty() ? prefix : prefix + (e.field().startsWith("[") ? "" : ".") + e.field();
    return new DecodeException(field, e.value(), e.reason());
  }

  /** What the field wanted, in the words a user knows from JSON. */
  private static String typeProblem(Class<?> target) {
    if (target == null) return "cannot decode this value";
    String wanted;
    if (target == Integer.class || target == int.class || target == Long.class || target == long.class) {
      wanted = "integer";
    } else if (target == String.class) {
      wanted = "string";
    } else if (target == Boolean.class || target == boolean.class) {
      wanted = "boolean";
    } else if (target == Instant.class) {
      wanted = "timestamp (RFC 3339, e.g. 2026-11-23T01:04:00Z)";
    } else if (target == Quantity.class) {
      wanted = "quantity (e.g. 500m, 128Mi, 2)";
    } else if (target == IntOrString.class) {
      wanted = "integer or string";
    } else if (Collection.class.isAssignableFrom(target) || target.isArray()) {
      wanted = "array";
    } else {
      wanted = "object";
    }
    return "cannot decode into a field of type " + wanted;
  }

  /** {@code spec.template.spec.containers[0].image}, from Jackson's reference path. */
  private static String fieldPath(JsonMappingException e) {
    StringBuilder s = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (s.length() > 0) s.append('.');
        s.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        s.append('[').append(r.getIndex()).append(']');
      }
    }
    return s.toString();
  }

  private static String path(JsonStreamContext context) {
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inObject()) parts.add(0, "." + c.getCurrentName());
      else if (c.inArray()) parts.add(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
    }
    String p = String.join("", parts);
    return p.startsWith(".") ? p.substring(1) : p;
  }

  private static String abbreviate(JsonNode tree) {
    String s = tree.toString();
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
