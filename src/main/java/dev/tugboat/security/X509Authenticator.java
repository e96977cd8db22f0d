package dev.tugboat.security;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.SslSessionInfo;
import org.apache.pekko.http.javadsl.model.headers.TlsSessionInfo;

/**
 * Kubernetes' X.509 client-certificate authentication: a certificate the cluster CA signed, valid
 * now, names its user by its subject's CN and the user's groups by its O attributes (plus {@code
 * system:authenticated}). A certificate the CA did not sign, or an expired one, is {@link Refused}:
 * the client meant to be someone and is not. A request without a certificate (or over plain HTTP)
 * is not this authenticator's.
 *
 * <p>The TLS session reaches the request as Pekko's {@code sslSession} attribute
 * ({@code pekko.http.server.parsing.ssl-session-attribute = on}) or its {@code Tls-Session-Info}
 * header ({@code tls-session-info-header = on}); either is enough.
 */
public final class X509Authenticator implements Authenticator {
  private final ClusterCa ca;
  private final Clock clock;

  public X509Authenticator(ClusterCa ca, Clock clock) {
    this.ca = ca;
    this.clock = clock;
  }

  @Override
  public Outcome authenticate(HttpRequest request) {
    Optional<SSLSession> session = request.getAttribute(AttributeKeys.sslSession).map(SslSessionInfo::getSession)
        .or(() -> request.getHeader(TlsSessionInfo.class).map(TlsSessionInfo::getSession));
    if (session.isEmpty()) return NOT_MINE;
    Certificate[] chain;
    try {
      chain = session.get().getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return NOT_MINE; // no client certificate was presented
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) return NOT_MINE;
    return authenticate(cert);
  }

  /** The outcome for one presented certificate (the first of the chain). */
  public Outcome authenticate(X509Certificate cert) {
    if (!ca.issued(cert, clock.instant())) {
      return new Refused("x509: certificate signed by unknown authority or expired");
    }
    if (!forClients(cert)) return new Refused("x509: certificate specifies an incompatible key usage");
    Subject subject = subject(cert.getSubjectX500Principal().getName());
    if (subject.cn() == null || subject.cn().isBlank()) return new Refused("x509: the certificate's subject has no CN");
    return new Authenticated(UserInfo.authenticated(subject.cn(), null, subject.orgs()));
  }

  /**
   * As Go's verifier under Kubernetes' client-auth options: a certificate that lists extended key
   * usages must list client authentication (or any usage); one that lists none may be used for
   * anything. So the API's own serving certificate, issued by the same CA, is no client's identity.
   */
  static boolean forClients(X509Certificate cert) {
    try {
      List<String> usages = cert.getExtendedKeyUsage();
      return usages == null || usages.contains(CLIENT_AUTH) || usages.contains(ANY_USAGE);
    } catch (java.security.cert.CertificateParsingException e) {
      return false;
    }
  }

  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_USAGE = "2.5.29.37.0";

  /** The CN and the O attributes of an RFC 2253 subject name, in the order written. */
  record Subject(String cn, List<String> orgs) {}

  static Subject subject(String rfc2253) {
    try {
      String cn = null;
      List<String> orgs = new ArrayList<>();
      // RFC 2253 writes the RDNs last first; LdapName lists them in the certificate's order again,
      // which Kubernetes keeps for the groups.
      for (Rdn rdn : new LdapName(rfc2253).getRdns()) {
        String type = rdn.getType();
        if (type.equalsIgnoreCase("CN") && cn == null) cn = String.valueOf(rdn.getValue());
        if (type.equalsIgnoreCase("O")) orgs.add(String.valueOf(rdn.getValue()));
      }
      return new Subject(cn, List.copyOf(orgs));
    } catch (InvalidNameException e) {
      return new Subject(null, List.of());
    }
  }
}
