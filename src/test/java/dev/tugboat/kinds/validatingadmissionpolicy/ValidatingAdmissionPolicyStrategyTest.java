package dev.tugboat.kinds.validatingadmissionpolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy.Admission;
import dev.tugboat.model.Codec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValidatingAdmissionPolicyStrategyTest {
  private final ValidatingAdmissionPolicyStrategy strategy = new ValidatingAdmissionPolicyStrategy();
  static final String POLICY = """
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicy
      metadata: {name: replica-limit}
      spec:
        paramKind: {apiVersion: v1, kind: ConfigMap}
        matchConstraints:
          resourceRules:
            - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
        matchConditions:
          - {name: not-system, expression: "request.namespace != 'kube-system'"}
        variables:
          - {name: max, expression: "int(params.data.maxReplicas)"}
        validations:
          - expression: "object.spec.replicas <= variables.max"
            messageExpression: "'replicas must be no greater than ' + string(variables.max)"
            reason: Invalid
      """;

  private static ObjectNode yaml(String text) {
    return (ObjectNode) Codec.parseTree(text.getBytes(), true);
  }

  @Test
  void aPolicyIsAdmittedWithKubernetesDefaults() {
    Admission a = strategy.admitCreate(yaml(POLICY));
    assertNull(a.failure(), () -> a.failure().message());
    assertEquals("Fail", a.object().at("/spec/failurePolicy").asText());
    assertEquals("Equivalent", a.object().at("/spec/matchConstraints/matchPolicy").asText());
    assertEquals("*", a.object().at("/spec/matchConstraints/resourceRules/0/scope").asText());
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "object.spec.replicas <= variables.max                           | object.spec.replicas >",
      "\"'replicas must be no greater than ' + string(variables.max)\" | nobody.x",
  })
  void anExpressionThatDoesNotCompileIsRefusedNamingItsField(String good, String bad) {
    Admission a = strategy.admitCreate(yaml(POLICY.replace(good, bad)));
    assertEquals(422, a.failure().code(), a.failure().message());
    String field = a.failure().details().causes().get(0).field();
    assertTrue(field.equals("spec.validations[0].expression") || field.equals("spec.validations[0].messageExpression"), field);
    assertTrue(a.failure().message().contains("compilation failed: ERROR: <input>:1:"), a.failure().message());
  }

  @Test
  void badInputNamesEachField() {
    Admission a = strategy.admitCreate(yaml("""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: p}
        spec:
          failurePolicy: Sometimes
          matchConditions: [{name: a, expression: "1 + 1"}]
          variables: [{name: "not valid", expression: "1"}]
        """));
    List<String> fields = a.failure().details().causes().stream().map(c -> c.field()).toList();
    assertEquals(List.of("spec.matchConstraints", "spec.failurePolicy", "spec.validations", "spec.matchConditions[0].expression",
        "spec.variables[0].name"), fields, a.failure().message());
  }
}
