package dev.tugboat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy;
import dev.tugboat.kinds.mutatingwebhookconfiguration.MutatingWebhookConfigurationStrategy;
import dev.tugboat.kinds.validatingadmissionpolicy.ValidatingAdmissionPolicy;
import dev.tugboat.kinds.validatingadmissionpolicy.ValidatingAdmissionPolicyStrategy;
import dev.tugboat.kinds.validatingadmissionpolicybinding.PolicyAdmission;
import dev.tugboat.kinds.validatingadmissionpolicybinding.ValidatingAdmissionPolicyBinding;
import dev.tugboat.kinds.validatingadmissionpolicybinding.ValidatingAdmissionPolicyBindingStrategy;
import dev.tugboat.kinds.validatingwebhookconfiguration.ValidatingWebhookConfigurationStrategy;
import dev.tugboat.model.Codec;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.patch.JsonPatch;
import dev.tugboat.testing.SelfSigned;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@code tug bench api --admission} installs: every manifest is one its kind's strategy admits,
 * the policies allow the benchmark's writes and refuse each its own violation (in the labelled
 * namespace only), and the mutating webhook's patch adds its label.
 */
class BenchAdmissionTest {
  private static final String CA = SelfSigned.rsa("localhost").certificate();
  private static final String BASE = "https://localhost:8443";

  private static ObjectNode admitted(KindStrategy strategy, String manifest) throws Exception {
    KindStrategy.Admission a = strategy.admitCreate((ObjectNode) HttpApi.JSON.readTree(manifest));
    assertNull(a.failure(), () -> a.failure().message() + " " + a.failure().details());
    return a.object();
  }

  @Test
  void theWebhookConfigurationsAreValidAndMatchTheLabelledNamespacesDeployments() throws Exception {
    ObjectNode mutating = admitted(new MutatingWebhookConfigurationStrategy(), BenchAdmission.mutatingConfiguration(BASE, CA));
    ObjectNode validating = admitted(new ValidatingWebhookConfigurationStrategy(),
        BenchAdmission.validatingConfiguration(BASE, CA));
    assertEquals(1, mutating.path("webhooks").size());
    assertEquals(2, validating.path("webhooks").size());
    List<JsonNode> hooks = List.of(mutating.at("/webhooks/0"), validating.at("/webhooks/0"), validating.at("/webhooks/1"));
    for (int i = 0; i < hooks.size(); i++) {
      JsonNode w = hooks.get(i);
      assertEquals(BASE + BenchAdmission.HOOKS.get(i), w.at("/clientConfig/url").asText());
      assertEquals("deployments", w.at("/rules/0/resources/0").asText());
      assertEquals("on", w.at("/namespaceSelector/matchLabels").path(BenchAdmission.LABEL).asText());
      assertEquals("Fail", w.path("failurePolicy").asText());
    }
  }

  @Test
  void thePoliciesAllowTheBenchmarksWritesAndEachRefusesItsViolation() throws Exception {
    List<ValidatingAdmissionPolicy> policies = new java.util.ArrayList<>();
    List<ValidatingAdmissionPolicyBinding> bindings = new java.util.ArrayList<>();
    for (BenchAdmission.Policy p : BenchAdmission.POLICIES) {
      policies.add(Codec.convert(admitted(new ValidatingAdmissionPolicyStrategy(), BenchAdmission.policy(p)),
          ValidatingAdmissionPolicy.class));
      bindings.add(Codec.convert(admitted(new ValidatingAdmissionPolicyBindingStrategy(), BenchAdmission.binding(p)),
          ValidatingAdmissionPolicyBinding.class));
    }
    assertEquals(5, policies.size());
    JsonNode created = HttpApi.JSON.readTree(ApiBench.deployment("api-12345"));
    ObjectNode patched = created.deepCopy();
    patched.with("metadata").with("labels").put("seq", "12347").put(BenchAdmission.MUTATED, "yes");
    for (String namespace : List.of("with", "without")) {
      assertTrue(decide(policies, bindings, namespace, "CREATE", created).allowed(), namespace);
      assertTrue(decide(policies, bindings, namespace, "UPDATE", patched).allowed(), namespace);
    }
    for (BenchAdmission.Policy p : BenchAdmission.POLICIES) {
      JsonNode bad = HttpApi.JSON.readTree(BenchAdmission.violating(p, ApiBench.deployment("probe-" + p.name())));
      PolicyAdmission.Decision d = decide(policies, bindings, "with", "CREATE", bad);
      assertTrue(!d.allowed() && d.denial().message().contains("'" + p.fullName() + "'"),
          p.name() + " refuses " + bad + ": " + d);
      assertTrue(decide(policies, bindings, "without", "CREATE", bad).allowed(), "only the labelled namespace: " + p.name());
    }
  }

  private static PolicyAdmission.Decision decide(List<ValidatingAdmissionPolicy> policies,
      List<ValidatingAdmissionPolicyBinding> bindings, String namespace, String operation, JsonNode object) throws Exception {
    JsonNode ns = HttpApi.JSON.readTree(BenchAdmission.namespace(namespace, namespace.equals("with")));
    PolicyAdmission.Lookup lookup = new PolicyAdmission.Lookup() {
      @Override
      public JsonNode namespace(String name) {
        return ns;
      }

      @Override
      public List<JsonNode> params(String apiVersion, String kind, String n, String name, LabelSelector selector) {
        return List.of();
      }
    };
    return PolicyAdmission.admit(policies, bindings, lookup, new PolicyAdmission.Request(operation, "apps", "v1",
        "Deployment", "deployments", null, namespace, object.at("/metadata/name").asText(), true, object,
        operation.equals("UPDATE") ? object : null, "admin", List.of("system:masters"), false));
  }

  @Test
  void theMutatingWebhooksPatchAddsItsLabelWithOrWithoutLabels() throws Exception {
    JsonNode bare = HttpApi.JSON.readTree(ApiBench.deployment("api-1"));
    ObjectNode labelled = bare.deepCopy();
    labelled.with("metadata").with("labels").put("seq", "3");
    for (JsonNode object : List.of(bare, labelled)) {
      JsonNode after = JsonPatch.apply(object, HttpApi.JSON.readTree(BenchAdmission.labelPatch(object)));
      assertEquals("yes", after.at("/metadata/labels").path(BenchAdmission.MUTATED).asText(), after.toString());
    }
    assertEquals("3", JsonPatch.apply(labelled, HttpApi.JSON.readTree(BenchAdmission.labelPatch(labelled)))
        .at("/metadata/labels/seq").asText());
  }
}
