package dev.tugboat.security;

import java.util.Optional;

/**
 * An authenticator of bearer tokens that can also be asked about a token alone, as a
 * {@code TokenReview} asks (Kubernetes' {@code authenticator.Token}).
 */
public interface TokenAuthenticator {
  /** Who {@code token} stands for; empty when this authenticator does not know it. */
  Optional<UserInfo> authenticateToken(String token);
}
