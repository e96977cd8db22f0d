package dev.tugboat.security;

import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * The chain of authenticators every API request passes: the first that recognises a credential
 * decides; a request with none is {@link UserInfo#ANONYMOUS}, left to authorization to allow or not.
 */
public final class Authentication {
  private final List<Authenticator> authenticators;

  public Authentication(List<Authenticator> authenticators) {
    this.authenticators = List.copyOf(authenticators);
  }

  /** Who sent the request: {@link Authenticator.Authenticated} or {@link Authenticator.Refused}, never NotMine. */
  public Authenticator.Outcome authenticate(HttpRequest request) {
    for (Authenticator authenticator : authenticators) {
      Authenticator.Outcome outcome = authenticator.authenticate(request);
      if (!(outcome instanceof Authenticator.NotMine)) return outcome;
    }
    return new Authenticator.Authenticated(UserInfo.ANONYMOUS);
  }

  /**
   * As {@link #authenticate}, letting each authenticator look things up ({@link Authenticator#authenticateAsync}):
   * what the API server calls for every request.
   */
  public java.util.concurrent.CompletionStage<Authenticator.Outcome> authenticateAsync(HttpRequest request) {
    return next(request, 0);
  }

  private java.util.concurrent.CompletionStage<Authenticator.Outcome> next(HttpRequest request, int i) {
    if (i == authenticators.size()) {
      return java.util.concurrent.CompletableFuture.completedFuture(new Authenticator.Authenticated(UserInfo.ANONYMOUS));
    }
    return authenticators.get(i).authenticateAsync(request)
        .thenCompose(outcome -> outcome instanceof Authenticator.NotMine ? next(request, i + 1)
            : java.util.concurrent.CompletableFuture.completedFuture(outcome));
  }

  /** Who a bearer token stands for, by the first token authenticator that knows it (a TokenReview). */
  public java.util.Optional<UserInfo> authenticateToken(String token) {
    for (Authenticator authenticator : authenticators) {
      if (authenticator instanceof TokenAuthenticator tokens) {
        var user = tokens.authenticateToken(token);
        if (user.isPresent()) return user;
      }
    }
    return java.util.Optional.empty();
  }

  /** The ServiceAccount tokens this chain accepts, which the API server therefore issues; empty when none. */
  public java.util.Optional<ServiceAccountTokens> serviceAccountTokens() {
    return authenticators.stream().filter(a -> a instanceof ServiceAccountAuthenticator)
        .map(a -> ((ServiceAccountAuthenticator) a).tokens()).findFirst();
  }

  /** True when some authenticator takes bearer tokens (a TokenReview can say yes). */
  public boolean checksTokens() {
    return authenticators.stream().anyMatch(a -> a instanceof TokenAuthenticator);
  }
}
