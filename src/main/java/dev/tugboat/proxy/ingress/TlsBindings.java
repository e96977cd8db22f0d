package dev.tugboat.proxy.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which Secret's certificate answers a TLS handshake, by the host it asks for (SNI), from the
 * {@code spec.tls} of the Ingresses one controller serves. Pure.
 *
 * <p>A host listed by a TLS entry gets its Secret (of the Ingress's namespace); a wildcard entry
 * ({@code *.example.com}) serves the hosts one label under it. The oldest Ingress wins a host two
 * of them list. A TLS entry without hosts is the default: it answers handshakes that name no host or
 * a host no entry lists; without one, a handshake that names no host gets the oldest Ingress's first
 * certificate, and one naming an unknown host fails (no certificate is better than a wrong one).
 */
record TlsBindings(Map<String, String> byHost, String fallback, String first) {
  static final TlsBindings EMPTY = new TlsBindings(Map.of(), null, null);

  static TlsBindings build(Collection<? extends JsonNode> ingresses) {
    List<JsonNode> ordered = new ArrayList<>(ingresses);
    ordered.sort(Comparator.comparing((JsonNode i) -> i.path("metadata").path("creationTimestamp").asText(""))
        .thenComparing(i -> i.path("metadata").path("namespace").asText() + "/" + i.path("metadata").path("name").asText()));
    Map<String, String> byHost = new HashMap<>();
    String fallback = null;
    String first = null;
    for (JsonNode ingress : ordered) {
      String namespace = ingress.path("metadata").path("namespace").asText();
      for (JsonNode tls : ingress.path("spec").path("tls")) {
        String secretName = tls.path("secretName").asText("");
        if (secretName.isEmpty()) continue;
        String secret = namespace + "/" + secretName;
        if (first == null) first = secret;
        if (tls.path("hosts").isEmpty() && fallback == null) fallback = secret;
        for (JsonNode host : tls.path("hosts")) byHost.putIfAbsent(host.asText(), secret);
      }
    }
    return new TlsBindings(Map.copyOf(byHost), fallback, first);
  }

  /** The Secret ({@code namespace/name}) for a handshake asking for {@code host} (normalized; "" for none); null for none. */
  String secretFor(String host) {
    if (host.isEmpty()) return fallback != null ? fallback : first;
    String exact = byHost.get(host);
    if (exact != null) return exact;
    String wildcard = HostMatch.wildcardFor(host);
    if (wildcard != null && byHost.containsKey(wildcard)) return byHost.get(wildcard);
    return fallback;
  }

  /** Every Secret named. */
  Set<String> secrets() {
    Set<String> all = new LinkedHashSet<>(byHost.values());
    if (fallback != null) all.add(fallback);
    if (first != null) all.add(first);
    return all;
  }
}
