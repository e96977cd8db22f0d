package dev.tugboat.proxy.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;

/**
 * A certificate chain and its private key, from one version of a {@code kubernetes.io/tls} Secret.
 *
 * @param alias names this version to the key manager: the Secret's key and resourceVersion, so a
 *     handshake that began with one version finishes with it even if the Secret rotates meanwhile
 */
record TlsCredential(String alias, X509Certificate[] chain, PrivateKey key) {

  /** The credential of a Secret (as JSON, its data base64 as stored). */
  static TlsCredential of(JsonNode secret) throws GeneralSecurityException {
    String key = secret.path("metadata").path("namespace").asText() + "/" + secret.path("metadata").path("name").asText();
    String alias = key + "@" + secret.path("metadata").path("resourceVersion").asText("");
    List<X509Certificate> chain = Pem.certificates(decode(secret, "tls.crt"));
    PrivateKey privateKey = Pem.privateKey(decode(secret, "tls.key"));
    X509Certificate leaf = chain.get(0);
    String certAlgorithm = leaf.getPublicKey().getAlgorithm();
    if (!compatible(certAlgorithm, privateKey.getAlgorithm())) {
      throw new GeneralSecurityException("tls.key is a " + privateKey.getAlgorithm() + " key, tls.crt a " + certAlgorithm
          + " certificate");
    }
    if (privateKey instanceof RSAPrivateCrtKey rsa && leaf.getPublicKey() instanceof RSAPublicKey pub
        && !rsa.getModulus().equals(pub.getModulus())) {
      throw new GeneralSecurityException("tls.key does not belong to the certificate of tls.crt");
    }
    return new TlsCredential(alias, chain.toArray(X509Certificate[]::new), privateKey);
  }

  /**
   * Whether the key can serve a handshake asking for {@code keyType}: the JSSE names key types
   * as {@code RSA}, {@code EC}, {@code RSASSA-PSS}, or {@code EC_RSA} (key, then the signer's).
   */
  boolean serves(String keyType) {
    String wanted = keyType.contains("_") ? keyType.substring(0, keyType.indexOf('_')) : keyType;
    String have = key.getAlgorithm();
    return wanted.equals(have) || (wanted.equals("RSASSA-PSS") && have.equals("RSA"))
        || (wanted.equals("EdDSA") && have.startsWith("Ed"));
  }

  private static boolean compatible(String certificate, String key) {
    return certificate.equals(key) || (certificate.startsWith("Ed") && key.startsWith("Ed"))
        || (certificate.equals("RSASSA-PSS") && key.equals("RSA"));
  }

  private static String decode(JsonNode secret, String name) throws GeneralSecurityException {
    String data = secret.path("data").path(name).asText("");
    if (data.isEmpty()) throw new GeneralSecurityException("the Secret has no " + name);
    try {
      return new String(Base64.getDecoder().decode(data), StandardCharsets.US_ASCII);
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException(name + " is not base64");
    }
  }
}
