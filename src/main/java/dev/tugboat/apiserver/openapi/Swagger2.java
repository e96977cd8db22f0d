package dev.tugboat.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The Swagger 2.0 form of an OpenAPI v3 group-version document, added to the one {@code /openapi/v2}
 * document: schemas become definitions, parameters carry their type themselves, a request body is
 * the {@code body} parameter, and content types become {@code consumes} and {@code produces}.
 */
final class Swagger2 {
  private Swagger2() {}

  static void add(ObjectNode v3, ObjectNode paths, ObjectNode definitions) {
    v3.path("components").path("schemas").fields().forEachRemaining(e -> definitions.set(e.getKey(), refs(e.getValue().deepCopy())));
    v3.path("paths").fields().forEachRemaining(p -> {
      ObjectNode path = paths.putObject(p.getKey());
      for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        if (op.getKey().equals("parameters")) {
          ArrayNode params = path.putArray("parameters");
          op.getValue().forEach(param -> params.add(parameter(param)));
        } else {
          path.set(op.getKey(), operation(op.getValue()));
        }
      }
    });
  }

  private static ObjectNode operation(JsonNode v3) {
    ObjectNode op = ((ObjectNode) v3).deepCopy();
    op.remove(java.util.List.of("parameters", "requestBody", "responses"));
    ArrayNode params = op.putArray("parameters");
    v3.path("parameters").forEach(p -> params.add(parameter(p)));
    if (v3.has("requestBody")) {
      params.addObject().put("name", "body").put("in", "body").put("required", true).putObject("schema").put("type", "object");
      ArrayNode consumes = op.putArray("consumes");
      v3.path("requestBody").path("content").fieldNames().forEachRemaining(consumes::add);
    }
    JsonNode ok = v3.path("responses").path("200");
    ArrayNode produces = op.putArray("produces");
    ok.path("content").fieldNames().forEachRemaining(produces::add);
    ObjectNode response = op.putObject("responses").putObject("200").put("description", "OK");
    JsonNode schema = ok.path("content").path("application/json").path("schema");
    if (schema.isObject()) response.set("schema", refs(schema.deepCopy()));
    return op;
  }

  private static ObjectNode parameter(JsonNode v3) {
    ObjectNode p = ((ObjectNode) v3).deepCopy();
    JsonNode schema = p.remove("schema");
    if (schema != null) p.put("type", schema.path("type").asText("string")).put("uniqueItems", true);
    return p;
  }

  /** {@code #/components/schemas/X} to {@code #/definitions/X}, everywhere in {@code node}. */
  private static JsonNode refs(JsonNode node) {
    if (node instanceof ObjectNode o) {
      JsonNode ref = o.get("$ref");
      if (ref != null && ref.isTextual()) o.put("$ref", ref.asText().replace(RecordSchemas.REF_PREFIX, "#/definitions/"));
      o.fields().forEachRemaining(e -> refs(e.getValue()));
    } else if (node instanceof ArrayNode a) {
      a.forEach(Swagger2::refs);
    }
    return node;
  }
}
