package dev.tugboat.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Signs and checks ServiceAccount tokens: JWS RS256 with the claims kube-apiserver puts in a
 * bound token ({@code iss}, {@code sub = system:serviceaccount:<ns>:<name>}, {@code aud},
 * {@code exp}, {@code iat}, {@code nbf}, {@code jti}, and {@code kubernetes.io} with the namespace,
 * the account's name and uid and, for a pod-bound token, the pod's). The key id is the SHA-256 of
 * the public key, base64url, as Kubernetes computes it. Pure: no actors, no registry; whether the
 * account and pod still exist is the authenticator's question ({@link ServiceAccountAuthenticator}).
 */
public final class ServiceAccountTokens {
  /** The issuer and default audience kube-apiserver uses out of the box. */
  public static final String DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local";
  /** TokenRequest's floor for expirationSeconds, as Kubernetes'. */
  public static final Duration MIN_TTL = Duration.ofMinutes(10);
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);
  private static final String PREFIX = "system:serviceaccount:";
  // A token signed on a member whose clock runs a little ahead is not refused as not yet valid.
  private static final Duration NOT_BEFORE_LEEWAY = Duration.ofSeconds(60);

  private final ServiceAccountKeys keys;
  private final String issuer;
  private final List<String> audiences;

  /**
   * @param issuer the {@code iss} of tokens issued, and the only one accepted
   * @param audiences the audiences the API server accepts (a token must name one) and the default of a TokenRequest
   */
  public ServiceAccountTokens(ServiceAccountKeys keys, String issuer, List<String> audiences) {
    if (audiences.isEmpty()) throw new IllegalArgumentException("the API server accepts at least one audience");
    this.keys = keys;
    this.issuer = issuer;
    this.audiences = List.copyOf(audiences);
  }

  /** The account a token is for. */
  public record Account(String namespace, String name, String uid) {}

  /** The pod a token is bound to. */
  public record BoundPod(String name, String uid) {}

  /** A signed token and when it expires. */
  public record Issued(String token, Instant expiration) {}

  /** What a valid token says; {@code pod} null when it is bound to none. */
  public record Claims(Account account, BoundPod pod, List<String> audiences, Instant expiration) {
    /** {@code system:serviceaccount:<ns>:<name>}. */
    public String username() {
      return PREFIX + account.namespace() + ":" + account.name();
    }
  }

  /** The outcome of checking a token. */
  public sealed interface Verification {}

  /** Signed by one of our keys, by us, for one of our audiences, current. */
  public record Valid(Claims claims) implements Verification {}

  /** Not one of ours: not a JWT, or of another issuer (another authenticator may know it). */
  public record NotOurs() implements Verification {}

  /** Ours, but not good (bad signature, expired, another audience): refused, for {@code reason}. */
  public record Invalid(String reason) implements Verification {}

  public List<String> audiences() {
    return audiences;
  }

  public String issuer() {
    return issuer;
  }

  /** A token for {@code account} (bound to {@code pod} unless null), valid from {@code now} for {@code ttl}. */
  public Issued issue(Account account, BoundPod pod, List<String> audiences, Duration ttl, Instant now) {
    Instant iat = Instant.ofEpochSecond(now.getEpochSecond());
    Instant exp = iat.plus(ttl);
    Map<String, Object> k8s = new LinkedHashMap<>();
    k8s.put("namespace", account.namespace());
    if (pod != null) k8s.put("pod", Map.of("name", pod.name(), "uid", pod.uid()));
    k8s.put("serviceaccount", Map.of("name", account.name(), "uid", account.uid()));
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(PREFIX + account.namespace() + ":" + account.name())
        .audience(audiences.isEmpty() ? this.audiences : audiences)
        .issueTime(Date.from(iat))
        .notBeforeTime(Date.from(iat))
        .expirationTime(Date.from(exp))
        .jwtID(UUID.randomUUID().toString())
        .claim("kubernetes.io", k8s)
        .build();
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId(keys.signingPublic())).build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(new RSASSASigner(keys.signing()));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a ServiceAccount token: " + e.getMessage(), e);
    }
    return new Issued(jwt.serialize(), exp);
  }

  /** Checks {@code token} at {@code now}: signature, issuer, time, audience and the claims' shape. */
  public Verification verify(String token, Instant now) {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return new NotOurs();
    }
    if (!issuer.equals(claims.getIssuer())) return new NotOurs();
    if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) return new Invalid("unexpected signing algorithm");
    if (!signedByUs(jwt)) return new Invalid("invalid token signature");
    Date exp = claims.getExpirationTime();
    if (exp == null || !now.isBefore(exp.toInstant())) return new Invalid("token has expired");
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.plus(NOT_BEFORE_LEEWAY).isBefore(nbf.toInstant())) return new Invalid("token is not valid yet");
    List<String> aud = claims.getAudience();
    if (aud == null || aud.stream().noneMatch(audiences::contains)) return new Invalid("token audiences are not accepted");
    try {
      Map<String, Object> k8s = claims.getJSONObjectClaim("kubernetes.io");
      if (k8s == null) return new Invalid("token has no kubernetes.io claim");
      String namespace = (String) k8s.get("namespace");
      Map<?, ?> sa = (Map<?, ?>) k8s.get("serviceaccount");
      if (namespace == null || sa == null || sa.get("name") == null || sa.get("uid") == null) {
        return new Invalid("token names no service account");
      }
      Account account = new Account(namespace, (String) sa.get("name"), (String) sa.get("uid"));
      if (!(PREFIX + namespace + ":" + account.name()).equals(claims.getSubject())) {
        return new Invalid("token subject does not match its service account");
      }
      BoundPod pod = null;
      if (k8s.get("pod") instanceof Map<?, ?> p) {
        if (p.get("name") == null || p.get("uid") == null) return new Invalid("token names a pod without name or uid");
        pod = new BoundPod((String) p.get("name"), (String) p.get("uid"));
      }
      return new Valid(new Claims(account, pod, List.copyOf(aud), exp.toInstant()));
    } catch (ParseException | ClassCastException e) {
      return new Invalid("token has malformed kubernetes.io claims");
    }
  }

  private boolean signedByUs(SignedJWT jwt) {
    for (RSAPublicKey key : keys.verifying()) {
      try {
        if (jwt.verify(new RSASSAVerifier(key))) return true;
      } catch (JOSEException e) {
        // not this key: try the next
      }
    }
    return false;
  }

  /** Kubernetes' key id: the unpadded base64url SHA-256 of the public key's DER encoding. */
  static String keyId(RSAPublicKey key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
