package dev.tugboat.security;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides whether a user may do what a request asks, as Kubernetes' {@code authorizer.Authorizer}.
 * Chosen by {@code tugboat.api.authorization-mode}: {@code AlwaysAllow} or {@code RBAC}.
 */
public interface Authorizer {
  CompletionStage<RbacAuthorizer.Decision> authorize(UserInfo user, RequestAttributes request);

  /** Whether RBAC decides (so role writes are checked for escalation, and reviews read roles). */
  default boolean rbac() {
    return false;
  }

  /** Everyone may do everything: Tugboat before authorization, and a development cluster by choice. */
  Authorizer ALWAYS_ALLOW = (user, request) ->
      CompletableFuture.completedFuture(new RbacAuthorizer.Decision(true, "authorization mode AlwaysAllow"));

  /** The authorizer of a mode's name; IllegalArgumentException naming the known ones otherwise. */
  static Authorizer of(String mode, Rbac rbac) {
    return switch (mode) {
      case "AlwaysAllow" -> ALWAYS_ALLOW;
      case "RBAC" -> rbac;
      default -> throw new IllegalArgumentException("tugboat.api.authorization-mode: unknown mode \"" + mode
          + "\"; known: AlwaysAllow, RBAC");
    };
  }
}
