package dev.tugboat.kinds.rolebinding;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Whom a binding grants its role: a {@code User}, a {@code Group} (both of apiGroup
 * rbac.authorization.k8s.io) or a {@code ServiceAccount} (core group, with its namespace).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Subject(String kind, String apiGroup, String name, String namespace) {
  public static final String USER = "User";
  public static final String GROUP = "Group";
  public static final String SERVICE_ACCOUNT = "ServiceAccount";

  /** The user name a ServiceAccount authenticates as, as Kubernetes names it. */
  public String serviceAccountUser() {
    return "system:serviceaccount:" + namespace + ":" + name;
  }
}
