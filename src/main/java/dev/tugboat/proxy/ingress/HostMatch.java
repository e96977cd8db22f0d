package dev.tugboat.proxy.ingress;

import java.util.Locale;

/**
 * How a request's host meets an Ingress rule's host: exactly, or through a wildcard that stands for
 * exactly one first label ({@code *.example.com} matches {@code foo.example.com}, neither
 * {@code example.com} nor {@code a.b.example.com}), as Kubernetes defines it. Pure.
 */
final class HostMatch {
  private HostMatch() {}

  /**
   * The host a request is for, as rules are written: from its Host header (or its absolute URI),
   * lower case, without a port or a final dot; "" when it names none or something that is no
   * host name (then only rules without a host match).
   */
  static String normalize(String hostHeader) {
    if (hostHeader == null) return "";
    String host = hostHeader.trim().toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) return ""; // an IPv6 literal: no rule names one
    int colon = host.indexOf(':');
    if (colon >= 0) host = host.substring(0, colon);
    if (host.endsWith(".")) host = host.substring(0, host.length() - 1);
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.')) return "";
    }
    return host;
  }

  /** The wildcard rule host that would match {@code host}: {@code *.} and all but its first label; null for none. */
  static String wildcardFor(String host) {
    int dot = host.indexOf('.');
    return dot <= 0 || dot == host.length() - 1 ? null : "*" + host.substring(dot);
  }

  /** Whether a rule's host ("" for any) matches a request's normalized host. */
  static boolean matches(String ruleHost, String host) {
    if (ruleHost.isEmpty()) return true;
    if (ruleHost.startsWith("*.")) return ruleHost.equals(wildcardFor(host));
    return ruleHost.equals(host);
  }
}
