package dev.tugboat.security;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kinds.role.PolicyRule;
import dev.tugboat.kinds.role.Role;
import dev.tugboat.kinds.rolebinding.RoleRef;
import dev.tugboat.model.Codec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Kubernetes' escalation prevention for RBAC writes: nobody writes into a Role or ClusterRole a
 * rule they do not hold (unless they may {@code escalate} roles), and nobody binds a role whose
 * rules they do not hold (unless they may {@code bind} it). Setting an aggregation rule, which can
 * gather anything, takes every right. {@code system:masters} may do all of it. Pure: it decides
 * on one {@link RbacAuthorizer}'s policy.
 */
public final class EscalationCheck {
  private static final List<PolicyRule> EVERYTHING = List.of(
      PolicyRule.resources(List.of("*"), List.of("*"), List.of("*")), PolicyRule.urls(List.of("*"), List.of("*")));

  private EscalationCheck() {}

  /** The kinds whose writes are checked. */
  public static boolean checks(String kind) {
    return List.of("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding").contains(kind);
  }

  /**
   * Why {@code user} may not write {@code object} (of {@code kind}, in {@code namespace}, "" for the
   * cluster kinds), worded as Kubernetes' 403 message after "is forbidden: "; empty when they may.
   */
  public static Optional<String> refusal(RbacAuthorizer authorizer, UserInfo user, String kind, String namespace,
      JsonNode object) {
    if (user.groups().contains(UserInfo.MASTERS)) return Optional.empty();
    String ns = namespace == null ? "" : namespace;
    String name = object.path("metadata").path("name").asText("");
    List<PolicyRule> held = authorizer.rulesFor(user, ns);
    switch (kind) {
      case "Role", "ClusterRole" -> {
        String resource = kind.equals("Role") ? "roles" : "clusterroles";
        if (kind.equals("ClusterRole") && object.path("aggregationRule").isObject()
            && !Escalation.uncovered(held, EVERYTHING).isEmpty()) {
          return Optional.of("must have cluster-admin privileges to use the aggregationRule");
        }
        if (may(authorizer, user, "escalate", resource, ns, name)) return Optional.empty();
        List<PolicyRule> rules = rules(object.path("rules"));
        return notHeld(user, Escalation.uncovered(held, rules));
      }
      case "RoleBinding", "ClusterRoleBinding" -> {
        RoleRef ref;
        try {
          ref = Codec.convert(object.path("roleRef"), RoleRef.class);
        } catch (RuntimeException e) {
          return Optional.empty(); // validation refuses it with a 422 naming the field
        }
        if (ref == null || ref.name() == null) return Optional.empty();
        String refResource = "ClusterRole".equals(ref.kind()) ? "clusterroles" : "roles";
        if (may(authorizer, user, "bind", refResource, ns, ref.name())) {
          return Optional.empty();
        }
        Optional<List<PolicyRule>> granted = authorizer.policy().rulesOf(ref, ns);
        if (granted.isEmpty()) {
          return Optional.of(("ClusterRole".equals(ref.kind()) ? "clusterrole" : "role") + "." + Role.GROUP + " \""
              + ref.name() + "\" not found");
        }
        return notHeld(user, Escalation.uncovered(held, granted.get()));
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  private static boolean may(RbacAuthorizer authorizer, UserInfo user, String verb, String resource, String namespace,
      String name) {
    return authorizer.authorize(user, RequestAttributes.resource(verb, Role.GROUP, resource, "", namespace, name)).allowed();
  }

  private static Optional<String> notHeld(UserInfo user, List<PolicyRule> missing) {
    if (missing.isEmpty()) return Optional.empty();
    String groups = String.join(",", user.groups().stream().map(g -> "\"" + g + "\"").toList());
    return Optional.of("user \"" + user.username() + "\" (groups=[" + groups + "]) is attempting to grant RBAC permissions"
        + " not currently held:\n" + Escalation.describe(missing));
  }

  private static List<PolicyRule> rules(JsonNode rules) {
    List<PolicyRule> out = new ArrayList<>();
    for (JsonNode r : rules) {
      try {
        PolicyRule rule = Codec.convert(r, PolicyRule.class);
        if (rule != null) out.add(rule);
      } catch (RuntimeException e) {
        // a malformed rule is refused by validation (422); there is nothing to grant in it
      }
    }
    return out;
  }
}
