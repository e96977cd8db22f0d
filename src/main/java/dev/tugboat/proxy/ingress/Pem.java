package dev.tugboat.proxy.ingress;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PEM of a {@code kubernetes.io/tls} Secret read with the JDK alone: a certificate chain
 * ({@code tls.crt}) and a private key ({@code tls.key}) in any form {@code openssl} and
 * {@code kubectl create secret tls} produce: PKCS#8 ({@code PRIVATE KEY}), PKCS#1 RSA
 * ({@code RSA PRIVATE KEY}) and SEC1 EC ({@code EC PRIVATE KEY}), the last two wrapped into PKCS#8
 * (a few bytes of DER) since the JDK reads only that. Encrypted keys are refused.
 */
final class Pem {
  private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
  /** rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters, as an AlgorithmIdentifier. */
  private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
  /** id-ecPublicKey (1.2.840.10045.2.1). */
  private static final byte[] EC_PUBLIC_KEY = hex("06072a8648ce3d0201");
  private static final List<String> ALGORITHMS = List.of("RSA", "EC", "RSASSA-PSS", "Ed25519", "Ed448");

  private Pem() {}

  /** The certificates of a chain, leaf first. */
  static List<X509Certificate> certificates(String pem) throws CertificateException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> chain = new ArrayList<>();
    for (var c : factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
      chain.add((X509Certificate) c);
    }
    if (chain.isEmpty()) throw new CertificateException("tls.crt holds no certificate");
    return chain;
  }

  /** The first private key in {@code pem}. */
  static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    Matcher m = BLOCK.matcher(pem);
    while (m.find()) {
      String type = m.group(1);
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(m.group(2).trim());
      } catch (IllegalArgumentException e) {
        throw new GeneralSecurityException("tls.key: " + type + " is not base64");
      }
      switch (type) {
        case "PRIVATE KEY" -> {
          return pkcs8(der);
        }
        case "RSA PRIVATE KEY" -> {
          return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
              sequence(integerZero(), RSA_ALGORITHM, octetString(der))));
        }
        case "EC PRIVATE KEY" -> {
          return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
              sequence(integerZero(), sequence(EC_PUBLIC_KEY, curve(der)), octetString(der))));
        }
        case "ENCRYPTED PRIVATE KEY" -> throw new GeneralSecurityException("tls.key is encrypted");
        default -> {
          // parameters (EC PARAMETERS) and the like come before the key
        }
      }
    }
    throw new GeneralSecurityException("tls.key holds no private key");
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    for (String algorithm : ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException | RuntimeException e) {
        // not this algorithm
      }
    }
    throw new GeneralSecurityException("tls.key: a PKCS#8 key of no known algorithm");
  }

  /** The named curve's OID (tag 06 and all) from a SEC1 ECPrivateKey's {@code [0]} parameters. */
  private static byte[] curve(byte[] sec1) throws GeneralSecurityException {
    Der outer = new Der(sec1, 0);
    if (outer.tag != 0x30) throw new GeneralSecurityException("tls.key: EC PRIVATE KEY is not a SEQUENCE");
    int at = outer.contentStart;
    while (at < outer.end) {
      Der element = new Der(sec1, at);
      if (element.tag == 0xa0) {
        Der oid = new Der(sec1, element.contentStart);
        if (oid.tag != 0x06) break;
        byte[] out = new byte[oid.end - element.contentStart];
        System.arraycopy(sec1, element.contentStart, out, 0, out.length);
        return out;
      }
      at = element.end;
    }
    throw new GeneralSecurityException("tls.key: EC PRIVATE KEY names no curve");
  }

  /** One DER element at {@code start}: its tag, where its content starts and where it ends. */
  private static final class Der {
    final int tag;
    final int contentStart;
    final int end;

    Der(byte[] data, int start) throws GeneralSecurityException {
      if (start + 2 > data.length) throw new GeneralSecurityException("tls.key: truncated DER");
      tag = data[start] & 0xff;
      int length = data[start + 1] & 0xff;
      int at = start + 2;
      if (length > 0x80) {
        int bytes = length & 0x7f;
        if (bytes > 3 || at + bytes > data.length) throw new GeneralSecurityException("tls.key: bad DER length");
        length = 0;
        for (int i = 0; i < bytes; i++) length = (length << 8) | (data[at++] & 0xff);
      } else if (length == 0x80) {
        throw new GeneralSecurityException("tls.key: indefinite DER length");
      }
      contentStart = at;
      end = at + length;
      if (end > data.length) throw new GeneralSecurityException("tls.key: truncated DER");
    }
  }

  private static byte[] integerZero() {
    return new byte[] {0x02, 0x01, 0x00};
  }

  private static byte[] octetString(byte[] content) {
    return tagged(0x04, content);
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] p : parts) content.writeBytes(p);
    return tagged(0x30, content.toByteArray());
  }

  private static byte[] tagged(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n & 0xff);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write((n >> 8) & 0xff);
      out.write(n & 0xff);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] hex(String s) {
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    return out;
  }
}
