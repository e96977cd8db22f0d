package dev.tugboat.admission;

import java.net.InetAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

/**
 * Whether a server certificate is for the name a webhook is called by: its subjectAltNames, DNS
 * (a {@code *.} wildcard standing for one leftmost label) or IP, as Go's VerifyHostname (the common
 * name is not looked at, as Go no longer does). Pure.
 */
public final class ServerNames {
  private ServerNames() {}

  public static boolean matches(X509Certificate cert, String host) {
    List<List<?>> names;
    try {
      var sans = cert.getSubjectAlternativeNames();
      if (sans == null) return false;
      names = new java.util.ArrayList<>(sans);
    } catch (CertificateParsingException e) {
      return false;
    }
    boolean ip = isIpLiteral(host);
    for (List<?> san : names) {
      int type = (Integer) san.get(0);
      String value = String.valueOf(san.get(1));
      if (ip && type == 7 && sameAddress(value, host)) return true;
      if (!ip && type == 2 && dnsMatches(value, host)) return true;
    }
    return false;
  }

  static boolean dnsMatches(String pattern, String host) {
    String p = pattern.toLowerCase(Locale.ROOT);
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
    if (p.startsWith("*.")) {
      int dot = h.indexOf('.');
      return dot > 0 && h.substring(dot + 1).equals(p.substring(2));
    }
    return p.equals(h);
  }

  private static boolean isIpLiteral(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }

  private static boolean sameAddress(String a, String b) {
    try {
      String bb = b.startsWith("[") ? b.substring(1, b.length() - 1) : b;
      return InetAddress.getByName(a).equals(InetAddress.getByName(bb));
    } catch (Exception e) {
      return false;
    }
  }
}
