package dev.tugboat.admission;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tugboat.testing.SelfSigned;
import org.junit.jupiter.api.Test;

class ServerNamesTest {
  @Test
  void aCertificateIsForTheNamesInItsSubjectAltNames() {
    var cert = SelfSigned.ec("hooks.shop.svc", "*.example.com").x509();
    assertTrue(ServerNames.matches(cert, "hooks.shop.svc"));
    assertTrue(ServerNames.matches(cert, "HOOKS.shop.svc."));
    assertTrue(ServerNames.matches(cert, "a.example.com"));
    assertFalse(ServerNames.matches(cert, "a.b.example.com"), "a wildcard stands for one label");
    assertFalse(ServerNames.matches(cert, "example.com"));
    assertFalse(ServerNames.matches(cert, "hooks.other.svc"));
    assertFalse(ServerNames.matches(cert, "10.0.0.1"), "an address dialled is not a DNS name");
  }
}
