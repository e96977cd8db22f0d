package dev.tugboat.security;

import dev.tugboat.kinds.role.PolicyRule;
import java.util.ArrayList;
import java.util.List;

/**
 * Kubernetes' escalation check ({@code rbac/validation.Covers}): whether the rules a requester holds
 * cover every rule they try to write into a role or grant through a binding. Each requested rule is
 * broken into atomic parts (one verb on one resource of one group, one name; or one verb on one
 * URL), and each part must be covered by some rule held. {@code *} requested is covered only by
 * {@code *} held: nobody grants "everything" who does not hold it.
 */
public final class Escalation {
  private Escalation() {}

  /** The requested rules' atomic parts that {@code held} does not cover (empty: no escalation). */
  public static List<PolicyRule> uncovered(List<PolicyRule> held, List<PolicyRule> requested) {
    List<PolicyRule> missing = new ArrayList<>();
    for (PolicyRule rule : requested) {
      for (PolicyRule part : breakdown(rule)) {
        if (held.stream().noneMatch(h -> covers(h, part))) missing.add(part);
      }
    }
    return missing;
  }

  private static List<PolicyRule> breakdown(PolicyRule rule) {
    List<PolicyRule> parts = new ArrayList<>();
    for (String verb : rule.verbs()) {
      for (String group : rule.apiGroups()) {
        for (String resource : rule.resources()) {
          if (rule.resourceNames().isEmpty()) {
            parts.add(new PolicyRule(List.of(verb), List.of(group), List.of(resource), List.of(), List.of()));
          } else {
            for (String name : rule.resourceNames()) {
              parts.add(new PolicyRule(List.of(verb), List.of(group), List.of(resource), List.of(name), List.of()));
            }
          }
        }
      }
      for (String url : rule.nonResourceURLs()) parts.add(PolicyRule.urls(List.of(verb), List.of(url)));
    }
    return parts;
  }

  /** Whether {@code owner} covers the atomic {@code part}. */
  static boolean covers(PolicyRule owner, PolicyRule part) {
    if (!hasAll(owner.verbs(), part.verbs())) return false;
    if (!part.nonResourceURLs().isEmpty()) {
      String url = part.nonResourceURLs().get(0);
      return owner.nonResourceURLs().stream().anyMatch(o -> o.equals("*") || o.equals(url)
          || (o.endsWith("*") && url.startsWith(o.substring(0, o.length() - 1))));
    }
    if (!hasAll(owner.apiGroups(), part.apiGroups())) return false;
    String resource = part.resources().get(0);
    boolean resourceCovered = owner.resources().contains("*") || owner.resources().contains(resource)
        || (resource.contains("/") && owner.resources().contains("*/" + resource.substring(resource.indexOf('/') + 1)));
    if (!resourceCovered) return false;
    return owner.resourceNames().isEmpty() || hasAll(owner.resourceNames(), part.resourceNames()) && !part.resourceNames().isEmpty();
  }

  private static boolean hasAll(List<String> owner, List<String> wanted) {
    return owner.contains("*") || owner.containsAll(wanted);
  }

  /** The rules as Kubernetes lists them in its refusal: {@code {APIGroups:[""], Resources:["pods"], Verbs:["get"]}}. */
  public static String describe(List<PolicyRule> rules) {
    List<String> each = new ArrayList<>();
    for (PolicyRule r : rules) {
      StringBuilder b = new StringBuilder("{");
      if (!r.nonResourceURLs().isEmpty()) {
        b.append("NonResourceURLs:").append(quoted(r.nonResourceURLs())).append(", ");
      } else {
        b.append("APIGroups:").append(quoted(r.apiGroups())).append(", Resources:").append(quoted(r.resources())).append(", ");
        if (!r.resourceNames().isEmpty()) b.append("ResourceNames:").append(quoted(r.resourceNames())).append(", ");
      }
      b.append("Verbs:").append(quoted(r.verbs())).append("}");
      each.add(b.toString());
    }
    return String.join("\n", each);
  }

  private static String quoted(List<String> values) {
    return "[" + String.join(" ", values.stream().map(v -> "\"" + v + "\"").toList()) + "]";
  }
}
