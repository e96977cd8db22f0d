package dev.tugboat.security;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The key ServiceAccount tokens are signed with, beside the cluster CA in {@code <data-dir>/pki}
 * (or {@code tugboat.api.tls.pki-dir}): {@code sa.key} (RSA 2048, PKCS#1 PEM, mode 0600) signs and
 * its public half {@code sa.pub} verifies, as kube-apiserver's {@code --service-account-key-file}.
 * Members of one cluster share them the way they share the CA: by being given the same directory.
 * Created once when absent, then reused, so tokens stay good across restarts.
 *
 * <p>Rotation: every other {@code sa-*.pub} in the directory verifies too (it signs nothing). Rename
 * {@code sa.pub} to {@code sa-old.pub}, delete {@code sa.key}, restart the members: a new pair is
 * made, new tokens are signed with it, and the tokens already issued keep working until they expire
 * (an hour by default, pods' projected tokens are refreshed well before); then delete {@code sa-old.pub}.
 */
public record ServiceAccountKeys(RSAPrivateCrtKey signing, List<RSAPublicKey> verifying) {
  public ServiceAccountKeys {
    verifying = List.copyOf(verifying);
  }

  /** The pair under {@code dir}, created first when absent, and every older public key there. */
  public static ServiceAccountKeys loadOrCreate(Path dir) {
    // under the CA directory's lock: members starting together on one directory make one key
    return ClusterCa.underLock(dir, () -> loadOrCreateLocked(dir));
  }

  private static ServiceAccountKeys loadOrCreateLocked(Path dir) {
    try {
      Files.createDirectories(dir);
      Path key = dir.resolve("sa.key");
      Path pub = dir.resolve("sa.pub");
      RSAPrivateCrtKey signing;
      if (Files.exists(key)) {
        PrivateKey k = ClusterCa.readKey(Files.readString(key));
        if (!(k instanceof RSAPrivateCrtKey rsa)) throw new IllegalStateException(key + " is not an RSA private key");
        signing = rsa;
      } else {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        signing = (RSAPrivateCrtKey) g.generateKeyPair().getPrivate();
        // The key first: a crash in between leaves no public key without its private one.
        ClusterCa.write(key, ClusterCa.pem(signing), "rw-------");
      }
      RSAPublicKey own = publicOf(signing);
      if (!Files.exists(pub) || !readPublic(Files.readString(pub)).equals(own)) {
        ClusterCa.write(pub, ClusterCa.pem(own), "rw-r--r--");
      }
      List<RSAPublicKey> verifying = new ArrayList<>(List.of(own));
      try (DirectoryStream<Path> older = Files.newDirectoryStream(dir, "sa-*.pub")) {
        for (Path p : older) verifying.add(readPublic(Files.readString(p)));
      }
      return new ServiceAccountKeys(signing, verifying);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot set up the ServiceAccount signing key in " + dir, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot set up the ServiceAccount signing key in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** A fresh pair held in memory only (unit tests). */
  public static ServiceAccountKeys generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      RSAPrivateCrtKey k = (RSAPrivateCrtKey) g.generateKeyPair().getPrivate();
      return new ServiceAccountKeys(k, List.of(publicOf(k)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public RSAPublicKey signingPublic() {
    return verifying.get(0);
  }

  static RSAPublicKey publicOf(RSAPrivateCrtKey k) throws GeneralSecurityException {
    return (RSAPublicKey) KeyFactory.getInstance("RSA")
        .generatePublic(new RSAPublicKeySpec(k.getModulus(), k.getPublicExponent()));
  }

  static RSAPublicKey readPublic(String pem) throws IOException {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      if (!(o instanceof SubjectPublicKeyInfo info)) throw new IOException("no public key in PEM");
      if (!(new JcaPEMKeyConverter().getPublicKey(info) instanceof RSAPublicKey rsa)) {
        throw new IOException("not an RSA public key");
      }
      return rsa;
    }
  }

  @Override
  public String toString() {
    // never the private key
    return "ServiceAccountKeys[" + verifying.size() + " verifying]";
  }

}
