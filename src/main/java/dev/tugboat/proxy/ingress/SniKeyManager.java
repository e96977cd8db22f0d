package dev.tugboat.proxy.ingress;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The ingress controller's server key manager: each handshake gets the certificate of the Secret
 * its requested host (SNI) is bound to ({@link TlsBindings}), as it is at that moment. A rotated
 * Secret is seen by the next handshake with no restart or rebind: the controller calls
 * {@link #update} and the SSLContext stays the same.
 */
final class SniKeyManager extends X509ExtendedKeyManager {
  private record Snapshot(TlsBindings bindings, Map<String, TlsCredential> bySecret) {}

  private volatile Snapshot snapshot = new Snapshot(TlsBindings.EMPTY, Map.of());
  /**
   * Credentials by alias, of this snapshot and the one before: a handshake that chose an alias
   * just before an update still finds its chain and key.
   */
  private final Map<String, TlsCredential> byAlias = new ConcurrentHashMap<>();

  /** Replaces the bindings and the credentials ({@code namespace/name} of a Secret to its current credential). */
  synchronized void update(TlsBindings bindings, Map<String, TlsCredential> bySecret) {
    Snapshot previous = snapshot;
    Snapshot next = new Snapshot(bindings, Map.copyOf(bySecret));
    next.bySecret().values().forEach(c -> byAlias.put(c.alias(), c));
    Map<String, TlsCredential> keep = new HashMap<>();
    previous.bySecret().values().forEach(c -> keep.put(c.alias(), c));
    next.bySecret().values().forEach(c -> keep.put(c.alias(), c));
    byAlias.keySet().retainAll(keep.keySet());
    snapshot = next;
  }

  /** The credential a handshake for {@code host} would get now; null for none. */
  TlsCredential credentialFor(String host) {
    Snapshot s = snapshot;
    String secret = s.bindings().secretFor(host);
    return secret == null ? null : s.bySecret().get(secret);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return choose(keyType, engine == null ? null : engine.getHandshakeSession());
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return choose(keyType, socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null);
  }

  private String choose(String keyType, SSLSession session) {
    TlsCredential credential = credentialFor(requestedHost(session));
    return credential != null && credential.serves(keyType) ? credential.alias() : null;
  }

  /** The host name the client asked for (SNI), normalized; "" when it asked for none. */
  private static String requestedHost(SSLSession session) {
    if (session instanceof ExtendedSSLSession extended) {
      for (SNIServerName name : extended.getRequestedServerNames()) {
        if (name instanceof SNIHostName host) return HostMatch.normalize(host.getAsciiName());
      }
    }
    return "";
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    TlsCredential c = byAlias.get(alias);
    return c == null ? null : c.chain().clone();
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    TlsCredential c = byAlias.get(alias);
    return c == null ? null : c.key();
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return snapshot.bySecret().values().stream().filter(c -> c.serves(keyType)).map(TlsCredential::alias)
        .toArray(String[]::new);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }
}
