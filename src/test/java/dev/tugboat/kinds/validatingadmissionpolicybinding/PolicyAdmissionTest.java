package dev.tugboat.kinds.validatingadmissionpolicybinding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kinds.validatingadmissionpolicy.ValidatingAdmissionPolicy;
import dev.tugboat.kinds.validatingadmissionpolicy.ValidatingAdmissionPolicyStrategy;
import dev.tugboat.kind.KindStrategy.Admission;
import dev.tugboat.model.Codec;
import dev.tugboat.model.LabelSelector;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The decisions of {@link PolicyAdmission}, without actors: a replica limit with a param ConfigMap. */
class PolicyAdmissionTest {
  private static final String POLICY = """
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicy
      metadata: {name: replica-limit}
      spec:
        failurePolicy: FAILURE
        paramKind: {apiVersion: v1, kind: ConfigMap}
        matchConstraints:
          resourceRules:
            - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
          namespaceSelector: {matchExpressions: [{key: env, operator: NotIn, values: [test]}]}
        matchConditions:
          - {name: not-exempt, expression: "!has(object.metadata.labels) || !('exempt' in object.metadata.labels)"}
        variables:
          - {name: max, expression: "int(params.data.maxReplicas)"}
        validations:
          - expression: "object.spec.replicas <= variables.max"
            messageExpression: "'replicas must be no greater than ' + string(variables.max)"
          - expression: "!has(object.spec.paused)"
            reason: Forbidden
      """;
  private static final String BINDING = """
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicyBinding
      metadata: {name: replica-limit-prod}
      spec:
        policyName: replica-limit
        validationActions: [ACTIONS]
        paramRef: {name: limits, namespace: default, parameterNotFoundAction: NOT_FOUND}
      """;
  private static final JsonNode LIMITS = yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: limits, namespace: default}, data: {maxReplicas: '3'}}");

  private static JsonNode yaml(String text) {
    return Codec.parseTree(text.getBytes(), true);
  }

  private static ValidatingAdmissionPolicy policy(String failurePolicy) {
    Admission a = new ValidatingAdmissionPolicyStrategy().admitCreate((com.fasterxml.jackson.databind.node.ObjectNode)
        yaml(POLICY.replace("FAILURE", failurePolicy)));
    assertNull(a.failure(), () -> a.failure().message());
    return Codec.convert(a.object(), ValidatingAdmissionPolicy.class);
  }

  private static ValidatingAdmissionPolicyBinding binding(String actions, String notFound) {
    return Codec.convert(yaml(BINDING.replace("ACTIONS", actions).replace("NOT_FOUND", notFound)),
        ValidatingAdmissionPolicyBinding.class);
  }

  private record Lookup(List<JsonNode> configMaps) implements PolicyAdmission.Lookup {
    @Override
    public JsonNode namespace(String name) {
      return yaml("{metadata: {name: " + name + ", labels: {env: " + (name.equals("qa") ? "test" : "prod") + "}}}");
    }

    @Override
    public List<JsonNode> params(String apiVersion, String kind, String namespace, String name, LabelSelector selector) {
      assertEquals("v1/ConfigMap", apiVersion + "/" + kind);
      return configMaps.stream().filter(c -> c.at("/metadata/namespace").asText().equals(namespace)
          && (name == null || c.at("/metadata/name").asText().equals(name))).toList();
    }
  }

  private static PolicyAdmission.Request deployment(String namespace, String operation, String spec, String labels) {
    JsonNode object = yaml("{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: " + namespace
        + ", labels: " + labels + "}, spec: " + spec + "}");
    return new PolicyAdmission.Request(operation, "apps", "v1", "Deployment", "deployments", null, namespace, "web", true,
        object, null, "alice", List.of("system:authenticated"), false);
  }

  private static String decide(String failurePolicy, String actions, String notFound, List<JsonNode> params,
      PolicyAdmission.Request request) {
    PolicyAdmission.Decision d = PolicyAdmission.admit(List.of(policy(failurePolicy)), List.of(binding(actions, notFound)),
        new Lookup(params), request);
    if (!d.allowed()) return d.denial().code() + " " + d.denial().message();
    if (!d.warnings().isEmpty()) return "warn " + d.warnings();
    if (!d.audit().isEmpty()) return "audit " + d.audit();
    return "allowed";
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "within the limit                 | Deny  | default | CREATE | {replicas: 3}               | {app: web}    | allowed",
      "over the limit: denied           | Deny  | default | CREATE | {replicas: 5}               | {app: web}    | 422 deployments.apps \"web\" is invalid: : ValidatingAdmissionPolicy 'replica-limit' with binding 'replica-limit-prod' denied request: replicas must be no greater than 3",
      "over the limit: warned           | Warn  | default | UPDATE | {replicas: 5}               | {app: web}    | warn [Validation failed for ValidatingAdmissionPolicy 'replica-limit' with binding 'replica-limit-prod': replicas must be no greater than 3]",
      "over the limit: audited          | Audit | default | CREATE | {replicas: 5}               | {app: web}    | audit [validation.policy.admission.k8s.io/validation_failure: [{\"message\":\"replicas must be no greater than 3\",\"policy\":\"replica-limit\",\"binding\":\"replica-limit-prod\",\"validationActions\":[\"Audit\"]}]]",
      "reason Forbidden is a 403        | Deny  | default | CREATE | {replicas: 1, paused: true} | {app: web}    | 403 deployments.apps \"web\" is forbidden: ValidatingAdmissionPolicy 'replica-limit' with binding 'replica-limit-prod' denied request: failed expression: !has(object.spec.paused)",
      "a delete is not matched          | Deny  | default | DELETE | {replicas: 5}               | {app: web}    | allowed",
      "a namespace the selector skips   | Deny  | qa      | CREATE | {replicas: 5}               | {app: web}    | allowed",
      "a match condition that is false  | Deny  | default | CREATE | {replicas: 5}               | {exempt: 'y'} | allowed",
      "an error under Fail denies       | Deny  | default | CREATE | {}                          | {app: web}    | 422 deployments.apps \"web\" is invalid: : ValidatingAdmissionPolicy 'replica-limit' with binding 'replica-limit-prod' denied request: expression 'object.spec.replicas <= variables.max' resulted in error: evaluation error at <input>:11: key 'replicas' is not present in map.",
  })
  void decides(String why, String actions, String namespace, String operation, String spec, String labels, String expected) {
    assertEquals(expected, decide("Fail", actions, "Deny", List.of(LIMITS), deployment(namespace, operation, spec, labels)));
  }

  @Test
  void anErrorUnderIgnoreAllows() {
    assertEquals("allowed", decide("Ignore", "Deny", "Deny", List.of(LIMITS), deployment("default", "CREATE", "{}", "{}")));
  }

  @Test
  void missingParamsFollowParameterNotFoundAction() {
    PolicyAdmission.Request over = deployment("default", "CREATE", "{replicas: 5}", "{}");
    assertEquals("allowed", decide("Fail", "Deny", "Allow", List.of(), over));
    String denied = decide("Fail", "Deny", "Deny", List.of(), over);
    assertTrue(denied.startsWith("422 ") && denied.endsWith("denied request: failed to configure binding: no params found "
        + "for policy binding with `Deny` parameterNotFoundAction"), denied);
  }

  @Test
  void otherResourcesAreNotMatched() {
    PolicyAdmission.Request pod = new PolicyAdmission.Request("CREATE", "", "v1", "Pod", "pods", null, "default", "p", true,
        yaml("{metadata: {name: p}, spec: {replicas: 50}}"), null, "alice", List.of(), false);
    assertEquals("allowed", decide("Fail", "Deny", "Deny", List.of(LIMITS), pod));
    PolicyAdmission.Request scale = new PolicyAdmission.Request("UPDATE", "apps", "v1", "Scale", "deployments", "scale",
        "default", "web", true, yaml("{metadata: {name: web}, spec: {replicas: 50}}"), null, "alice", List.of(), false);
    assertEquals("allowed", decide("Fail", "Deny", "Deny", List.of(LIMITS), scale));
  }

  @Test
  void theRequestVariableIsKubernetesShape() {
    JsonNode r = PolicyAdmission.requestJson(deployment("default", "CREATE", "{}", "{}"));
    assertEquals("apps", r.at("/kind/group").asText());
    assertEquals("deployments", r.at("/resource/resource").asText());
    assertEquals("alice", r.at("/userInfo/username").asText());
    assertEquals("CREATE", r.at("/operation").asText());
  }
}
