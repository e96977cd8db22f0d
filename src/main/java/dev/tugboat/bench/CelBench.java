package dev.tugboat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.validatingadmissionpolicy.ValidatingAdmissionPolicy;
import dev.tugboat.kinds.validatingadmissionpolicy.ValidatingAdmissionPolicyStrategy;
import dev.tugboat.kinds.validatingadmissionpolicybinding.PolicyAdmission;
import dev.tugboat.kinds.validatingadmissionpolicybinding.ValidatingAdmissionPolicyBinding;
import dev.tugboat.model.Codec;
import dev.tugboat.model.LabelSelector;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tug bench cel}: the cost of one ValidatingAdmissionPolicy evaluation in this JVM (the issue's
 * bound: under 50 µs), with no cluster: a replica-limit policy with a param ConfigMap, a variable, a
 * match condition and a message expression, decided by {@link PolicyAdmission} for a Deployment over
 * and under the limit in turn; then the same with a rule of Kubernetes' quantity library (a memory
 * limit). Prints p50, p99 and max of each after a warm-up. Run it on a quiet machine.
 */
@Command(name = "cel", mixinStandardHelpOptions = true,
    description = "Latency of one ValidatingAdmissionPolicy evaluation in-process (p50/p99).")
public final class CelBench implements Callable<Integer> {
  @Option(names = "--evaluations", description = "Measured evaluations (default ${DEFAULT-VALUE}).")
  int evaluations = 200_000;

  @Option(names = "--warmup", description = "Unrecorded evaluations first (default ${DEFAULT-VALUE}).")
  int warmup = 100_000;

  private static final String POLICY = """
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
      """;

  /** The same policy's shape with a rule of Kubernetes' quantity library instead: amounts, not numbers. */
  private static final String QUANTITY_POLICY = POLICY.replace("replica-limit", "memory-limit")
      .replace("int(params.data.maxReplicas)", "quantity(params.data.maxMemory)")
      .replace("object.spec.replicas <= variables.max",
          "object.spec.template.spec.containers.all(c, quantity(c.resources.limits.memory).isLessThan(variables.max))")
      .replace("'replicas must be no greater than ' + string(variables.max)", "'memory must be below ' + params.data.maxMemory");

  @Override
  public Integer call() {
    System.out.printf("%-58s %10s %10s %10s%n", "ValidatingAdmissionPolicy evaluation", "p50 µs", "p99 µs", "max µs");
    measure("replica-limit (int)", POLICY, "replica-limit");
    measure("memory-limit (quantity library)", QUANTITY_POLICY, "memory-limit");
    return 0;
  }

  /** Times one policy's decisions for a Deployment under and over its limit in turn, and prints a row. */
  private void measure(String label, String policy, String name) {
    var admitted = new ValidatingAdmissionPolicyStrategy().admitCreate((ObjectNode) yaml(policy));
    if (admitted.failure() != null) throw new IllegalStateException(admitted.failure().message());
    List<ValidatingAdmissionPolicy> policies = List.of(Codec.convert(admitted.object(), ValidatingAdmissionPolicy.class));
    List<ValidatingAdmissionPolicyBinding> bindings = List.of(Codec.convert(yaml("""
        {apiVersion: admissionregistration.k8s.io/v1, kind: ValidatingAdmissionPolicyBinding, metadata: {name: b},
         spec: {policyName: %s, validationActions: [Deny],
                paramRef: {name: limits, namespace: default, parameterNotFoundAction: Deny}}}""".formatted(name)),
        ValidatingAdmissionPolicyBinding.class));
    JsonNode limits = yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: limits, namespace: default}, data: {maxReplicas: '3', maxMemory: 1Gi}}");
    JsonNode namespace = yaml("{apiVersion: v1, kind: Namespace, metadata: {name: default}}");
    PolicyAdmission.Lookup lookup = new PolicyAdmission.Lookup() {
      @Override
      public JsonNode namespace(String name) {
        return namespace;
      }

      @Override
      public List<JsonNode> params(String apiVersion, String kind, String ns, String name, LabelSelector selector) {
        return List.of(limits);
      }
    };
    PolicyAdmission.Request[] requests = new PolicyAdmission.Request[2];
    for (int i = 0; i < 2; i++) {
      JsonNode d = yaml("{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: default, labels: {app: web}},"
          + " spec: {replicas: " + (i == 0 ? 2 : 5) + ", template: {spec: {containers: [{name: c, image: busybox,"
          + " resources: {limits: {memory: " + (i == 0 ? "512Mi" : "2Gi") + "}}}]}}}}");
      requests[i] = new PolicyAdmission.Request("CREATE", "apps", "v1", "Deployment", "deployments", null, "default", "web",
          true, d, null, "admin", List.of("system:masters"), false);
    }
    int denied = 0;
    for (int i = 0; i < warmup; i++) denied += PolicyAdmission.admit(policies, bindings, lookup, requests[i & 1]).allowed() ? 0 : 1;
    // every other request is over the limit: the warm-up's denials say the policy acts, the count restarts
    if (denied != warmup / 2) throw new IllegalStateException("expected " + warmup / 2 + " denials in the warm-up, got " + denied);
    denied = 0;
    long[] nanos = new long[evaluations];
    for (int i = 0; i < evaluations; i++) {
      long start = System.nanoTime();
      denied += PolicyAdmission.admit(policies, bindings, lookup, requests[i & 1]).allowed() ? 0 : 1;
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    System.out.printf("%-58s %10.1f %10.1f %10.1f%n", label + ": " + evaluations + " (" + denied + " denied)",
        nanos[evaluations / 2] / 1000.0, nanos[(int) (evaluations * 0.99)] / 1000.0, nanos[evaluations - 1] / 1000.0);
  }

  private static JsonNode yaml(String text) {
    return Codec.parseTree(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
  }
}
