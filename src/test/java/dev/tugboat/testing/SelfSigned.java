package dev.tugboat.testing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed certificates made in the test, with BouncyCastle (on the test classpath through the
 * official Kubernetes client), as PEM: what {@code kubectl create secret tls} reads from files.
 *
 * @param certificate the certificate, PEM
 * @param pkcs8 its key as {@code PRIVATE KEY}
 * @param traditional its key as {@code RSA PRIVATE KEY} or {@code EC PRIVATE KEY} (openssl's older form)
 */
public record SelfSigned(X509Certificate x509, String certificate, String pkcs8, String traditional) {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** An RSA 2048 certificate for {@code hosts} (the first is its CN; all are DNS names in its SAN). */
  public static SelfSigned rsa(String... hosts) {
    return make("RSA", hosts);
  }

  /** A P-256 EC certificate for {@code hosts}. */
  public static SelfSigned ec(String... hosts) {
    return make("EC", hosts);
  }

  private static SelfSigned make(String algorithm, String... hosts) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (algorithm.equals("EC")) generator.initialize(new ECGenParameterSpec("secp256r1"));
      else generator.initialize(2048);
      KeyPair keys = generator.generateKeyPair();
      X500Name name = new X500Name("CN=" + hosts[0]);
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(SERIAL.incrementAndGet()),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), name, keys.getPublic());
      GeneralName[] names = new GeneralName[hosts.length];
      for (int i = 0; i < hosts.length; i++) names[i] = new GeneralName(GeneralName.dNSName, hosts[i]);
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      var signer = new JcaContentSignerBuilder(algorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA").build(keys.getPrivate());
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
      String traditional;
      if (algorithm.equals("EC")) {
        BigInteger d = ((java.security.interfaces.ECPrivateKey) keys.getPrivate()).getS();
        ECPrivateKey sec1 = new ECPrivateKey(256, d, info.getPrivateKeyAlgorithm().getParameters());
        traditional = pem("EC PRIVATE KEY", sec1.getEncoded());
      } else {
        ASN1Primitive pkcs1 = info.parsePrivateKey().toASN1Primitive();
        traditional = pem("RSA PRIVATE KEY", pkcs1.getEncoded());
      }
      return new SelfSigned(cert, pem("CERTIFICATE", cert.getEncoded()), pem("PRIVATE KEY", keys.getPrivate().getEncoded()),
          traditional);
    } catch (GeneralSecurityException | java.io.IOException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** A {@code kubernetes.io/tls} Secret of this certificate and its PKCS#8 key, as JSON. */
  public String secretJson(String name) {
    return """
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"%s"},"type":"kubernetes.io/tls",
         "data":{"tls.crt":"%s","tls.key":"%s"}}""".formatted(name, b64(certificate), b64(pkcs8));
  }

  public static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes());
  }
}
