package dev.tugboat.proxy.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import dev.tugboat.testing.SelfSigned;
import java.io.IOException;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The TLS side of the ingress controller without actors: PEM in every form, SNI, rotation, real handshakes. */
class SniKeyManagerTest {
  private final SniKeyManager keyManager = new SniKeyManager();
  private final ExecutorService server = Executors.newSingleThreadExecutor();
  private SSLServerSocket socket;

  private static ObjectNode secret(String name, String version, String certificate, String key) {
    ObjectNode s = JsonNodeFactory.instance.objectNode().put("type", "kubernetes.io/tls");
    s.putObject("metadata").put("name", name).put("namespace", "default").put("resourceVersion", version);
    s.putObject("data").put("tls.crt", SelfSigned.b64(certificate)).put("tls.key", SelfSigned.b64(key));
    return s;
  }

  private static ObjectNode ingress(String yaml) {
    return (ObjectNode) Codec.parseTree(yaml.getBytes(), true, false);
  }

  @BeforeEach
  void listen() throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(new KeyManager[] {keyManager}, null, null);
    socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    server.submit(() -> {
      while (!socket.isClosed()) {
        try (SSLSocket accepted = (SSLSocket) socket.accept()) {
          accepted.startHandshake();
        } catch (IOException e) {
          // a failed handshake, or the end
        }
      }
      return null;
    });
  }

  @AfterEach
  void close() throws IOException {
    socket.close();
    server.shutdownNow();
  }

  /** The certificate a fresh client handshake asking for {@code host} (null: no SNI) gets. */
  private X509Certificate handshake(String host) throws Exception {
    SSLContext client = SSLContext.getInstance("TLS");
    client.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), socket.getLocalPort())) {
      var parameters = s.getSSLParameters();
      parameters.setServerNames(host == null ? List.of() : List.of(new SNIHostName(host)));
      s.setSSLParameters(parameters);
      s.startHandshake();
      return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }
  }

  @Test
  void everyKeyFormOpensslWritesIsRead() throws GeneralSecurityException {
    SelfSigned rsa = SelfSigned.rsa("a.example.com");
    SelfSigned ec = SelfSigned.ec("b.example.com");
    for (String key : List.of(rsa.pkcs8(), rsa.traditional())) {
      assertEquals("RSA", TlsCredential.of(secret("rsa", "1", rsa.certificate(), key)).key().getAlgorithm());
    }
    for (String key : List.of(ec.pkcs8(), ec.traditional())) {
      assertEquals("EC", TlsCredential.of(secret("ec", "1", ec.certificate(), key)).key().getAlgorithm());
    }
    GeneralSecurityException mismatch = assertThrows(GeneralSecurityException.class,
        () -> TlsCredential.of(secret("x", "1", rsa.certificate(), SelfSigned.rsa("other").pkcs8())));
    assertEquals("tls.key does not belong to the certificate of tls.crt", mismatch.getMessage());
    assertThrows(GeneralSecurityException.class, () -> TlsCredential.of(secret("x", "1", rsa.certificate(), ec.pkcs8())));
    assertThrows(GeneralSecurityException.class, () -> TlsCredential.of(secret("x", "1", "garbage", rsa.pkcs8())));
    assertThrows(GeneralSecurityException.class, () -> TlsCredential.of(secret("x", "1", rsa.certificate(), "garbage")));
  }

  @Test
  void theCertificateIsChosenBySniAndARotationIsSeenByTheNextHandshake() throws Exception {
    SelfSigned a = SelfSigned.rsa("a.example.com");
    SelfSigned wild = SelfSigned.ec("*.wild.example.com");
    ObjectNode web = ingress("""
        metadata: {name: web, namespace: default, creationTimestamp: "2025-01-01T00:00:00Z"}
        spec:
          tls:
          - {hosts: [a.example.com], secretName: a}
          - {hosts: ["*.wild.example.com"], secretName: wild}
        """);
    TlsBindings bindings = TlsBindings.build(List.of(web));
    keyManager.update(bindings, Map.of("default/a", TlsCredential.of(secret("a", "1", a.certificate(), a.pkcs8())),
        "default/wild", TlsCredential.of(secret("wild", "1", wild.certificate(), wild.traditional()))));
    assertEquals(a.x509(), handshake("a.example.com"));
    assertEquals(wild.x509(), handshake("x.wild.example.com"));
    assertEquals(a.x509(), handshake(null), "no SNI: the first certificate");
    assertThrows(SSLHandshakeException.class, () -> handshake("unknown.example.org"), "an unknown host gets none");

    SelfSigned rotated = SelfSigned.rsa("a.example.com");
    keyManager.update(bindings, Map.of("default/a", TlsCredential.of(secret("a", "2", rotated.certificate(), rotated.traditional())),
        "default/wild", TlsCredential.of(secret("wild", "1", wild.certificate(), wild.traditional()))));
    assertEquals(rotated.x509(), handshake("a.example.com"), "the rotated Secret's certificate");
    keyManager.update(TlsBindings.EMPTY, Map.of());
    assertNull(keyManager.credentialFor("a.example.com"));
    assertThrows(SSLHandshakeException.class, () -> handshake("a.example.com"));
  }

  @Test
  void aHostlessEntryIsTheDefaultAndTheOlderIngressWins() {
    ObjectNode old = ingress("""
        metadata: {name: old, namespace: default, creationTimestamp: "2025-01-01T00:00:00Z"}
        spec: {tls: [{hosts: [a.example.com], secretName: old}]}
        """);
    ObjectNode newer = ingress("""
        metadata: {name: newer, namespace: other, creationTimestamp: "2025-02-01T00:00:00Z"}
        spec: {tls: [{hosts: [a.example.com, b.example.com], secretName: newer}, {secretName: fallback}]}
        """);
    TlsBindings b = TlsBindings.build(List.of(newer, old));
    assertEquals("default/old", b.secretFor("a.example.com"));
    assertEquals("other/newer", b.secretFor("b.example.com"));
    assertEquals("other/fallback", b.secretFor("c.example.com"));
    assertEquals("other/fallback", b.secretFor(""));
  }
}
