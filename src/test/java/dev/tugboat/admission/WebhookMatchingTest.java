package dev.tugboat.admission;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.validatingwebhookconfiguration.Webhook;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.ResourceType;
import dev.tugboat.registry.DynamicAdmission;
import dev.tugboat.registry.DynamicAdmission.Operation;
import dev.tugboat.registry.Requester;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookMatchingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static DynamicAdmission.Attributes attrs(Operation op, String kind, String sub, String namespace) {
    return new DynamicAdmission.Attributes(op, ResourceType.byKind(kind).orElseThrow(), sub, namespace, "x", false,
        Requester.NONE);
  }

  private static Webhook hook(String matchPolicy, LabelSelector ns, LabelSelector obj, Webhook.Rule... rules) {
    return new Webhook("h.example.com", new Webhook.ClientConfig("https://h", null, null), List.of(rules), "Fail",
        matchPolicy, ns, obj, "None", 10, List.of("v1"), null, null);
  }

  private static Webhook.Rule rule(List<String> ops, List<String> groups, List<String> versions, List<String> resources,
      String scope) {
    return new Webhook.Rule(ops, groups, versions, resources, scope);
  }

  @Test
  void rulesMatchOperationGroupVersionResourceAndScope() {
    Webhook pods = hook("Exact", null, null, rule(List.of("CREATE"), List.of(""), List.of("v1"), List.of("pods"), "*"));
    assertTrue(WebhookMatching.rulesMatch(pods, attrs(Operation.CREATE, "Pod", null, "default")));
    assertFalse(WebhookMatching.rulesMatch(pods, attrs(Operation.UPDATE, "Pod", null, "default")));
    assertFalse(WebhookMatching.rulesMatch(pods, attrs(Operation.CREATE, "Pod", "status", "default")), "no subresource named");
    assertFalse(WebhookMatching.rulesMatch(pods, attrs(Operation.CREATE, "ConfigMap", null, "default")));
    assertFalse(WebhookMatching.rulesMatch(pods, attrs(Operation.CREATE, "Deployment", null, "default")), "another group");

    Webhook exactV2 = hook("Exact", null, null, rule(List.of("*"), List.of("apps"), List.of("v2"), List.of("*"), "*"));
    assertFalse(WebhookMatching.rulesMatch(exactV2, attrs(Operation.CREATE, "Deployment", null, "default")));
    Webhook equivalentV2 = hook("Equivalent", null, null, rule(List.of("*"), List.of("apps"), List.of("v2"), List.of("*"), "*"));
    assertTrue(WebhookMatching.rulesMatch(equivalentV2, attrs(Operation.CREATE, "Deployment", null, "default")));

    Webhook cluster = hook("Exact", null, null, rule(List.of("*"), List.of("*"), List.of("*"), List.of("*"), "Cluster"));
    assertTrue(WebhookMatching.rulesMatch(cluster, attrs(Operation.DELETE, "Namespace", null, null)));
    assertFalse(WebhookMatching.rulesMatch(cluster, attrs(Operation.DELETE, "Pod", null, "default")));
    Webhook namespaced = hook("Exact", null, null, rule(List.of("*"), List.of("*"), List.of("*"), List.of("*"), "Namespaced"));
    assertTrue(WebhookMatching.rulesMatch(namespaced, attrs(Operation.DELETE, "Pod", null, "default")));
  }

  @Test
  void subresourcesAreMatchedOnlyWhenNamed() {
    assertTrue(WebhookMatching.resourceMatches(List.of("pods/status"), "pods", "status"));
    assertFalse(WebhookMatching.resourceMatches(List.of("pods/status"), "pods", null));
    assertTrue(WebhookMatching.resourceMatches(List.of("pods/*"), "pods", "status"));
    assertTrue(WebhookMatching.resourceMatches(List.of("pods/*"), "pods", null), "pods/* covers pods too, as Kubernetes");
    assertTrue(WebhookMatching.resourceMatches(List.of("*/status"), "deployments", "status"));
    assertFalse(WebhookMatching.resourceMatches(List.of("*"), "deployments", "status"));
    assertTrue(WebhookMatching.resourceMatches(List.of("*/*"), "deployments", "scale"));
  }

  @Test
  void webhookConfigurationsAreNeverSentToWebhooks() {
    Webhook all = hook("Exact", null, null, rule(List.of("*"), List.of("*"), List.of("*"), List.of("*/*"), "*"));
    assertFalse(WebhookMatching.rulesMatch(all, attrs(Operation.CREATE, "ValidatingWebhookConfiguration", null, null)));
    assertFalse(WebhookMatching.rulesMatch(all, attrs(Operation.DELETE, "MutatingWebhookConfiguration", null, null)));
    assertTrue(WebhookMatching.rulesMatch(all, attrs(Operation.CREATE, "Secret", null, "default")));
  }

  @Test
  void selectorsOnTheNamespacesLabelsAndOnEitherObjectsLabels() throws Exception {
    LabelSelector team = new LabelSelector(Map.of("team", "a"), null);
    Webhook byNamespace = hook("Exact", team, null);
    ObjectNode pod = (ObjectNode) JSON.readTree("{\"metadata\":{\"name\":\"p\",\"labels\":{\"team\":\"a\"}}}");
    ObjectNode other = (ObjectNode) JSON.readTree("{\"metadata\":{\"name\":\"p\"}}");
    var podReview = new DynamicAdmission.Review(attrs(Operation.CREATE, "Pod", null, "default"), null, other);
    assertTrue(WebhookMatching.namespaceMatches(byNamespace, podReview, Map.of("team", "a")));
    assertFalse(WebhookMatching.namespaceMatches(byNamespace, podReview, Map.of("team", "b")));
    assertFalse(WebhookMatching.namespaceMatches(byNamespace, podReview, null));
    // a Namespace is matched on its own labels; other cluster-scoped objects always
    var nsReview = new DynamicAdmission.Review(attrs(Operation.CREATE, "Namespace", null, null), null, pod);
    assertTrue(WebhookMatching.namespaceMatches(byNamespace, nsReview, null));
    var nodeReview = new DynamicAdmission.Review(attrs(Operation.CREATE, "Node", null, null), null, other);
    assertTrue(WebhookMatching.namespaceMatches(byNamespace, nodeReview, null));

    Webhook byObject = hook("Exact", null, team);
    assertTrue(WebhookMatching.objectMatches(byObject, new DynamicAdmission.Review(podReview.attributes(), null, pod)));
    assertFalse(WebhookMatching.objectMatches(byObject, podReview));
    // an update that removes the label is still seen: the old object matches
    assertTrue(WebhookMatching.objectMatches(byObject, new DynamicAdmission.Review(podReview.attributes(), pod, other)));
    assertTrue(WebhookMatching.objectMatches(byObject, new DynamicAdmission.Review(podReview.attributes(), pod, null)));
  }
}
