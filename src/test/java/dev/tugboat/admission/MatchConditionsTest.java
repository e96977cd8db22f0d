package dev.tugboat.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.validatingwebhookconfiguration.Webhook;
import dev.tugboat.model.ResourceType;
import dev.tugboat.registry.DynamicAdmission;
import dev.tugboat.registry.Requester;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatchConditionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Webhook hook(Webhook.MatchCondition... conditions) {
    return new Webhook("h.example.com", new Webhook.ClientConfig("https://h", null, null), List.of(), "Fail", "Equivalent",
        null, null, "None", 10, List.of("v1"), null, List.of(conditions));
  }

  private static String unmatched(Webhook hook, String object) throws Exception {
    var attrs = new DynamicAdmission.Attributes(DynamicAdmission.Operation.CREATE, ResourceType.byKind("ConfigMap").orElseThrow(),
        null, "default", "c", false, new Requester("alice", "", List.of(), null));
    var review = new DynamicAdmission.Review(attrs, null, (ObjectNode) JSON.readTree(object));
    return MatchConditions.unmatched(hook, review, AdmissionReviews.request("u", review).path("request"));
  }

  @Test
  void aWebhookIsCalledOnlyWhenEveryConditionHolds() throws Exception {
    var byName = new Webhook.MatchCondition("not-skipped", "object.metadata.name != 'skip-me'");
    var byUser = new Webhook.MatchCondition("alice", "request.userInfo.username == 'alice'");
    assertNull(unmatched(hook(byName, byUser), "{\"metadata\":{\"name\":\"c\"}}"));
    assertEquals("", unmatched(hook(byName, byUser), "{\"metadata\":{\"name\":\"skip-me\"}}"));
    assertNull(unmatched(hook(), "{\"metadata\":{\"name\":\"skip-me\"}}"));
  }

  @Test
  void anErrorIsAFailureUnlessAnotherConditionIsFalse() throws Exception {
    var erring = new Webhook.MatchCondition("erring", "object.spec.missing == 1");
    String error = unmatched(hook(erring), "{\"metadata\":{\"name\":\"c\"}}");
    assertTrue(error != null && error.startsWith("failed to evaluate matchCondition 'erring'"), error);
    var no = new Webhook.MatchCondition("no", "false");
    assertEquals("", unmatched(hook(erring, no), "{\"metadata\":{\"name\":\"c\"}}"));
  }
}
