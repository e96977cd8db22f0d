package dev.tugboat.security;

import dev.tugboat.kinds.clusterrolebinding.ClusterRoleBinding;
import dev.tugboat.kinds.role.PolicyRule;
import dev.tugboat.kinds.rolebinding.RoleBinding;
import dev.tugboat.kinds.rolebinding.Subject;
import java.util.ArrayList;
import java.util.List;

/**
 * Kubernetes' RBAC authorizer over one {@link RbacPolicy}: a request is allowed when a rule of a
 * role bound to the user (by a ClusterRoleBinding anywhere, or a RoleBinding in the request's
 * namespace) matches its verb, API group, resource (with {@code resource/subresource} and
 * {@code *}/{@code *\/subresource}), name, or non-resource URL ({@code /path*} a prefix). Members
 * of {@code system:masters} are allowed everything without a look. Pure: no actor, no I/O.
 */
public final class RbacAuthorizer {
  private final RbacPolicy policy;

  /** The outcome of one check; {@code reason} says what allowed it (or why nothing did). */
  public record Decision(boolean allowed, String reason) {}

  public RbacAuthorizer(RbacPolicy policy) {
    this.policy = policy;
  }

  public Decision authorize(UserInfo user, RequestAttributes request) {
    if (user.groups().contains(UserInfo.MASTERS)) return new Decision(true, "the user is in " + UserInfo.MASTERS);
    for (ClusterRoleBinding b : policy.clusterRoleBindings()) {
      if (!bound(b.subjects(), user, "")) continue;
      for (PolicyRule rule : policy.rulesOf(b.roleRef(), "").orElse(List.of())) {
        if (allows(rule, request)) {
          return new Decision(true, "RBAC: allowed by ClusterRoleBinding \"" + b.metadata().name() + "\" of ClusterRole \""
              + b.roleRef().name() + "\" to " + describe(user));
        }
      }
    }
    if (!request.namespace().isEmpty()) {
      for (RoleBinding b : policy.roleBindings(request.namespace())) {
        if (!bound(b.subjects(), user, request.namespace())) continue;
        for (PolicyRule rule : policy.rulesOf(b.roleRef(), request.namespace()).orElse(List.of())) {
          if (allows(rule, request)) {
            return new Decision(true, "RBAC: allowed by RoleBinding \"" + b.metadata().name() + "/" + request.namespace()
                + "\" of " + b.roleRef().kind() + " \"" + b.roleRef().name() + "\" to " + describe(user));
          }
        }
      }
    }
    return new Decision(false, "");
  }

  /**
   * Every rule {@code user} holds in {@code namespace} ("" : cluster-wide only), as a
   * SelfSubjectRulesReview lists them and the escalation check compares against.
   */
  public List<PolicyRule> rulesFor(UserInfo user, String namespace) {
    List<PolicyRule> rules = new ArrayList<>();
    if (user.groups().contains(UserInfo.MASTERS)) {
      rules.add(PolicyRule.resources(List.of("*"), List.of("*"), List.of("*")));
      rules.add(PolicyRule.urls(List.of("*"), List.of("*")));
    }
    for (ClusterRoleBinding b : policy.clusterRoleBindings()) {
      if (bound(b.subjects(), user, "")) rules.addAll(policy.rulesOf(b.roleRef(), "").orElse(List.of()));
    }
    if (namespace != null && !namespace.isEmpty()) {
      for (RoleBinding b : policy.roleBindings(namespace)) {
        if (bound(b.subjects(), user, namespace)) rules.addAll(policy.rulesOf(b.roleRef(), namespace).orElse(List.of()));
      }
    }
    return rules;
  }

  public RbacPolicy policy() {
    return policy;
  }

  private static boolean bound(List<Subject> subjects, UserInfo user, String namespace) {
    if (subjects == null) return false;
    for (Subject s : subjects) {
      if (RbacPolicy.appliesTo(s, user, namespace)) return true;
    }
    return false;
  }

  /** Kubernetes' RuleAllows. */
  public static boolean allows(PolicyRule rule, RequestAttributes request) {
    if (!matches(rule.verbs(), request.verb())) return false;
    if (!request.resourceRequest()) return urlMatches(rule.nonResourceURLs(), request.path());
    return matches(rule.apiGroups(), request.apiGroup())
        && resourceMatches(rule.resources(), request.combinedResource(), request.subresource())
        && (rule.resourceNames().isEmpty() || rule.resourceNames().contains(request.name()));
  }

  private static boolean matches(List<String> values, String value) {
    return values.contains(PolicyRule.ALL) || values.contains(value);
  }

  private static boolean resourceMatches(List<String> resources, String combined, String subresource) {
    for (String r : resources) {
      if (r.equals(PolicyRule.ALL) || r.equals(combined)) return true;
      // "*/scale" names the scale subresource of every resource
      if (!subresource.isEmpty() && r.equals("*/" + subresource)) return true;
    }
    return false;
  }

  /** A rule's URL matches exactly, or is a prefix ending in {@code *}, or is {@code *}. */
  static boolean urlMatches(List<String> urls, String path) {
    for (String url : urls) {
      if (url.equals(PolicyRule.ALL) || url.equals(path)) return true;
      if (url.endsWith("*") && path.startsWith(url.substring(0, url.length() - 1))) return true;
    }
    return false;
  }

  static String describe(UserInfo user) {
    return "User \"" + user.username() + "\"";
  }

  /**
   * Kubernetes' message for a refused request: {@code User "x" cannot list resource "pods" in API
   * group "" in the namespace "y"}, {@code ... at the cluster scope}, or {@code User "x" cannot get
   * path "/apis"}.
   */
  public static String forbiddenMessage(UserInfo user, RequestAttributes request) {
    if (!request.resourceRequest()) {
      return "User \"" + user.username() + "\" cannot " + request.verb() + " path \"" + request.path() + "\"";
    }
    String prefix = "User \"" + user.username() + "\" cannot " + request.verb() + " resource \"" + request.combinedResource()
        + "\" in API group \"" + request.apiGroup() + "\"";
    return request.namespace().isEmpty() ? prefix + " at the cluster scope"
        : prefix + " in the namespace \"" + request.namespace() + "\"";
  }

  /** The whole message of the 403, as kube-apiserver words it: {@code pods "x" is forbidden: User ...}. */
  public static String forbiddenStatusMessage(UserInfo user, RequestAttributes request) {
    String message = forbiddenMessage(user, request);
    if (!request.resourceRequest() || request.resource().isEmpty()) return "forbidden: " + message;
    String resource = request.apiGroup().isEmpty() ? request.resource() : request.resource() + "." + request.apiGroup();
    return request.name().isEmpty() ? resource + " is forbidden: " + message
        : resource + " \"" + request.name() + "\" is forbidden: " + message;
  }
}
