package dev.tugboat.kinds.validatingwebhookconfiguration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy;
import dev.tugboat.kinds.mutatingwebhookconfiguration.MutatingWebhookConfigurationStrategy;
import dev.tugboat.testing.SelfSigned;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ValidatingWebhookConfigurationStrategyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CA = Base64.getEncoder().encodeToString(SelfSigned.ec("hooks.default.svc").certificate().getBytes());

  private static ObjectNode config(String kind, String webhook) throws Exception {
    return (ObjectNode) JSON.readTree("""
        {"apiVersion":"admissionregistration.k8s.io/v1","kind":"%sWebhookConfiguration","metadata":{"name":"c"},
         "webhooks":[%s]}""".formatted(kind, webhook));
  }

  private static String hook(String extra) {
    return """
        {"name":"a.example.com","clientConfig":{"service":{"namespace":"default","name":"hooks"},"caBundle":"%s"},
         "rules":[{"operations":["CREATE"],"apiGroups":[""],"apiVersions":["v1"],"resources":["pods"]}],
         "sideEffects":"None","admissionReviewVersions":["v1"]%s}""".formatted(CA, extra);
  }

  private static KindStrategy.Admission admit(KindStrategy s, ObjectNode o) {
    return s.admit(null, o);
  }

  private static void assertField(KindStrategy s, ObjectNode o, String field) {
    KindStrategy.Admission a = admit(s, o);
    assertTrue(a.failure() != null && a.failure().code() == 422, String.valueOf(a.failure()));
    assertTrue(a.failure().details().causes().stream().anyMatch(c -> field.equals(c.field())),
        field + " in " + a.failure());
  }

  @Test
  void kubernetesDefaultsAreSet() throws Exception {
    var admitted = admit(new MutatingWebhookConfigurationStrategy(), config("Mutating", hook("")));
    assertNull(admitted.failure(), String.valueOf(admitted.failure()));
    var w = admitted.object().at("/webhooks/0");
    assertEquals("Fail", w.path("failurePolicy").asText());
    assertEquals("Equivalent", w.path("matchPolicy").asText());
    assertEquals(10, w.path("timeoutSeconds").asInt());
    assertEquals("Never", w.path("reinvocationPolicy").asText());
    assertEquals("{}", w.path("namespaceSelector").toString());
    assertEquals("{}", w.path("objectSelector").toString());
    assertEquals("*", w.at("/rules/0/scope").asText());
    assertEquals(443, w.at("/clientConfig/service/port").asInt());
    var validating = admit(new ValidatingWebhookConfigurationStrategy(), config("Validating", hook("")));
    assertTrue(validating.object().at("/webhooks/0/reinvocationPolicy").isMissingNode());
  }

  @Test
  void badConfigurationsAreRefusedNamingTheField() throws Exception {
    var s = new ValidatingWebhookConfigurationStrategy();
    assertField(s, config("Validating", hook("").replace(CA, Base64.getEncoder().encodeToString("junk".getBytes()))),
        "webhooks[0].clientConfig.caBundle");
    assertField(s, config("Validating", hook("").replace(CA, "%%%")), "webhooks[0].clientConfig.caBundle");
    assertField(s, config("Validating", hook("").replace("\"service\":{\"namespace\":\"default\",\"name\":\"hooks\"},", "")),
        "webhooks[0].clientConfig");
    assertField(s, config("Validating", hook("").replace("\"service\"", "\"url\":\"https://h.example.com\",\"service\"")),
        "webhooks[0].clientConfig");
    assertField(s, config("Validating", hook("").replace("\"service\":{\"namespace\":\"default\",\"name\":\"hooks\"}",
        "\"url\":\"http://h.example.com\"")), "webhooks[0].clientConfig.url");
    assertField(s, config("Validating", hook(",\"timeoutSeconds\":0")), "webhooks[0].timeoutSeconds");
    assertField(s, config("Validating", hook(",\"timeoutSeconds\":31")), "webhooks[0].timeoutSeconds");
    assertField(s, config("Validating", hook(",\"failurePolicy\":\"Maybe\"")), "webhooks[0].failurePolicy");
    assertField(s, config("Validating", hook(",\"matchPolicy\":\"Loose\"")), "webhooks[0].matchPolicy");
    assertField(s, config("Validating", hook("").replace("\"sideEffects\":\"None\"", "\"sideEffects\":\"Some\"")),
        "webhooks[0].sideEffects");
    assertField(s, config("Validating", hook("").replace("[\"CREATE\"]", "[\"CREATE\",\"PATCH\"]")),
        "webhooks[0].rules[0].operations[1]");
    assertField(s, config("Validating", hook("").replace("\"name\":\"a.example.com\"", "\"name\":\"short\"")),
        "webhooks[0].name");
    assertField(s, config("Validating", hook("") + "," + hook("")), "webhooks[1].name");
    assertField(new MutatingWebhookConfigurationStrategy(), config("Mutating", hook(",\"reinvocationPolicy\":\"Always\"")),
        "webhooks[0].reinvocationPolicy");
    assertField(s, config("Validating", hook(",\"matchConditions\":[{\"name\":\"a\"}]")),
        "webhooks[0].matchConditions[0].expression");
    assertField(s, config("Validating", hook(",\"matchConditions\":[{\"name\":\"a\",\"expression\":\"object.metadata.name ==\"}]")),
        "webhooks[0].matchConditions[0].expression");
    assertField(s, config("Validating", hook(",\"matchConditions\":[{\"name\":\"a\",\"expression\":\"params.x\"}]")),
        "webhooks[0].matchConditions[0].expression");
    var fine = admit(s, config("Validating", hook(",\"matchConditions\":[{\"name\":\"a\",\"expression\":\"request.userInfo.username != 'x'\"}]")));
    assertNull(fine.failure(), String.valueOf(fine.failure()));
  }
}
