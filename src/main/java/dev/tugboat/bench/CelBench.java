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
 * and under the limit in turn. Prints p50, p99 and max after a warm-up. Run it on a quiet machine.
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

  @Override
  public Integer call() {
    var admitted = new ValidatingAdmissionPolicyStrategy().admitCreate((ObjectNode) yaml(POLICY));
    if (admitted.failure() != null) throw new IllegalStateException(admitted.failure().message());
    List<ValidatingAdmissionPolicy> policies = List.of(Codec.convert(admitted.object(), ValidatingAdmissionPolicy.class));
    List<ValidatingAdmissionPolicyBinding> bindings = List.of(Codec.convert(yaml("""
        {apiVersion: admissionregistration.k8s.io/v1, kind: ValidatingAdmissionPolicyBinding, metadata: {name: b},
         spec: {policyName: replica-limit, validationActions: [Deny],
                paramRef: {name: limits, namespace: default, parameterNotFoundAction: Deny}}}"""),
        ValidatingAdmissionPolicyBinding.class));
    JsonNode limits = yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: limits, namespace: default}, data: {maxReplicas: '3'}}");
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
          + " spec: {replicas: " + (i == 0 ? 2 : 5) + ", template: {spec: {containers: [{name: c, image: busybox}]}}}}");
      requests[i] = new PolicyAdmission.Request("CREATE", "apps", "v1", "Deployment", "deployments", null, "default", "web",
          true, d, null, "admin", List.of("system:masters"), false);
    }
    int denied = 0;
    for (int i = 0; i < warmup; i++) denied += PolicyAdmission.admit(policies, bindings, lookup, requests[i & 1]).allowed() ? 0 : 1;
    long[] nanos = new long[evaluations];
    for (int i = 0; i < evaluations; i++) {
      long start = System.nanoTime();
      denied += PolicyAdmission.admit(policies, bindings, lookup, requests[i & 1]).allowed() ? 0 : 1;
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    System.out.printf("%-40s %10s %10s %10s%n", "ValidatingAdmissionPolicy evaluation", "p50 µs", "p99 µs", "max µs");
    System.out.printf("%-40s %10.1f %10.1f %10.1f%n", evaluations + " evaluations (" + denied + " denials)",
        nanos[evaluations / 2] / 1000.0, nanos[(int) (evaluations * 0.99)] / 1000.0, nanos[evaluations - 1] / 1000.0);
    return 0;
  }

  private static JsonNode yaml(String text) {
    return Codec.parseTree(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
  }
}
