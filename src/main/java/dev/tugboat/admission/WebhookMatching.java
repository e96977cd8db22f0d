package dev.tugboat.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kinds.validatingwebhookconfiguration.Webhook;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.registry.DynamicAdmission;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which requests a webhook is called for, as Kubernetes' webhook rule matcher and its namespace and
 * object selectors decide. Pure: the caller brings the namespace's labels.
 */
public final class WebhookMatching {
  private WebhookMatching() {}

  /**
   * Kinds never sent to webhooks, as Kubernetes exempts them: a webhook that is down or refuses
   * everything could otherwise never be removed or fixed.
   */
  public static final Set<String> EXEMPT_KINDS = Set.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
      "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "MutatingAdmissionPolicy",
      "MutatingAdmissionPolicyBinding");

  /** Whether any of the webhook's rules matches the request (Kubernetes: no rules, no match). */
  public static boolean rulesMatch(Webhook webhook, DynamicAdmission.Attributes a) {
    if (EXEMPT_KINDS.contains(a.type().kind())) return false;
    if (webhook.rules() == null) return false;
    for (Webhook.Rule rule : webhook.rules()) {
      if (ruleMatches(rule, a, !Webhook.EXACT.equals(webhook.matchPolicy()))) return true;
    }
    return false;
  }

  /**
   * One rule: its operation, group, version (any of the kind's, under matchPolicy Equivalent: every
   * version of a kind is the same object here), resource (with {@code *}, {@code x/*},
   * {@code *}{@code /status}) and scope.
   */
  public static boolean ruleMatches(Webhook.Rule rule, DynamicAdmission.Attributes a, boolean equivalent) {
    if (!anyOf(rule.operations(), a.operation().name())) return false;
    if (!anyOf(rule.apiGroups(), a.type().group())) return false;
    if (!equivalent && !anyOf(rule.apiVersions(), a.type().version())) return false;
    if (!resourceMatches(rule.resources(), a.type().plural(), a.subResource())) return false;
    String scope = rule.scope() == null ? "*" : rule.scope();
    return switch (scope) {
      case "Cluster" -> !a.type().namespaced();
      case "Namespaced" -> a.type().namespaced();
      default -> true;
    };
  }

  private static boolean anyOf(List<String> values, String value) {
    if (values == null) return false;
    for (String v : values) {
      if ("*".equals(v) || v.equals(value)) return true;
    }
    return false;
  }

  static boolean resourceMatches(List<String> resources, String resource, String subResource) {
    if (resources == null) return false;
    String sub = subResource == null ? "" : subResource;
    for (String r : resources) {
      int slash = r.indexOf('/');
      String res = slash < 0 ? r : r.substring(0, slash);
      String rSub = slash < 0 ? "" : r.substring(slash + 1);
      if (!("*".equals(res) || res.equals(resource))) continue;
      if (rSub.equals("*") || rSub.equals(sub)) return true;
    }
    return false;
  }

  /**
   * The namespace selector: a namespaced object is matched on its namespace's labels, a Namespace on
   * its own; other cluster-scoped objects always match (Kubernetes' rule).
   *
   * @param namespaceLabels the namespace's labels (null: the namespace is not known, as if it had none)
   */
  public static boolean namespaceMatches(Webhook webhook, DynamicAdmission.Review review, Map<String, String> namespaceLabels) {
    LabelSelector selector = webhook.namespaceSelector();
    if (selector == null || selector.isEmpty()) return true;
    DynamicAdmission.Attributes a = review.attributes();
    if ("Namespace".equals(a.type().kind())) {
      return selector.toSelector().matches(labels(review.object() != null ? review.object() : review.oldObject()));
    }
    if (!a.type().namespaced()) return true;
    return selector.toSelector().matches(namespaceLabels == null ? Map.of() : namespaceLabels);
  }

  /** The object selector, on the new object's labels or the old one's (either matching is enough). */
  public static boolean objectMatches(Webhook webhook, DynamicAdmission.Review review) {
    LabelSelector selector = webhook.objectSelector();
    if (selector == null || selector.isEmpty()) return true;
    var matcher = selector.toSelector();
    return (review.object() != null && matcher.matches(labels(review.object())))
        || (review.oldObject() != null && matcher.matches(labels(review.oldObject())));
  }

  /** An object's labels (none: empty). */
  public static Map<String, String> labels(JsonNode object) {
    Map<String, String> labels = new HashMap<>();
    if (object == null) return labels;
    object.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }
}
