package dev.tugboat.kinds.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import dev.tugboat.model.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class StructuralSchemaTest {
  private static final String SCHEMA = """
      type: object
      properties:
        spec:
          type: object
          required: [cronSpec]
          properties:
            cronSpec: {type: string, pattern: '^\\S+( \\S+){4}$'}
            image: {type: string, maxLength: 5, minLength: 2}
            replicas: {type: integer, minimum: 1, maximum: 10, default: 1}
            policy: {type: string, enum: [Allow, Forbid]}
            port: {x-kubernetes-int-or-string: true}
            ports:
              type: array
              maxItems: 2
              items:
                type: object
                required: [name]
                properties:
                  name: {type: string}
                  number: {type: integer, default: 80}
            labels:
              type: object
              additionalProperties: {type: string, maxLength: 3}
            extra:
              type: object
              x-kubernetes-preserve-unknown-fields: true
              properties:
                known: {type: boolean}
      """;

  private static JsonNode yaml(String text) {
    return Codec.parseTree(text.getBytes(), true);
  }

  private static List<String> messages(List<FieldError> errors) {
    return errors.stream().map(FieldError::toString).toList();
  }

  @Test
  void validatesTypesBoundsPatternsEnumsAndNestedFieldsNamingEach() {
    StructuralSchema schema = StructuralSchema.of(yaml(SCHEMA));
    JsonNode object = yaml("""
        spec:
          cronSpec: every day
          image: toolongimage
          replicas: 11
          policy: Sometimes
          port: true
          ports: [{number: 1}, {name: b}, {name: c}]
          labels: {team: abcd}
          extra: {known: "yes"}
        """);
    assertEquals(List.of(
        "spec.cronSpec: Invalid value: \"every day\": should match '^\\S+( \\S+){4}$'",
        "spec.image: Too long: may not be more than 5 characters",
        "spec.replicas: Invalid value: 11: should be less than or equal to 10",
        "spec.policy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\"",
        "spec.port: Invalid value: \"boolean\": must be an integer or a string",
        "spec.ports: Too many: 3: must have at most 2 items",
        "spec.ports[0].name: Required value",
        "spec.labels[team]: Too long: may not be more than 3 characters",
        "spec.extra.known: Invalid value: \"string\": must be of type boolean"), messages(schema.validate(object)));
  }

  @Test
  void requiredTypesAndNullAreChecked() {
    StructuralSchema schema = StructuralSchema.of(yaml(SCHEMA));
    assertEquals(List.of("spec.cronSpec: Required value", "spec.replicas: Invalid value: \"string\": must be of type integer"),
        messages(schema.validate(yaml("spec: {replicas: three}"))));
    assertEquals(List.of("spec: Invalid value: \"null\": must not be null"), messages(schema.validate(yaml("spec: null"))));
    assertEquals(List.of(), messages(schema.validate(yaml("spec: {cronSpec: '* * * * *', port: http, replicas: 3.0}"))));
  }

  @Test
  void prunesUnknownFieldsButKeepsPreservedOnesAndTheRoot() {
    StructuralSchema schema = StructuralSchema.of(yaml(SCHEMA));
    ObjectNode object = (ObjectNode) yaml("""
        apiVersion: x/v1
        kind: K
        metadata: {name: n}
        top: 1
        spec:
          cronSpec: a
          unknown: 2
          ports: [{name: a, stray: 3}]
          labels: {any: key}
          extra: {anything: goes, known: true}
        """);
    List<String> removed = schema.prune(object);
    assertEquals(List.of("top", "spec.unknown", "spec.ports[0].stray"), removed);
    assertEquals("x/v1", object.path("apiVersion").asText());
    assertEquals("key", object.at("/spec/labels/any").asText());
    assertEquals("goes", object.at("/spec/extra/anything").asText());
  }

  @Test
  void appliesDefaultsWhereTheParentExists() {
    StructuralSchema schema = StructuralSchema.of(yaml(SCHEMA));
    ObjectNode object = (ObjectNode) yaml("spec: {cronSpec: a, ports: [{name: a}, {name: b, number: 8080}]}");
    schema.applyDefaults(object);
    assertEquals(1, object.at("/spec/replicas").asInt());
    assertEquals(80, object.at("/spec/ports/0/number").asInt());
    assertEquals(8080, object.at("/spec/ports/1/number").asInt());
    ObjectNode empty = (ObjectNode) yaml("{}");
    schema.applyDefaults(empty);
    assertEquals("{}", empty.toString(), "no spec, so no spec.replicas");
  }

  @Test
  void aNonStructuralSchemaIsRefusedNamingTheField() {
    String path = "spec.versions[0].schema.openAPIV3Schema";
    assertEquals(List.of(), messages(StructuralSchema.check(yaml(SCHEMA), path)));
    assertEquals(List.of(
        path + ".properties[spec].properties[a].type: Required value: must not be empty for specified object fields",
        path + ".properties[spec].properties[b].items: Required value: must be specified",
        path + ".properties[spec].properties[c].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive",
        path + ".properties[spec].properties[d].$ref: Forbidden: must not be used in a structural schema",
        path + ".properties[spec].properties[e].type: Unsupported value: \"map\": supported values: \"object\", \"array\", \"string\", \"integer\", \"number\", \"boolean\""),
        messages(StructuralSchema.check(yaml("""
            type: object
            properties:
              spec:
                type: object
                properties:
                  a: {description: no type}
                  b: {type: array}
                  c: {type: object, properties: {x: {type: string}}, additionalProperties: {type: string}}
                  d: {type: object, $ref: '#/definitions/x'}
                  e: {type: map}
            """), path)));
    assertEquals(List.of(path + ".type: Unsupported value: \"array\": supported values: \"object\""),
        messages(StructuralSchema.check(yaml("{type: array, items: {type: string}}"), path)));
  }
}
