package dev.tugboat.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster CA's files, its reuse across starts, the certificates it issues and how they are judged. */
class ClusterCaTest {
  @TempDir Path dir;

  @Test
  void createdOnceThenReused() throws Exception {
    ClusterCa first = ClusterCa.loadOrCreate(dir, List.of("localhost", "127.0.0.1"));
    String admin = Files.readString(dir.resolve("admin.crt"));
    ClusterCa second = ClusterCa.loadOrCreate(dir, List.of("localhost", "127.0.0.1"));
    assertEquals(first.fingerprint(), second.fingerprint());
    assertEquals(admin, Files.readString(dir.resolve("admin.crt")), "the admin certificate is kept, not reissued");
    for (String key : List.of("ca.key", "apiserver.key", "admin.key")) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))), key);
    }
  }

  @Test
  void servingCertificateNamesTheApiAndIsReissuedForANewName() throws Exception {
    ClusterCa ca = ClusterCa.loadOrCreate(dir, List.of("localhost", "127.0.0.1", "0.0.0.0"));
    X509Certificate serving = ClusterCa.readCert(ca.serving().certPem());
    assertEquals(List.of("localhost", "127.0.0.1"), ClusterCa.sans(serving), "0.0.0.0 is no name to serve under");
    assertTrue(ca.issued(serving, Instant.now()));
    ClusterCa again = ClusterCa.loadOrCreate(dir, List.of("localhost", "127.0.0.1", "api.example.test"));
    X509Certificate reissued = ClusterCa.readCert(again.serving().certPem());
    assertTrue(ClusterCa.sans(reissued).contains("api.example.test"), ClusterCa.sans(reissued).toString());
    assertEquals(ca.fingerprint(), again.fingerprint(), "the same CA signs the new one");
  }

  @Test
  void adminCertificateIsTugboatAdminInSystemMasters() {
    ClusterCa ca = ClusterCa.loadOrCreate(dir, List.of("localhost"));
    var outcome = new X509Authenticator(ca, Clock.systemUTC()).authenticate(ClusterCa.readCert(ca.admin().certPem()));
    UserInfo user = assertInstanceOf(Authenticator.Authenticated.class, outcome).user();
    assertEquals("tugboat-admin", user.username());
    assertEquals(List.of("system:masters", "system:authenticated"), user.groups());
  }

  @Test
  void aCertificateOfAnotherCaIsRefused(@TempDir Path other) {
    ClusterCa ca = ClusterCa.loadOrCreate(dir, List.of("localhost"));
    ClusterCa stranger = ClusterCa.loadOrCreate(other, List.of("localhost"));
    assertNotEquals(ca.fingerprint(), stranger.fingerprint());
    X509Certificate foreign = ClusterCa.readCert(stranger.issueClient("tugboat-admin", List.of("system:masters"),
        Duration.ofDays(1)).certPem());
    assertFalse(ca.issued(foreign, Instant.now()));
    assertInstanceOf(Authenticator.Refused.class, new X509Authenticator(ca, Clock.systemUTC()).authenticate(foreign));
  }

  @Test
  void theServingAndMemberCertificatesAreNoAdmins() throws Exception {
    ClusterCa ca = ClusterCa.loadOrCreate(dir, List.of("localhost"));
    X509Authenticator x509 = new X509Authenticator(ca, Clock.systemUTC());
    // the API's serving certificate is for servers only: Kubernetes' verifier refuses it as a client
    var serving = x509.authenticate(ClusterCa.readCert(Files.readString(dir.resolve("apiserver.crt"))));
    assertEquals("x509: certificate specifies an incompatible key usage",
        assertInstanceOf(Authenticator.Refused.class, serving).reason());
    // the members' certificate is for both ends of remoting: as an API client it is a user in no group
    var member = x509.authenticate(ClusterCa.readCert(Files.readString(dir.resolve("member.crt"))));
    UserInfo user = assertInstanceOf(Authenticator.Authenticated.class, member).user();
    assertEquals(ClusterCa.MEMBER_NAME, user.username());
    assertEquals(List.of("system:authenticated"), user.groups());
  }

  @Test
  void anExpiredCertificateIsRefused() {
    ClusterCa ca = ClusterCa.loadOrCreate(dir, List.of("localhost"));
    X509Certificate cert = ClusterCa.readCert(ca.issueClient("jane", List.of("dev", "ops"), Duration.ofDays(1)).certPem());
    var now = new X509Authenticator(ca, Clock.systemUTC()).authenticate(cert);
    assertEquals(List.of("dev", "ops", "system:authenticated"),
        assertInstanceOf(Authenticator.Authenticated.class, now).user().groups());
    Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(2)), ZoneOffset.UTC);
    assertInstanceOf(Authenticator.Refused.class, new X509Authenticator(ca, later).authenticate(cert));
  }

  @Test
  void subjectOrderIsTheCertificates() {
    var s = X509Authenticator.subject("CN=jane,O=b,O=a");
    assertEquals("jane", s.cn());
    assertEquals(List.of("a", "b"), s.orgs());
  }
}
