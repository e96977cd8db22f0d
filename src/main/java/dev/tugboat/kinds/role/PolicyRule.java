package dev.tugboat.kinds.role;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One rule of a Role or ClusterRole (rbac.authorization.k8s.io/v1 PolicyRule): the verbs allowed on
 * resources of some API groups (optionally only the objects named), or on non-resource URLs. Absent
 * lists read as empty; {@code *} matches anything in its list.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PolicyRule(List<String> verbs, List<String> apiGroups, List<String> resources, List<String> resourceNames,
    List<String> nonResourceURLs) {
  /** Matches every value of the list it is in. */
  public static final String ALL = "*";

  public PolicyRule {
    verbs = verbs == null ? List.of() : List.copyOf(verbs);
    apiGroups = apiGroups == null ? List.of() : List.copyOf(apiGroups);
    resources = resources == null ? List.of() : List.copyOf(resources);
    resourceNames = resourceNames == null ? List.of() : List.copyOf(resourceNames);
    nonResourceURLs = nonResourceURLs == null ? List.of() : List.copyOf(nonResourceURLs);
  }

  /** A rule on resources. */
  public static PolicyRule resources(List<String> verbs, List<String> apiGroups, List<String> resources) {
    return new PolicyRule(verbs, apiGroups, resources, List.of(), List.of());
  }

  /** A rule on non-resource URLs. */
  public static PolicyRule urls(List<String> verbs, List<String> urls) {
    return new PolicyRule(verbs, List.of(), List.of(), List.of(), urls);
  }
}
