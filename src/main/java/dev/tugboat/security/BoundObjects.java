package dev.tugboat.security;

import java.util.Optional;

/**
 * The rule binding a ServiceAccount token to the objects it names: the account (and, for a
 * pod-bound token, the pod) must exist with the uid in the token. An object deleted and created
 * again under the same name is another object: its old tokens do not work for it.
 */
final class BoundObjects {
  private BoundObjects() {}

  /**
   * Why the token no longer holds, or empty when it does.
   *
   * @param accountUid the account's uid now; "" when it does not exist
   * @param podUid the bound pod's uid now; "" when it does not exist (looked at only when {@code checkPod})
   */
  static Optional<String> staleness(ServiceAccountTokens.Claims claims, String accountUid, String podUid,
      boolean checkPod) {
    var account = claims.account();
    if (accountUid.isEmpty()) {
      return Optional.of("service account " + account.namespace() + "/" + account.name() + " has been deleted");
    }
    if (!accountUid.equals(account.uid())) {
      return Optional.of("service account " + account.namespace() + "/" + account.name()
          + " is another one than the token was issued for (uid changed)");
    }
    if (checkPod && claims.pod() != null) {
      if (podUid == null || podUid.isEmpty()) {
        return Optional.of("pod " + account.namespace() + "/" + claims.pod().name() + " the token is bound to has been deleted");
      }
      if (!podUid.equals(claims.pod().uid())) {
        return Optional.of("pod " + account.namespace() + "/" + claims.pod().name()
            + " is another one than the token was bound to (uid changed)");
      }
    }
    return Optional.empty();
  }
}
