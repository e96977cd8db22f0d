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
}
