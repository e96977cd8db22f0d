package dev.tugboat.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

/** Kubernetes' static token file: parsing, bearer headers, and no token in any message. */
class TokenFileAuthenticatorTest {
  private static final String FILE = """
      # token,user,uid,"groups"
      s3cret-alice,alice,1001,"dev,qa"
      s3cret-bob,bob,1002

      s3cret-root,root,,system:masters
      """;
  private final TokenFileAuthenticator tokens = TokenFileAuthenticator.parse(FILE, "tokens.csv");

  private Authenticator.Outcome send(String header) {
    HttpRequest request = HttpRequest.GET("/api");
    if (header != null) request = request.addHeader(RawHeader.create("Authorization", header));
    return tokens.authenticate(request);
  }

  @Test
  void readsUsersUidsAndGroups() {
    assertEquals(3, tokens.size());
    UserInfo alice = tokens.authenticateToken("s3cret-alice").orElseThrow();
    assertEquals("alice", alice.username());
    assertEquals("1001", alice.uid());
    assertEquals(List.of("dev", "qa", UserInfo.AUTHENTICATED), alice.groups());
    assertEquals(List.of(UserInfo.AUTHENTICATED), tokens.authenticateToken("s3cret-bob").orElseThrow().groups());
    assertEquals(List.of(UserInfo.MASTERS, UserInfo.AUTHENTICATED), tokens.authenticateToken("s3cret-root").orElseThrow().groups());
    assertEquals(null, tokens.authenticateToken("s3cret-root").orElseThrow().uid());
  }

  @Test
  void aKnownBearerTokenIsItsUser() {
    var outcome = assertInstanceOf(Authenticator.Authenticated.class, send("Bearer s3cret-bob"));
    assertEquals("bob", outcome.user().username());
    assertInstanceOf(Authenticator.Authenticated.class, send("bearer   s3cret-bob  "));
  }

  @Test
  void anUnknownBearerTokenIsRefusedWithoutRepeatingIt() {
    var refused = assertInstanceOf(Authenticator.Refused.class, send("Bearer s3cret-alicX"));
    assertFalse(refused.reason().contains("s3cret"), refused.reason());
    assertEquals(Optional.empty(), tokens.authenticateToken("s3cret-alice "));
  }

  @Test
  void otherCredentialsAreNotItsConcern() {
    assertInstanceOf(Authenticator.NotMine.class, send(null));
    assertInstanceOf(Authenticator.NotMine.class, send("Basic YWxpY2U6cHc="));
    assertInstanceOf(Authenticator.NotMine.class, send("Bearer "));
  }

  @Test
  void aBadFileIsRefusedNamingTheLineNeverTheToken() {
    var tooShort = assertThrows(IllegalArgumentException.class, () -> TokenFileAuthenticator.parse("t0ken-x,alice\n", "f"));
    assertTrue(tooShort.getMessage().contains("f line 1"), tooShort.getMessage());
    assertFalse(tooShort.getMessage().contains("t0ken-x"));
    var twice = assertThrows(IllegalArgumentException.class,
        () -> TokenFileAuthenticator.parse("t0ken-x,alice,1\nt0ken-x,bob,2\n", "f"));
    assertTrue(twice.getMessage().contains("line 2"), twice.getMessage());
    assertFalse(twice.getMessage().contains("t0ken-x"));
    assertThrows(IllegalArgumentException.class, () -> TokenFileAuthenticator.parse("t,u,1,\"open\n", "f"));
  }

  /** 20,000 seeded mutations of good headers: none throws, and only a listed token, exactly, is anyone. */
  @Test
  void aSeededFuzzOfHeadersAuthenticatesNothingButTheTokens() {
    java.util.Random random = new java.util.Random(24);
    List<String> good = List.of("s3cret-alice", "s3cret-bob", "s3cret-root");
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_.~+/= \t,\"'Bb";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder header = new StringBuilder(random.nextBoolean() ? "Bearer " : random.nextBoolean() ? "bearer" : "");
      StringBuilder token = new StringBuilder(good.get(random.nextInt(good.size())));
      switch (random.nextInt(5)) {
        case 0 -> token.setCharAt(random.nextInt(token.length()), alphabet.charAt(random.nextInt(alphabet.length())));
        case 1 -> token.insert(random.nextInt(token.length() + 1), alphabet.charAt(random.nextInt(alphabet.length())));
        case 2 -> token.deleteCharAt(random.nextInt(token.length()));
        case 3 -> token.setLength(random.nextInt(token.length()));
        default -> { }
      }
      header.append(token);
      Authenticator.Outcome outcome = send(header.toString());
      if (outcome instanceof Authenticator.Authenticated a) {
        String sent = TokenFileAuthenticator.bearer(header.toString()).orElseThrow();
        assertTrue(good.contains(sent), "authenticated " + a.user() + " for " + header);
      }
    }
  }
}
