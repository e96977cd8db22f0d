package dev.tugboat.security;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.WatchCache;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Bearer tokens that are ServiceAccount JWTs ({@link ServiceAccountTokens}), as kube-apiserver's
 * service account authenticator with lookup on: besides signature, expiry and audience, the account
 * must still exist with the uid the token names and, for a pod-bound token, the pod too (a token
 * stops working when its pod is deleted). Both are read from this member's index, never from
 * Cassandra per request. The user is {@code system:serviceaccount:<ns>:<name>} with its uid, in
 * {@code system:serviceaccounts}, {@code system:serviceaccounts:<ns>} and {@code system:authenticated}.
 *
 * <p>A bearer token that is no JWT of our issuer is not ours: the next authenticator (the token
 * file, which refuses what it does not know) decides. It stands before that one in the chain.
 */
public final class ServiceAccountAuthenticator implements Authenticator {
  private final ServiceAccountTokens tokens;
  private final Registry registry;
  private final Clock clock;

  public ServiceAccountAuthenticator(ServiceAccountTokens tokens, Registry registry, Clock clock) {
    this.tokens = tokens;
    this.registry = registry;
    this.clock = clock;
  }

  public ServiceAccountTokens tokens() {
    return tokens;
  }

  /** Looks nothing up: only the asynchronous form is used by the API server. */
  @Override
  public Outcome authenticate(HttpRequest request) {
    return authenticateAsync(request).toCompletableFuture().join();
  }

  @Override
  public CompletionStage<Outcome> authenticateAsync(HttpRequest request) {
    Optional<String> token = TokenFileAuthenticator.bearer(request.getHeader("Authorization").map(h -> h.value()).orElse(null));
    if (token.isEmpty()) return done(NOT_MINE);
    ServiceAccountTokens.Verification v = tokens.verify(token.get(), clock.instant());
    if (v instanceof ServiceAccountTokens.NotOurs) return done(NOT_MINE);
    if (v instanceof ServiceAccountTokens.Invalid invalid) return done(new Refused("Unauthorized: " + invalid.reason()));
    ServiceAccountTokens.Claims claims = ((ServiceAccountTokens.Valid) v).claims();
    ServiceAccountTokens.Account account = claims.account();
    return uidOf("ServiceAccount", account.namespace(), account.name()).thenCompose(saUid -> {
      Optional<String> stale = BoundObjects.staleness(claims, saUid, null, false);
      if (stale.isPresent()) return done(new Refused("Unauthorized: " + stale.get()));
      if (claims.pod() == null) return done(new Authenticated(user(claims)));
      return uidOf("Pod", account.namespace(), claims.pod().name()).thenApply(podUid -> {
        Optional<String> podStale = BoundObjects.staleness(claims, saUid, podUid, true);
        return podStale.<Outcome>map(r -> new Refused("Unauthorized: " + r)).orElse(new Authenticated(user(claims)));
      });
    }).exceptionally(e -> new Refused("Unauthorized: cannot look up the service account token's objects"));
  }

  /** The user a valid token stands for. */
  public static UserInfo user(ServiceAccountTokens.Claims claims) {
    String ns = claims.account().namespace();
    return UserInfo.authenticated(claims.username(), claims.account().uid(),
        List.of("system:serviceaccounts", "system:serviceaccounts:" + ns));
  }

  /** The uid of an object in this member's index; empty string when absent. */
  private CompletionStage<String> uidOf(String kind, String namespace, String name) {
    return registry.list(kind, namespace, o -> name.equals(o.path("metadata").path("name").asText()), 0, null)
        .thenApply((WatchCache.ListResult l) -> {
          if (l.failure() != null) throw new IllegalStateException("index unavailable");
          for (ObjectNode o : l.items()) {
            // an object being deleted (a pod terminating) still counts, as in Kubernetes, until it is gone
            return o.path("metadata").path("uid").asText("");
          }
          return "";
        });
  }

  private static CompletionStage<Outcome> done(Outcome o) {
    return CompletableFuture.completedFuture(o);
  }
}
