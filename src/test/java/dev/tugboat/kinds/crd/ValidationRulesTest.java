package dev.tugboat.kinds.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Codec;
import dev.tugboat.model.FieldError;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** CRD {@code x-kubernetes-validations}: each rule's verdict and wording, as kube-apiserver's. */
class ValidationRulesTest {
  private static final JsonNode SCHEMA = yaml("""
      type: object
      x-kubernetes-validations:
        - rule: "self.metadata.name.size() <= 10"
          message: name too long
      properties:
        spec:
          type: object
          x-kubernetes-validations:
            - rule: "self.minReplicas <= self.replicas"
              message: replicas should be at least minReplicas
              fieldPath: .replicas
            - rule: "!has(self.mode) || self.mode == oldSelf.mode"
              message: mode is immutable
              reason: FieldValueForbidden
            - rule: "self.replicas <= 100"
              messageExpression: "'replicas ' + string(self.replicas) + ' is more than 100'"
          properties:
            replicas: {type: integer}
            minReplicas: {type: integer}
            mode: {type: string}
            image:
              type: string
              x-kubernetes-validations:
                - rule: "self.matches('^[a-z]+:[0-9.]+$')"
            ports:
              type: array
              x-kubernetes-list-type: map
              x-kubernetes-list-map-keys: [name]
              items:
                type: object
                properties:
                  name: {type: string}
                  port: {type: integer}
                x-kubernetes-validations:
                  - rule: "self.port >= oldSelf.port"
                    message: a port may only grow
      """);

  private static JsonNode yaml(String text) {
    return Codec.parseTree(text.getBytes(), true);
  }

  private static List<String> errors(String object, String old) {
    return StructuralSchema.of(SCHEMA).validate(yaml(object), old == null ? null : yaml(old)).stream()
        .map(FieldError::toString).toList();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{metadata: {name: ok}, spec: {replicas: 3, minReplicas: 1}}                |",
      "{metadata: {name: waytoolongname}, spec: {replicas: 3, minReplicas: 1}}    | : Invalid value: \"object\": name too long",
      "{metadata: {name: a}, spec: {replicas: 1, minReplicas: 2}}                 | spec.replicas: Invalid value: \"object\": replicas should be at least minReplicas",
      "{metadata: {name: a}, spec: {replicas: 101, minReplicas: 2}}               | spec: Invalid value: \"object\": replicas 101 is more than 100",
      "{metadata: {name: a}, spec: {replicas: 1, minReplicas: 1, image: 'Bad'}}   | spec.image: Invalid value: \"string\": failed rule: self.matches('^[a-z]+:[0-9.]+$')",
      "{metadata: {name: a}, spec: {minReplicas: 1}}                              | spec: Invalid value: \"object\": evaluation error at <input>:4: key 'replicas' is not present in map.",
  })
  void judgesACreate(String object, String expected) {
    List<String> errors = errors(object, null);
    if (expected == null) assertEquals(List.of(), errors);
    else assertTrue(errors.contains(expected), errors::toString);
  }

  @Test
  void transitionRulesAreSkippedOnCreateAndAppliedOnUpdate() {
    String before = "{metadata: {name: a}, spec: {replicas: 1, minReplicas: 1, mode: fast, ports: [{name: http, port: 80}]}}";
    assertEquals(List.of(), errors(before, null));
    assertEquals(List.of(), errors(before, before));
    assertEquals(List.of("spec: Forbidden: mode is immutable"),
        errors(before.replace("mode: fast", "mode: slow"), before));
    // list items correlate by their map keys: http shrank, a new item has no old self
    assertEquals(List.of("spec.ports[0]: Invalid value: \"object\": a port may only grow"),
        errors(before.replace("port: 80}", "port: 79}, {name: new, port: 1}"), before));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{rule: 'self.x >'}                           | .x-kubernetes-validations[0].rule: Invalid value: \"self.x >\": compilation failed: ERROR: <input>:1:9: mismatched input '<EOF>'",
      "{rule: 'self.x + 1'}                         | .x-kubernetes-validations[0].rule: Invalid value: \"self.x + 1\": compilation failed: ERROR: <input>:1:1: expression must evaluate to bool, not",
      "{rule: 'nobody == 1'}                        | .x-kubernetes-validations[0].rule: Invalid value: \"nobody == 1\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'nobody'",
      "{message: m}                                 | .x-kubernetes-validations[0].rule: Required value",
      "{rule: 'true', reason: Nope}                 | .x-kubernetes-validations[0].reason: Unsupported value: \"Nope\"",
      "{rule: 'true', fieldPath: 'spec'}            | .x-kubernetes-validations[0].fieldPath: Invalid value: \"spec\"",
      "{rule: 'true', messageExpression: '1 +'}     | .x-kubernetes-validations[0].messageExpression: Invalid value: \"1 +\": messageExpression compilation failed",
  })
  void refusesRulesThatCannotBeUsed(String rule, String expected) {
    JsonNode schema = yaml("{type: object, properties: {spec: {type: object, x-kubernetes-validations: [" + rule + "]}}}");
    List<String> errors = StructuralSchema.check(schema, "s").stream().map(FieldError::toString).toList();
    assertEquals(1, errors.size(), errors::toString);
    assertTrue(errors.get(0).startsWith("s.properties[spec]" + expected), errors::toString);
  }
}
