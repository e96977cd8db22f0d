package dev.tugboat.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CEL through kubectl 1.33 against an API-only member: a CRD's {@code x-kubernetes-validations}
 * (a rule, a transition rule, a rule that does not compile) and a ValidatingAdmissionPolicy that
 * limits Deployment replicas from a param ConfigMap, bound once with Deny and once with Warn.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CelValidationIT {
  private static final String CRD = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: widgets.cel.example.com}
      spec:
        group: cel.example.com
        scope: Namespaced
        names: {plural: widgets, singular: widget, kind: Widget}
        versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    x-kubernetes-validations:
                      - rule: "RULE"
                        message: replicas must be at most 5
                    properties:
                      replicas: {type: integer}
                      mode:
                        type: string
                        x-kubernetes-validations:
                          - {rule: "self == oldSelf", message: mode is immutable}
      """;
  private static final String POLICY = """
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicy
      metadata: {name: NAME}
      spec:
        paramKind: {apiVersion: v1, kind: ConfigMap}
        matchConstraints:
          resourceRules:
            - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
        validations:
          - expression: "EXPRESSION"
            messageExpression: "'replicas must be no greater than ' + params.data.maxReplicas"
      """;
  private static final String BINDING = """
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicyBinding
      metadata: {name: replica-limit-LOWER}
      spec:
        policyName: replica-limit
        validationActions: [ACTION]
        paramRef: {name: limits, namespace: vap-params, parameterNotFoundAction: Deny}
        matchResources:
          namespaceSelector: {matchLabels: {replica-limit: ACTION}}
      """;
  private Tugboat tugboat;
  private Api api;
  private Kubectl kubectl;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) throws Exception {
    Path work = Files.createDirectories(SharedCassandra.itDir().resolve("cel-" + ProcessHandle.current().pid()));
    kubectl = Kubectl.v133(work).orElse(null);
    Assumptions.assumeTrue(kubectl != null, "this machine has no kubectl 1.33 (the Google Cloud CLI's kubectl.1.33)");
    tugboat = TestTugboat.startApiOnly(cassandra, "cel");
    api = Api.of(tugboat);
    Serving.await(api);
    kubectl = kubectl.configure(tugboat, "default");
  }

  @AfterAll
  void stop() {
    if (tugboat != null) tugboat.close();
  }

  private Kubectl.Result apply(String name, String yaml) throws Exception {
    Path file = Files.writeString(kubectl.home().resolve(name + ".yaml"), yaml);
    return kubectl.run("apply", "-f", file.toString());
  }

  private static Kubectl.Result ok(Kubectl.Result r) {
    assertEquals(0, r.exit(), r.toString());
    return r;
  }

  private static Kubectl.Result refused(Kubectl.Result r, String... says) {
    assertNotEquals(0, r.exit(), r.toString());
    for (String s : says) assertTrue(r.err().contains(s), "expected <" + s + "> in " + r);
    return r;
  }

  @Test
  void crdRulesRefuseBadObjectsAndTransitions() throws Exception {
    refused(apply("bad-crd", CRD.replace("RULE", "self.replicas <")),
        "spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: "
            + "\"self.replicas <\": compilation failed: ERROR: <input>:1:16:");
    ok(apply("crd", CRD.replace("RULE", "self.replicas <= 5")));
    ok(kubectl.run("wait", "--for", "condition=established", "crd/widgets.cel.example.com", "--timeout=30s"));
    String widget = "apiVersion: cel.example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {replicas: REPLICAS, mode: MODE}\n";
    Await.until("kubectl knows the Widget kind", Duration.ofSeconds(20),
        () -> kubectl.run("get", "widgets").exit() == 0);
    refused(apply("big", widget.replace("REPLICAS", "7").replace("MODE", "fast")),
        "\"w\" is invalid: spec: Invalid value: \"object\": replicas must be at most 5");
    ok(apply("w", widget.replace("REPLICAS", "2").replace("MODE", "fast")));
    // the transition rule holds while mode is unchanged, and refuses a change of it
    ok(apply("w", widget.replace("REPLICAS", "3").replace("MODE", "fast")));
    refused(kubectl.run("patch", "widget", "w", "--type=merge", "-p", "{\"spec\":{\"mode\":\"slow\"}}"),
        "spec.mode: Invalid value: \"string\": mode is immutable");
    assertEquals("3 fast", api.get("/apis/cel.example.com/v1/namespaces/default/widgets/w").at("/spec/replicas") + " "
        + api.get("/apis/cel.example.com/v1/namespaces/default/widgets/w").at("/spec/mode"));
  }

  @Test
  void aPolicyLimitsReplicasFromItsParamsWithDenyAndWarn() throws Exception {
    refused(apply("bad-policy", POLICY.replace("NAME", "broken").replace("EXPRESSION", "object.spec.replicas <=")),
        "spec.validations[0].expression: Invalid value: \"object.spec.replicas <=\": compilation failed: ERROR: <input>:1:");
    ok(kubectl.run("create", "namespace", "vap-params"));
    ok(kubectl.run("create", "configmap", "limits", "-n", "vap-params", "--from-literal=maxReplicas=3"));
    for (String action : new String[] {"Deny", "Warn"}) {
      ok(kubectl.run("create", "namespace", "vap-" + action.toLowerCase()));
      ok(kubectl.run("label", "namespace", "vap-" + action.toLowerCase(), "replica-limit=" + action));
      ok(apply("binding-" + action, BINDING.replace("LOWER", action.toLowerCase()).replace("ACTION", action)));
    }
    ok(apply("policy", POLICY.replace("NAME", "replica-limit")
        .replace("EXPRESSION", "object.spec.replicas <= int(params.data.maxReplicas)")));
    // the member follows policies through an informer: a dry run says when it applies them
    String deployment = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"probe\"},\"spec\":{"
        + "\"replicas\":5,\"selector\":{\"matchLabels\":{\"app\":\"w\"}},\"template\":{\"metadata\":{\"labels\":"
        + "{\"app\":\"w\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"tugboat/busybox:1.0\"}]}}}}";
    Await.until("the policy is applied", Duration.ofSeconds(10), () ->
        api.post("/apis/apps/v1/namespaces/vap-deny/deployments?dryRun=All", deployment).code() == 422);

    refused(kubectl.run("create", "deployment", "web", "-n", "vap-deny", "--image=tugboat/busybox:1.0", "--replicas=5"),
        "ValidatingAdmissionPolicy 'replica-limit' with binding 'replica-limit-deny' denied request: "
            + "replicas must be no greater than 3");
    assertEquals(404, api.get("/apis/apps/v1/namespaces/vap-deny/deployments/web").code());
    ok(kubectl.run("create", "deployment", "small", "-n", "vap-deny", "--image=tugboat/busybox:1.0", "--replicas=2"));
    refused(kubectl.run("scale", "deployment", "small", "-n", "vap-deny", "--replicas=4"), "denied request");

    Kubectl.Result warned = ok(kubectl.run("create", "deployment", "web", "-n", "vap-warn", "--image=tugboat/busybox:1.0",
        "--replicas=5"));
    assertTrue(warned.err().contains("Warning: Validation failed for ValidatingAdmissionPolicy 'replica-limit' with binding "
        + "'replica-limit-warn': replicas must be no greater than 3"), warned.toString());
    assertEquals(5, api.get("/apis/apps/v1/namespaces/vap-warn/deployments/web").json().at("/spec/replicas").asInt());
    // a namespace no binding selects is left alone
    ok(kubectl.run("create", "deployment", "free", "-n", "default", "--image=tugboat/busybox:1.0", "--replicas=9"));
  }
}
