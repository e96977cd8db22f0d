package dev.tugboat.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kinds.configmap.ConfigMapStrategy;
import dev.tugboat.kinds.deployment.DeploymentStrategy;
import dev.tugboat.kinds.pod.PodStrategy;
import dev.tugboat.kinds.pod.PodSecurityLevel;
import dev.tugboat.model.Codec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The modes together: enforce refuses pods only, templates and the warn level are warnings. */
class PodSecurityAdmissionTest {
  private final PodSecurityAdmission admission = new PodSecurityAdmission(PodSecurityLevel.BASELINE);

  private static JsonNode yaml(String text) {
    return Codec.parseTree(text.getBytes(), true, false);
  }

  private static JsonNode namespace(String name, String labels) {
    return yaml("{metadata: {name: " + name + ", labels: " + labels + "}}");
  }

  private static final JsonNode HOST_NETWORK_POD = yaml("{spec: {hostNetwork: true, containers: [{name: c, image: i}]}}");
  private static final JsonNode PLAIN_POD = yaml("{spec: {containers: [{name: c, image: i}]}}");

  @Test
  void enforceRefusesAPodWithKubernetesStatus() {
    PodSecurityAdmission.Decision d = admission.decide(new PodStrategy(), namespace("default", "{}"), "x", HOST_NETWORK_POD);
    assertEquals(403, d.refusal().code());
    assertEquals("Forbidden", d.refusal().reason());
    assertEquals("pods \"x\" is forbidden: violates PodSecurity \"baseline:latest\": host namespaces (hostNetwork=true)",
        d.refusal().message());
  }

  @Test
  void kubeSystemAndAPrivilegedLabelAdmitIt() {
    assertNull(admission.decide(new PodStrategy(), namespace("kube-system", "{}"), "x", HOST_NETWORK_POD).refusal());
    assertNull(admission.decide(new PodStrategy(), namespace("infra", "{pod-security.kubernetes.io/enforce: privileged}"), "x",
        HOST_NETWORK_POD).refusal());
  }

  @Test
  void aTemplateIsWarnedOfNotRefused() {
    JsonNode deployment = yaml("{spec: {template: " + HOST_NETWORK_POD + "}}");
    PodSecurityAdmission.Decision d = admission.decide(new DeploymentStrategy(), namespace("default", "{}"), "web", deployment);
    assertNull(d.refusal());
    assertEquals(List.of("would violate PodSecurity \"baseline:latest\": host namespaces (hostNetwork=true)"), d.warnings());
  }

  @Test
  void theWarnLevelWarnsOfAnAdmittedPod() {
    PodSecurityAdmission.Decision d = admission.decide(new PodStrategy(),
        namespace("default", "{pod-security.kubernetes.io/warn: restricted}"), "x", PLAIN_POD);
    assertNull(d.refusal());
    assertEquals(1, d.warnings().size());
    assertEquals(true, d.warnings().get(0).startsWith("would violate PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false"),
        d.warnings().get(0));
  }

  @Test
  void otherKindsAreNotConcerned() {
    assertEquals(false, PodSecurityAdmission.concerns(new ConfigMapStrategy()));
    assertEquals(true, PodSecurityAdmission.concerns(new DeploymentStrategy()));
    assertEquals(true, PodSecurityAdmission.concerns(new PodStrategy()));
  }
}
