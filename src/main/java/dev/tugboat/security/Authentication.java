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

  /**
   * A TokenReview's answer: who {@code token} stands for, asked of the bearer-token authenticators
   * in the chain's order (ServiceAccount tokens, with their lookups, then the token file).
   * {@link Authenticator.Authenticated}, {@link Authenticator.Refused} with why, or NotMine when
   * none knows it.
   */
  public java.util.concurrent.CompletionStage<Authenticator.Outcome> reviewToken(String token) {
    HttpRequest request = HttpRequest.create().addHeader(
        org.apache.pekko.http.javadsl.model.headers.RawHeader.create("Authorization", "Bearer " + token));
    List<Authenticator> bearers = authenticators.stream()
        .filter(a -> a instanceof ServiceAccountAuthenticator || a instanceof TokenAuthenticator).toList();
    java.util.concurrent.CompletionStage<Authenticator.Outcome> outcome =
        java.util.concurrent.CompletableFuture.completedFuture(Authenticator.NOT_MINE);
    for (Authenticator a : bearers) {
      outcome = outcome.thenCompose(o -> o instanceof Authenticator.NotMine ? a.authenticateAsync(request)
          : java.util.concurrent.CompletableFuture.completedFuture(o));
    }
    return outcome;
  }

  /** The ServiceAccount tokens this chain accepts, which the API server therefore issues; empty when none. */
  public java.util.Optional<ServiceAccountTokens> serviceAccountTokens() {
    return authenticators.stream().filter(a -> a instanceof ServiceAccountAuthenticator)
        .map(a -> ((ServiceAccountAuthenticator) a).tokens()).findFirst();
  }

  /** True when some authenticator takes bearer tokens (a TokenReview can say yes). */
  public boolean checksTokens() {
    return authenticators.stream().anyMatch(a -> a instanceof TokenAuthenticator || a instanceof ServiceAccountAuthenticator);
  }
}
