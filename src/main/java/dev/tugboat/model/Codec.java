package dev.tugboat.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON and YAML for API objects.
 *
 * <p><b>Unknown fields</b> (a field the model does not know, such as a misspelt {@code imagee}) are
 * dropped and reported by their path, so the API can warn about each in a {@code Warning} header as
 * Kubernetes does; with strict decoding ({@code fieldValidation=Strict}) the first one fails the
 * decode instead. Everything the model knows survives a YAML → object → JSON round trip.
 *
 * <p><b>Types</b> are checked as Kubernetes checks them: a string is not taken for a number
 * ({@code replicas: "3"}) nor a number for a string (an env {@code value: 8080}); the error names the
 * field.
 */
public final class Codec {
  private static final ObjectMapper JSON = configure(JsonMapper.builder().build());
  private static final ObjectMapper YAML = configure(YAMLMapper.builder(YAMLFactory.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .build())
      .build());

  private Codec() {}

  private static ObjectMapper configure(ObjectMapper m) {
    m.registerModule(new JavaTimeModule());
    m.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    m.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    m.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
    m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    m.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    return m;
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
      super(field == null || field.isEmpty() ? reason : field + ": " + reason);
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
  }

  /** A decoded object as a tree with unknown fields dropped, and the paths of those fields. */
  public record Checked(ObjectNode object, List<String> unknownFields) {}

  /** Parses JSON or YAML into a tree; one document. */
  public static JsonNode parseTree(byte[] data, boolean yaml) {
    try {
      JsonNode tree = (yaml ? YAML : JSON).readTree(data);
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
    JsonNode tree = parseTree(data, yaml);
    if (!(tree instanceof ObjectNode object)) throw new DecodeException("", null, "the body must be an object");
    String apiVersion = object.path("apiVersion").asText(expected.apiVersion());
    String kind = object.path("kind").asText(expected.kind());
    if (!apiVersion.equals(expected.apiVersion()) || !kind.equals(expected.kind())) {
      return new Checked(object, List.of());
    }
    List<String> unknown = new ArrayList<>();
    ApiObject typed = decode(object, expected, strict, unknown);
    ObjectNode normalized = toObjectNode(typed);
    if (!object.has("apiVersion")) normalized.remove("apiVersion");
    if (!object.has("kind")) normalized.remove("kind");
    return new Checked(normalized, List.copyOf(unknown));
  }

  /** Decodes a tree into the record of its kind, ignoring unknown fields. */
  public static ApiObject decode(JsonNode tree, ResourceType type) {
    return decode(tree, type, false, new ArrayList<>());
  }

  /** Decodes a tree into the record its apiVersion and kind name. */
  public static ApiObject decode(JsonNode tree) {
    String apiVersion = tree.path("apiVersion").asText("");
    String kind = tree.path("kind").asText("");
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      throw new DecodeException("", null, "Object 'Kind' is missing or 'apiVersion' is missing in " + abbreviate(tree));
    }
    ResourceType type = ResourceType.byKind(apiVersion, kind).orElseThrow(() -> new DecodeException("kind", kind,
        "no kind \"" + kind + "\" is registered for version \"" + apiVersion + "\""));
    return decode(tree, type);
  }

  private static ApiObject decode(JsonNode tree, ResourceType type, boolean strict, List<String> unknown) {
    try {
      var reader = JSON.readerFor(type.javaClass());
      reader = strict
          ? reader.with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          : reader.withHandler(new DeserializationProblemHandler() {
            @Override
            public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> d,
                Object bean, String property) throws IOException {
              unknown.add(path(p.getParsingContext()));
              p.skipChildren();
              return true;
            }
          });
      return reader.readValue(JSON.treeAsTokens(tree));
    } catch (UnrecognizedPropertyException e) {
      throw new DecodeException(fieldPath(e), null, "strict decoding error: unknown field \"" + fieldPath(e) + "\"");
    } catch (InvalidFormatException e) {
      throw new DecodeException(fieldPath(e), String.valueOf(e.getValue()), typeProblem(e));
    } catch (MismatchedInputException e) {
      throw new DecodeException(fieldPath(e), null, typeProblem(e));
    } catch (JsonMappingException e) {
      throw new DecodeException(fieldPath(e), null, e.getOriginalMessage());
    } catch (IOException e) {
      throw new DecodeException("", null, e.getMessage());
    }
  }

  /**
   * Reads a file of manifests: YAML with several {@code ---} documents or JSON; empty documents are
   * skipped and a {@code kind: List} is expanded into its items.
   */
  public static List<ApiObject> readManifests(String text) {
    List<ApiObject> result = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(text)) {
      var it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNextValue()) {
        JsonNode doc = it.nextValue();
        // A document of comments only, or an empty one between two '---', holds no object.
        if (doc == null || doc.isNull() || doc.isMissingNode() || (doc.isObject() && doc.isEmpty())
            || (doc.isTextual() && doc.asText().isBlank())) {
          continue;
        }
        if (!doc.isObject()) throw new DecodeException("", null, "a manifest must be an object, not " + abbreviate(doc));
        if (doc.path("kind").asText("").equals("List") || doc.path("kind").asText("").endsWith("List") && doc.has("items")) {
          for (JsonNode item : doc.path("items")) result.add(decode(item));
        } else {
          result.add(decode(doc));
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

  public static ObjectNode toObjectNode(Object value) {
    return JSON.valueToTree(value);
  }

  public static <T> T convert(JsonNode tree, Class<T> type) {
    try {
      return JSON.treeToValue(tree, type);
    } catch (JsonProcessingException e) {
      throw new DecodeException("", null, e.getOriginalMessage());
    }
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

  private static DecodeException syntax(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return new DecodeException("", null, "the body is not valid JSON or YAML" + where + ": " + e.getOriginalMessage());
  }

  private static String typeProblem(MismatchedInputException e) {
    String target = e.getTargetType() == null ? "value" : e.getTargetType().getSimpleName();
    return "cannot decode into a field of type " + switch (target) {
      case "Integer", "int", "Long", "long" -> "integer";
      case "String" -> "string";
      case "Boolean", "boolean" -> "boolean";
      case "List" -> "array";
      default -> target.equals("Map") || Character.isUpperCase(target.charAt(0)) ? "object (" + target + ")" : target;
    };
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
      else if (c.inArray()) parts.add(0, "[" + c.getCurrentIndex() + "]");
    }
    String p = String.join("", parts);
    return p.startsWith(".") ? p.substring(1) : p;
  }

  private static String abbreviate(JsonNode tree) {
    String s = tree.toString();
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
