package dev.tugboat.security;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster's certificate authority, kept as PEM files in one directory ({@code <data-dir>/pki}
 * unless configured): {@code ca.crt}/{@code ca.key}, the API's serving pair {@code apiserver.crt}/
 * {@code apiserver.key} and the admin client pair {@code admin.crt}/{@code admin.key} (CN
 * {@code tugboat-admin}, O {@code system:masters}), and the members' remoting pair {@code member.crt}/
 * {@code member.key} (Artery over TLS: docs/security.md). Created once, then reused, so clients keep trusting
 * the API across restarts; deleting the directory rotates everything. The serving certificate is
 * reissued (by the same CA) when the addresses it must name change.
 *
 * <p>Keys are RSA 2048, written as PKCS#1 ({@code RSA PRIVATE KEY}): the one form every client reads
 * (fabric8 8.0 cannot read an ECDSA key in PKCS#8; kubectl reads either).
 */
public final class ClusterCa {
  /** The admin client certificate's user name. */
  public static final String ADMIN_USER = "tugboat-admin";
  /**
   * The name every member's remoting certificate carries ({@code member.crt}: CN and DNS SAN), so
   * Pekko's peer check (a peer must name what this member names) passes between members and
   * nothing else; in no group, so as an API client it may do nothing.
   */
  public static final String MEMBER_NAME = "tugboat-member";

  // Ten years for the CA (rotation is by deleting the directory, not by expiry), one year for the
  // leaves, as kubeadm does; a restart after a leaf's expiry reissues it.
  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final Duration LEAF_VALIDITY = Duration.ofDays(365);
  // Leaves are reissued when less than this is left, so a long-running cluster restarted in time never
  // serves an expired certificate.
  private static final Duration RENEW_BEFORE = Duration.ofDays(30);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final X509Certificate caCert;
  private final PrivateKey caKey;

  private ClusterCa(Path dir, X509Certificate caCert, PrivateKey caKey) {
    this.dir = dir;
    this.caCert = caCert;
    this.caKey = caKey;
  }

  /** A certificate with its private key, as PEM text. */
  public record Pair(String certPem, String keyPem) {}

  /**
   * Loads the CA under {@code dir}, creating it first if absent, and makes sure the serving
   * certificate names every one of {@code serverNames} (host names or IP addresses) and the admin
   * client certificate exists.
   */
  public static ClusterCa loadOrCreate(Path dir, List<String> serverNames) {
    // Members of one cluster share the directory and start together: one creates the CA while the
    // others wait, then load it; without the lock two would each write a CA and the loser's clients
    // would trust neither. The monitor covers members in one JVM (a JVM holds a file lock only once).
    return underLock(dir, () -> loadOrCreateLocked(dir, serverNames));
  }

  /**
   * Runs {@code work} holding the lock of the key directory {@code dir}: a file lock for members in
   * other processes and a monitor for members in this JVM (a JVM holds a file lock only once).
   */
  static <T> T underLock(Path dir, java.util.function.Supplier<T> work) {
    synchronized (ClusterCa.class) {
      try {
        Files.createDirectories(dir);
        try (FileChannel lock = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held = lock.lock()) {
          return work.get();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot lock the key directory " + dir, e);
      }
    }
  }

  private static ClusterCa loadOrCreateLocked(Path dir, List<String> serverNames) {
    try {
      Path crt = dir.resolve("ca.crt");
      Path key = dir.resolve("ca.key");
      ClusterCa ca;
      if (Files.exists(crt) && Files.exists(key)) {
        ca = new ClusterCa(dir, readCert(Files.readString(crt)), readKey(Files.readString(key)));
      } else {
        KeyPair pair = newKeyPair();
        X500Name name = name("tugboat-ca", null);
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
            Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CA_VALIDITY)), name, pair.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
        X509Certificate cert = sign(b, pair.getPrivate());
        // The key first: a crash in between leaves no certificate without its key.
        writePrivate(key, pem(pair.getPrivate()));
        writePublic(crt, pem(cert));
        ca = new ClusterCa(dir, cert, pair.getPrivate());
      }
      ca.ensureServing(serverNames);
      ca.ensureLeaf("admin", ADMIN_USER, UserInfo.MASTERS, List.of(), Use.CLIENT);
      ca.ensureLeaf("member", MEMBER_NAME, null, List.of(MEMBER_NAME), Use.BOTH);
      return ca;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot set up the cluster CA in " + dir, e);
    } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException("Cannot set up the cluster CA in " + dir + ": " + e.getMessage(), e);
    }
  }

  public Path dir() {
    return dir;
  }

  public X509Certificate caCert() {
    return caCert;
  }

  public String caPem() {
    return pem(caCert);
  }

  /** SHA-256 of the CA certificate's DER, in hex: what a restart must keep. */
  public String fingerprint() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(caCert.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The admin client certificate and key, as the kubeconfig embeds them. */
  public Pair admin() {
    return readPair("admin");
  }

  /** The serving certificate and key. */
  public Pair serving() {
    return readPair("apiserver");
  }

  /**
   * Issues a client certificate for {@code user} in {@code groups} (O attributes), not written to
   * disk: for tests and for handing a user their credentials.
   */
  public Pair issueClient(String user, List<String> groups, Duration validity) {
    try {
      KeyPair pair = newKeyPair();
      X509Certificate cert = leaf(pair, user, groups, List.of(), Use.CLIENT, Instant.now(), validity);
      return new Pair(pem(cert), pem(pair.getPrivate()));
    } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException("Cannot issue a certificate for " + user + ": " + e.getMessage(), e);
    }
  }

  /**
   * True when {@code cert} was signed by this CA and is valid now. The chain is one level deep: the
   * CA signs every leaf itself.
   */
  public boolean issued(X509Certificate cert, Instant now) {
    try {
      if (!cert.getIssuerX500Principal().equals(caCert.getSubjectX500Principal())) return false;
      cert.verify(caCert.getPublicKey());
      cert.checkValidity(Date.from(now));
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * The API's server context: the serving pair as its key, and a trust manager that asks every
   * client for a certificate but takes whatever it gets. Which certificates count is decided by
   * {@link X509Authenticator}, so a certificate of another CA gets a 401 Status the client can read,
   * not a failed handshake; the CA is offered as the acceptable issuer so clients pick the right one.
   */
  public SSLContext serverContext() {
    try {
      Pair serving = serving();
      char[] password = new char[0];
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("apiserver", readKey(serving.keyPem()), password,
          new X509Certificate[] {readCert(serving.certPem()), caCert});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), new TrustManager[] {new AnyClientCertificate(caCert)}, RANDOM);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Cannot build the API's TLS context from " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * A client context trusting only {@code caPem}, presenting {@code client} when given: what tests,
   * {@code tug} and the benchmarks use to call the API.
   */
  public static SSLContext clientContext(String caPem, Pair client) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", readCert(caPem));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      char[] password = new char[0];
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      if (client != null) {
        keys.setKeyEntry("client", readKey(client.keyPem()), password,
            new X509Certificate[] {readCert(client.certPem())});
      }
      kmf.init(keys, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), RANDOM);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Cannot build a TLS client context: " + e.getMessage(), e);
    }
  }

  /**
   * The admin's client context from the files of the CA directory {@code dir} ({@code ca.crt},
   * {@code admin.crt}, {@code admin.key}), for a client of a member in another process.
   */
  public static SSLContext adminContext(Path dir) {
    try {
      return clientContext(Files.readString(dir.resolve("ca.crt")),
          new Pair(Files.readString(dir.resolve("admin.crt")), Files.readString(dir.resolve("admin.key"))));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the admin's credentials in " + dir, e);
    }
  }

  /** The names a serving certificate carries, in the order given, without repeats. */
  static List<String> sans(X509Certificate cert) throws CertificateException {
    List<String> names = new ArrayList<>();
    if (cert.getSubjectAlternativeNames() == null) return names;
    for (List<?> san : cert.getSubjectAlternativeNames()) names.add(String.valueOf(san.get(1)));
    return names;
  }

  private void ensureServing(List<String> serverNames) throws IOException, GeneralSecurityException,
      org.bouncycastle.operator.OperatorCreationException {
    Set<String> wanted = new LinkedHashSet<>();
    for (String n : serverNames) if (n != null && !n.isBlank() && !n.equals("0.0.0.0") && !n.equals("::")) wanted.add(n);
    ensureLeaf("apiserver", "tugboat-apiserver", null, List.copyOf(wanted), Use.SERVER);
  }

  private void ensureLeaf(String file, String cn, String org, List<String> sans, Use use)
      throws IOException, GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
    Path crt = dir.resolve(file + ".crt");
    Path key = dir.resolve(file + ".key");
    if (Files.exists(crt) && Files.exists(key)) {
      X509Certificate existing = readCert(Files.readString(crt));
      boolean fresh = issued(existing, Instant.now().plus(RENEW_BEFORE));
      if (fresh && sans(existing).containsAll(sans)) return;
    }
    KeyPair pair = newKeyPair();
    X509Certificate cert = leaf(pair, cn, org == null ? List.of() : List.of(org), sans, use, Instant.now(), LEAF_VALIDITY);
    writePrivate(key, pem(pair.getPrivate()));
    writePublic(crt, pem(cert));
  }

  /** What a leaf certificate is for: its extended key usages. */
  private enum Use {
    SERVER(KeyPurposeId.id_kp_serverAuth), CLIENT(KeyPurposeId.id_kp_clientAuth),
    BOTH(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);

    final KeyPurposeId[] purposes;

    Use(KeyPurposeId... purposes) {
      this.purposes = purposes;
    }
  }

  private X509Certificate leaf(KeyPair pair, String cn, List<String> orgs, List<String> sans, Use use,
      Instant notBefore, Duration validity)
      throws GeneralSecurityException, IOException, org.bouncycastle.operator.OperatorCreationException {
    X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
    for (String o : orgs) subject.addRDN(BCStyle.O, o);
    subject.addRDN(BCStyle.CN, cn);
    // An hour back: a client whose clock is a little behind still accepts a certificate just issued.
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, serial(),
        Date.from(notBefore.minus(Duration.ofHours(1))), Date.from(notBefore.plus(validity)), subject.build(),
        pair.getPublic());
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    b.addExtension(Extension.extendedKeyUsage, false,
        new ExtendedKeyUsage(use.purposes));
    b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
    if (!sans.isEmpty()) {
      GeneralName[] names = sans.stream()
          .map(n -> isIp(n) ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n))
          .toArray(GeneralName[]::new);
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    }
    return sign(b, caKey);
  }

  private Pair readPair(String file) {
    try {
      return new Pair(Files.readString(dir.resolve(file + ".crt")), Files.readString(dir.resolve(file + ".key")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isIp(String name) {
    return name.matches("[0-9.]+") || name.contains(":");
  }

  private static X500Name name(String cn, String org) {
    X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
    if (org != null) b.addRDN(BCStyle.O, org);
    return b.addRDN(BCStyle.CN, cn).build();
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048, RANDOM);
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
      throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
  }

  /** Any certificate or key as PEM text. */
  public static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The first certificate in a PEM text. */
  public static X509Certificate readCert(String pem) {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      if (!(o instanceof X509CertificateHolder holder)) throw new IllegalArgumentException("no certificate in PEM");
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException("unreadable certificate: " + e.getMessage(), e);
    }
  }

  /** The private key in a PEM text (PKCS#8 or a traditional EC/RSA key). */
  public static PrivateKey readKey(String pem) {
    try (Reader r = new StringReader(pem); PEMParser p = new PEMParser(r)) {
      Object o = p.readObject();
      JcaPEMKeyConverter c = new JcaPEMKeyConverter();
      if (o instanceof PEMKeyPair kp) return c.getKeyPair(kp).getPrivate();
      if (o instanceof PrivateKeyInfo info) return c.getPrivateKey(info);
      throw new IllegalArgumentException("no private key in PEM");
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable private key: " + e.getMessage(), e);
    }
  }

  private static void writePrivate(Path file, String text) throws IOException {
    write(file, text, "rw-------");
  }

  private static void writePublic(Path file, String text) throws IOException {
    write(file, text, "rw-r--r--");
  }

  /** Written beside and moved into place, so a reader never sees half a file. */
  static void write(Path file, String text, String mode) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Accepts any client certificate at the handshake (the authenticator judges it afterwards) and
   * names the cluster CA as the issuer clients should pick a certificate from.
   */
  private static final class AnyClientCertificate extends X509ExtendedTrustManager {
    private final X509Certificate[] issuers;

    AnyClientCertificate(X509Certificate ca) {
      this.issuers = new X509Certificate[] {ca};
    }

    @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
    @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}
    @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("the API server does not act as a client");
    }

    @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override public X509Certificate[] getAcceptedIssuers() {
      return issuers.clone();
    }
  }

}
