package dev.tugboat.security;

import dev.tugboat.kinds.clusterrole.ClusterRole;
import dev.tugboat.kinds.clusterrolebinding.ClusterRoleBinding;
import dev.tugboat.kinds.role.PolicyRule;
import dev.tugboat.kinds.role.Role;
import dev.tugboat.kinds.rolebinding.RoleBinding;
import dev.tugboat.kinds.rolebinding.RoleRef;
import dev.tugboat.kinds.rolebinding.Subject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The roles and bindings of the cluster at one moment, indexed for lookups: what RBAC decides on.
 * Immutable; built from the registry's index for each decision (see {@link Rbac}), or by hand in tests.
 */
public final class RbacPolicy {
  private final Map<String, Role> roles = new HashMap<>();
  private final Map<String, ClusterRole> clusterRoles = new HashMap<>();
  private final Map<String, List<RoleBinding>> roleBindings = new HashMap<>();
  private final List<ClusterRoleBinding> clusterRoleBindings;

  public RbacPolicy(List<Role> roles, List<ClusterRole> clusterRoles, List<RoleBinding> roleBindings,
      List<ClusterRoleBinding> clusterRoleBindings) {
    roles.forEach(r -> this.roles.put(r.metadata().namespace() + "/" + r.metadata().name(), r));
    clusterRoles.forEach(r -> this.clusterRoles.put(r.metadata().name(), r));
    roleBindings.forEach(b -> this.roleBindings.computeIfAbsent(b.metadata().namespace(), k -> new ArrayList<>()).add(b));
    this.clusterRoleBindings = List.copyOf(clusterRoleBindings);
  }

  /** No roles, no bindings: only {@code system:masters} may do anything. */
  public static RbacPolicy empty() {
    return new RbacPolicy(List.of(), List.of(), List.of(), List.of());
  }

  List<ClusterRoleBinding> clusterRoleBindings() {
    return clusterRoleBindings;
  }

  List<RoleBinding> roleBindings(String namespace) {
    return roleBindings.getOrDefault(namespace, List.of());
  }

  /**
   * The rules a roleRef names, seen from {@code namespace} (a Role is looked up there); empty when
   * the role does not exist.
   */
  public Optional<List<PolicyRule>> rulesOf(RoleRef ref, String namespace) {
    if (ref == null) return Optional.empty();
    if ("ClusterRole".equals(ref.kind())) {
      return Optional.ofNullable(clusterRoles.get(ref.name())).map(r -> r.rules() == null ? List.of() : r.rules());
    }
    if ("Role".equals(ref.kind())) {
      return Optional.ofNullable(roles.get(namespace + "/" + ref.name())).map(r -> r.rules() == null ? List.of() : r.rules());
    }
    return Optional.empty();
  }

  /** Whether a subject of a binding (in {@code namespace}, "" for a ClusterRoleBinding) is {@code user}. */
  static boolean appliesTo(Subject subject, UserInfo user, String namespace) {
    if (subject == null || subject.kind() == null) return false;
    return switch (subject.kind()) {
      case Subject.USER -> user.username().equals(subject.name());
      case Subject.GROUP -> user.groups().contains(subject.name());
      case Subject.SERVICE_ACCOUNT -> {
        String ns = subject.namespace() == null || subject.namespace().isEmpty() ? namespace : subject.namespace();
        yield user.username().equals("system:serviceaccount:" + ns + ":" + subject.name());
      }
      default -> false;
    };
  }
}
