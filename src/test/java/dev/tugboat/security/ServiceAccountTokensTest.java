package dev.tugboat.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Codec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ServiceAccount JWTs without actors: the claims as Kubernetes issues them, signature, expiry, audience, binding. */
class ServiceAccountTokensTest {
  private static final ServiceAccountKeys KEYS = ServiceAccountKeys.generate();
  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  private final ServiceAccountTokens tokens =
      new ServiceAccountTokens(KEYS, ServiceAccountTokens.DEFAULT_ISSUER, List.of(ServiceAccountTokens.DEFAULT_ISSUER));
  private final ServiceAccountTokens.Account build = new ServiceAccountTokens.Account("ci", "builder", "sa-uid-1");

  private static JsonNode part(String token, int i) throws Exception {
    return Codec.json().readTree(new String(Base64.getUrlDecoder().decode(token.split("\\.")[i]), StandardCharsets.UTF_8));
  }

  @Test
  void claimsAreKubernetes() throws Exception {
    var pod = new ServiceAccountTokens.BoundPod("web-1", "pod-uid-1");
    var issued = tokens.issue(build, pod, List.of(), Duration.ofSeconds(3600), NOW);
    assertEquals(NOW.plusSeconds(3600), issued.expiration());
    JsonNode header = part(issued.token(), 0);
    assertEquals("RS256", header.path("alg").asText());
    assertEquals(ServiceAccountTokens.keyId(KEYS.signingPublic()), header.path("kid").asText());
    JsonNode c = part(issued.token(), 1);
    assertEquals(ServiceAccountTokens.DEFAULT_ISSUER, c.path("iss").asText());
    assertEquals("system:serviceaccount:ci:builder", c.path("sub").asText());
    // one audience is written as a string (RFC 7519 allows either; Nimbus collapses a list of one)
    JsonNode aud = c.path("aud");
    assertEquals(ServiceAccountTokens.DEFAULT_ISSUER, aud.isArray() ? aud.get(0).asText() : aud.asText());
    assertEquals(NOW.getEpochSecond(), c.path("iat").asLong());
    assertEquals(NOW.getEpochSecond(), c.path("nbf").asLong());
    assertEquals(NOW.getEpochSecond() + 3600, c.path("exp").asLong());
    assertTrue(c.path("jti").asText().length() > 10);
    JsonNode k8s = c.path("kubernetes.io");
    assertEquals("ci", k8s.path("namespace").asText());
    assertEquals("builder", k8s.path("serviceaccount").path("name").asText());
    assertEquals("sa-uid-1", k8s.path("serviceaccount").path("uid").asText());
    assertEquals("web-1", k8s.path("pod").path("name").asText());
    assertEquals("pod-uid-1", k8s.path("pod").path("uid").asText());
  }

  @Test
  void verifiesItsOwnAndReadsTheClaimsBack() {
    var issued = tokens.issue(build, null, List.of(), Duration.ofMinutes(10), NOW);
    var v = assertInstanceOf(ServiceAccountTokens.Valid.class, tokens.verify(issued.token(), NOW.plusSeconds(30)));
    assertEquals(build, v.claims().account());
    assertNull(v.claims().pod());
    assertEquals("system:serviceaccount:ci:builder", v.claims().username());
    UserInfo user = ServiceAccountAuthenticator.user(v.claims());
    assertEquals("sa-uid-1", user.uid());
    assertEquals(List.of("system:serviceaccounts", "system:serviceaccounts:ci", UserInfo.AUTHENTICATED), user.groups());
  }

  @Test
  void expiredTokensAreRefused() {
    var issued = tokens.issue(build, null, List.of(), Duration.ofMinutes(10), NOW);
    assertInstanceOf(ServiceAccountTokens.Valid.class, tokens.verify(issued.token(), NOW.plusSeconds(599)));
    var expired = assertInstanceOf(ServiceAccountTokens.Invalid.class, tokens.verify(issued.token(), NOW.plusSeconds(600)));
    assertEquals("token has expired", expired.reason());
    assertInstanceOf(ServiceAccountTokens.Invalid.class, tokens.verify(issued.token(), NOW.minusSeconds(3600)));
  }

  @Test
  void anotherAudienceIsRefused() {
    var issued = tokens.issue(build, null, List.of("vault"), Duration.ofMinutes(10), NOW);
    var refused = assertInstanceOf(ServiceAccountTokens.Invalid.class, tokens.verify(issued.token(), NOW));
    assertEquals("token audiences are not accepted", refused.reason());
    var vault = new ServiceAccountTokens(KEYS, ServiceAccountTokens.DEFAULT_ISSUER, List.of("vault"));
    assertInstanceOf(ServiceAccountTokens.Valid.class, vault.verify(issued.token(), NOW));
  }

  @Test
  void anotherKeysSignatureOrATamperedTokenIsRefused() {
    var other = new ServiceAccountTokens(ServiceAccountKeys.generate(), ServiceAccountTokens.DEFAULT_ISSUER,
        List.of(ServiceAccountTokens.DEFAULT_ISSUER));
    String forged = other.issue(build, null, List.of(), Duration.ofMinutes(10), NOW).token();
    assertEquals(new ServiceAccountTokens.Invalid("invalid token signature"), tokens.verify(forged, NOW));
    String[] parts = tokens.issue(build, null, List.of(), Duration.ofMinutes(10), NOW).token().split("\\.");
    String evil = Base64.getUrlEncoder().withoutPadding().encodeToString(new String(Base64.getUrlDecoder().decode(parts[1]),
        StandardCharsets.UTF_8).replace("builder", "admins1").getBytes(StandardCharsets.UTF_8));
    assertEquals(new ServiceAccountTokens.Invalid("invalid token signature"),
        tokens.verify(parts[0] + "." + evil + "." + parts[2], NOW));
  }

  @Test
  void somethingElseIsNotOurs() {
    assertInstanceOf(ServiceAccountTokens.NotOurs.class, tokens.verify("s3cret-alice", NOW));
    var elsewhere = new ServiceAccountTokens(KEYS, "https://other.example", List.of("https://other.example"));
    String theirs = elsewhere.issue(build, null, List.of(), Duration.ofMinutes(10), NOW).token();
    assertInstanceOf(ServiceAccountTokens.NotOurs.class, tokens.verify(theirs, NOW));
  }

  @Test
  void boundPodRule() {
    var pod = new ServiceAccountTokens.BoundPod("web-1", "pod-uid-1");
    var claims = new ServiceAccountTokens.Claims(build, pod, List.of("a"), NOW);
    assertTrue(BoundObjects.staleness(claims, "sa-uid-1", "pod-uid-1", true).isEmpty());
    assertTrue(BoundObjects.staleness(claims, "", "pod-uid-1", true).orElseThrow().contains("has been deleted"));
    assertTrue(BoundObjects.staleness(claims, "sa-uid-2", "pod-uid-1", true).orElseThrow().contains("uid changed"));
    assertTrue(BoundObjects.staleness(claims, "sa-uid-1", "", true).orElseThrow().contains("pod ci/web-1"));
    assertTrue(BoundObjects.staleness(claims, "sa-uid-1", "pod-uid-2", true).orElseThrow().contains("uid changed"));
    var unbound = new ServiceAccountTokens.Claims(build, null, List.of("a"), NOW);
    assertTrue(BoundObjects.staleness(unbound, "sa-uid-1", "", true).isEmpty());
  }

  @Test
  void keysAreKeptAndOldPublicKeysStillVerify(@TempDir Path dir) throws Exception {
    ServiceAccountKeys first = ServiceAccountKeys.loadOrCreate(dir);
    assertEquals(first.signingPublic(), ServiceAccountKeys.loadOrCreate(dir).signingPublic());
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("sa.key"))));
    String old = new ServiceAccountTokens(first, ServiceAccountTokens.DEFAULT_ISSUER, List.of("a"))
        .issue(build, null, List.of(), Duration.ofMinutes(10), NOW).token();
    // rotation as docs/security.md says: the public key kept as sa-old.pub, the private key deleted
    Files.move(dir.resolve("sa.pub"), dir.resolve("sa-old.pub"));
    Files.delete(dir.resolve("sa.key"));
    ServiceAccountKeys rotated = ServiceAccountKeys.loadOrCreate(dir);
    assertTrue(!rotated.signingPublic().equals(first.signingPublic()));
    assertEquals(2, rotated.verifying().size());
    var after = new ServiceAccountTokens(rotated, ServiceAccountTokens.DEFAULT_ISSUER, List.of("a"));
    assertInstanceOf(ServiceAccountTokens.Valid.class, after.verify(old, NOW));
    Files.delete(dir.resolve("sa-old.pub"));
    var retired = new ServiceAccountTokens(ServiceAccountKeys.loadOrCreate(dir), ServiceAccountTokens.DEFAULT_ISSUER,
        List.of("a"));
    assertInstanceOf(ServiceAccountTokens.Invalid.class, retired.verify(old, NOW));
  }
}
