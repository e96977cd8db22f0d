package dev.tugboat.kinds.role;

import dev.tugboat.model.FieldError;
import java.util.List;

/** Kubernetes' ValidatePolicyRule, shared by Role and ClusterRole. */
public final class PolicyRules {
  private PolicyRules() {}

  /** The errors of {@code rules}; a namespaced role's rules may not name non-resource URLs. */
  public static void validate(List<PolicyRule> rules, boolean namespaced, List<FieldError> errors) {
    if (rules == null) return;
    for (int i = 0; i < rules.size(); i++) {
      String at = "rules[" + i + "]";
      PolicyRule rule = rules.get(i);
      if (rule == null) {
        errors.add(FieldError.required(at, null));
        continue;
      }
      if (rule.verbs().isEmpty()) errors.add(FieldError.required(at + ".verbs", "verbs must contain at least one value"));
      if (!rule.nonResourceURLs().isEmpty()) {
        if (namespaced) {
          errors.add(FieldError.invalid(at + ".nonResourceURLs", rule.nonResourceURLs(),
              "namespaced rules cannot apply to non-resource URLs"));
        }
        if (!rule.apiGroups().isEmpty() || !rule.resources().isEmpty() || !rule.resourceNames().isEmpty()) {
          errors.add(FieldError.invalid(at + ".nonResourceURLs", rule.nonResourceURLs(),
              "rules cannot apply to both regular resources and non-resource URLs"));
        }
        for (int u = 0; u < rule.nonResourceURLs().size(); u++) {
          String url = rule.nonResourceURLs().get(u);
          if (!url.startsWith("/") && !url.equals(PolicyRule.ALL)) {
            errors.add(FieldError.invalid(at + ".nonResourceURLs[" + u + "]", url, "must start with \"/\""));
          }
        }
        continue;
      }
      if (rule.apiGroups().isEmpty()) {
        errors.add(FieldError.required(at + ".apiGroups", "resource rules must supply at least one api group"));
      }
      if (rule.resources().isEmpty()) {
        errors.add(FieldError.required(at + ".resources", "resource rules must supply at least one resource"));
      }
    }
  }
}
