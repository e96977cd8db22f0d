package dev.tugboat.kinds.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A namespace's labels as Pod Security modes, the pod inside each workload kind, and the messages. */
class PodSecurityPolicyTest {
  private static JsonNode namespace(String name, String labels) {
    return PodSecurityChecksTest.yaml("{metadata: {name: " + name + ", labels: " + labels + "}}");
  }

  @Test
  void anUnlabelledNamespaceGetsTheDefaultAndKubeSystemIsPrivileged() {
    PodSecurityPolicy plain = PodSecurityPolicy.of(namespace("default", "{}"), PodSecurityLevel.BASELINE);
    assertEquals(new PodSecurityPolicy.Mode(PodSecurityLevel.BASELINE, "latest"), plain.enforce());
    assertEquals(PodSecurityLevel.PRIVILEGED, plain.warn().level());
    assertEquals(PodSecurityLevel.PRIVILEGED, plain.audit().level());
    assertEquals(PodSecurityLevel.PRIVILEGED,
        PodSecurityPolicy.of(namespace("kube-system", "{}"), PodSecurityLevel.BASELINE).enforce().level());
    assertEquals(PodSecurityLevel.RESTRICTED, PodSecurityPolicy.of(null, PodSecurityLevel.RESTRICTED).enforce().level());
  }

  @Test
  void labelsChooseEachModeAndItsVersion() {
    PodSecurityPolicy policy = PodSecurityPolicy.of(namespace("x", "{pod-security.kubernetes.io/enforce: privileged, "
        + "pod-security.kubernetes.io/warn: restricted, pod-security.kubernetes.io/warn-version: v1.30, "
        + "pod-security.kubernetes.io/audit: baseline}"), PodSecurityLevel.BASELINE);
    assertEquals(PodSecurityLevel.PRIVILEGED, policy.enforce().level());
    assertEquals("restricted:v1.30", policy.warn().label());
    assertEquals(PodSecurityLevel.BASELINE, policy.audit().level());
    // kube-system labelled is as labelled
    assertEquals(PodSecurityLevel.BASELINE, PodSecurityPolicy.of(namespace("kube-system",
        "{pod-security.kubernetes.io/enforce: baseline}"), PodSecurityLevel.PRIVILEGED).enforce().level());
  }

  @Test
  void aLevelThatNamesNoLevelIsRestricted() {
    assertEquals(PodSecurityLevel.RESTRICTED, PodSecurityPolicy.of(namespace("x",
        "{pod-security.kubernetes.io/enforce: privilegd}"), PodSecurityLevel.BASELINE).enforce().level());
  }

  @Test
  void theTemplateOfEveryWorkloadKindIsItsPod() {
    JsonNode template = PodSecurityChecksTest.yaml("{metadata: {labels: {a: b}}, spec: {hostPID: true, containers: []}}");
    for (String kind : List.of("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job")) {
      JsonNode object = PodSecurityChecksTest.yaml("{kind: " + kind + ", spec: {template: " + template + "}}");
      assertTrue(PodSecurityPolicy.podOf(kind, object).orElseThrow().spec().path("hostPID").asBoolean(), kind);
    }
    JsonNode cronJob = PodSecurityChecksTest.yaml("{spec: {jobTemplate: {spec: {template: " + template + "}}}}");
    assertTrue(PodSecurityPolicy.podOf("CronJob", cronJob).orElseThrow().spec().path("hostPID").asBoolean());
    assertTrue(PodSecurityPolicy.podOf("Pod", template).isPresent());
    assertTrue(PodSecurityPolicy.podOf("ConfigMap", template).isEmpty());
  }

  @Test
  void messagesAreKubernetesWords() {
    var mode = new PodSecurityPolicy.Mode(PodSecurityLevel.BASELINE, "latest");
    var violations = List.of(new PodSecurityChecks.Violation("hostPath volumes", "volume \"v\""),
        new PodSecurityChecks.Violation("host namespaces", "hostNetwork=true"));
    assertEquals("violates PodSecurity \"baseline:latest\": hostPath volumes (volume \"v\"), host namespaces (hostNetwork=true)",
        PodSecurityPolicy.violates(mode, violations));
    assertEquals("would violate PodSecurity \"baseline:latest\": hostPath volumes (volume \"v\"), host namespaces (hostNetwork=true)",
        PodSecurityPolicy.wouldViolate(mode, violations));
  }
}
