package dev.tugboat.security;

import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * One way of telling who sent a request (a client certificate, a bearer token), as one of
 * Kubernetes' request authenticators. It answers only for credentials of its own kind.
 */
public interface Authenticator {
  /** The outcome of looking at one request. */
  sealed interface Outcome {}

  /** The request carries no credential of this kind: the next authenticator may look. */
  record NotMine() implements Outcome {}

  /** The credential is good: this is who sent it. */
  record Authenticated(UserInfo user) implements Outcome {}

  /** The credential is of this kind but bad (expired, unknown, badly signed): the request gets a 401. */
  record Refused(String reason) implements Outcome {}

  Outcome NOT_MINE = new NotMine();

  Outcome authenticate(HttpRequest request);

  /**
   * As {@link #authenticate}, for an authenticator that must look something up first (a
   * ServiceAccount token's account in the index); the others answer at once.
   */
  default java.util.concurrent.CompletionStage<Outcome> authenticateAsync(HttpRequest request) {
    return java.util.concurrent.CompletableFuture.completedFuture(authenticate(request));
  }
}
