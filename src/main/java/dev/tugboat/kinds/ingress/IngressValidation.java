package dev.tugboat.kinds.ingress;

import dev.tugboat.model.FieldError;
import dev.tugboat.model.Validation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Kubernetes' rules for an Ingress spec ({@code pkg/apis/networking/validation}), with its messages:
 * hosts that are DNS names (a wildcard only as the whole first label), paths and path types, backends
 * that are exactly one of a Service port or a resource, TLS hosts and Secret names. Two rules are
 * Tugboat's own, as the issue asks: a host label over 63 characters is refused (no DNS name can hold
 * it), and so is a host listed under two TLS entries (which certificate would it get?).
 */
final class IngressValidation {
  private static final String SUBDOMAIN = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
  private static final Pattern SUBDOMAIN_PATTERN = Pattern.compile(SUBDOMAIN);
  private static final Pattern WILDCARD = Pattern.compile("\\*\\." + SUBDOMAIN);
  private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern IPV4 = Pattern.compile("[0-9]+(\\.[0-9]+){3}");
  private static final String WILDCARD_MSG = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid "
      + "DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an "
      + "alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?"
      + "(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  private static final String SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
      + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex "
      + "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  private static final String DNS1035_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
      + "start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
      + "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
  /** Sequences a Prefix or Exact path may not hold: each is a way around path-based access rules. */
  private static final List<String> INVALID_SEQUENCES = List.of("//", "/./", "/../", "%2f", "%2F");
  private static final List<String> INVALID_SUFFIXES = List.of("/..", "/.");

  private IngressValidation() {}

  static void spec(List<FieldError> e, Ingress.Spec spec) {
    if (spec == null) {
      e.add(FieldError.required("spec", null));
      return;
    }
    boolean hasRules = spec.rules() != null && !spec.rules().isEmpty();
    if (spec.defaultBackend() == null && !hasRules) {
      e.add(FieldError.invalid("spec", "[]", "either `defaultBackend` or `rules` must be specified"));
    }
    if (spec.defaultBackend() != null) backend(e, "spec.defaultBackend", spec.defaultBackend());
    if (hasRules) {
      for (int i = 0; i < spec.rules().size(); i++) rule(e, "spec.rules[" + i + "]", spec.rules().get(i));
    }
    if (spec.tls() != null) tls(e, spec.tls());
    if (spec.ingressClassName() != null) Validation.dnsSubdomain(e, "spec.ingressClassName", spec.ingressClassName());
  }

  private static void rule(List<FieldError> e, String path, Ingress.Rule rule) {
    if (rule == null) {
      e.add(FieldError.required(path, null));
      return;
    }
    if (rule.host() != null && !rule.host().isEmpty()) host(e, path + ".host", rule.host());
    if (rule.http() == null) return;
    List<Ingress.Path> paths = rule.http().paths();
    if (paths == null || paths.isEmpty()) {
      e.add(FieldError.required(path + ".http.paths", null));
      return;
    }
    for (int j = 0; j < paths.size(); j++) path(e, path + ".http.paths[" + j + "]", paths.get(j));
  }

  /** A rule's or a TLS entry's host: a DNS name, its first label possibly {@code *}, never an IP address. */
  static void host(List<FieldError> e, String path, String host) {
    if (IPV4.matcher(host).matches() || host.indexOf(':') >= 0) {
      e.add(FieldError.invalid(path, host, "must be a DNS name, not an IP address"));
    }
    if (host.contains("*")) {
      if (host.length() > 253) e.add(FieldError.invalid(path, host, "must be no more than 253 characters"));
      if (!WILDCARD.matcher(host).matches()) e.add(FieldError.invalid(path, host, WILDCARD_MSG));
    } else {
      if (host.length() > 253) e.add(FieldError.invalid(path, host, "must be no more than 253 characters"));
      if (!SUBDOMAIN_PATTERN.matcher(host).matches()) e.add(FieldError.invalid(path, host, SUBDOMAIN_MSG));
    }
    for (String label : host.split("\\.", -1)) {
      if (label.length() > 63) {
        e.add(FieldError.invalid(path, host, "each label must be no more than 63 characters"));
        break;
      }
    }
  }

  private static void path(List<FieldError> e, String path, Ingress.Path p) {
    if (p == null) {
      e.add(FieldError.required(path, null));
      return;
    }
    String value = p.path() == null ? "" : p.path();
    if (p.pathType() == null) {
      e.add(FieldError.required(path + ".pathType", "pathType must be specified"));
    } else {
      switch (p.pathType()) {
        case Ingress.EXACT, Ingress.PREFIX -> {
          if (!value.startsWith("/")) e.add(FieldError.invalid(path + ".path", value, "must be an absolute path"));
          for (String sequence : INVALID_SEQUENCES) {
            if (value.contains(sequence)) e.add(FieldError.invalid(path + ".path", value, "must not contain '" + sequence + "'"));
          }
          for (String suffix : INVALID_SUFFIXES) {
            if (value.endsWith(suffix)) e.add(FieldError.invalid(path + ".path", value, "cannot end with '" + suffix + "'"));
          }
        }
        case Ingress.IMPLEMENTATION_SPECIFIC -> {
          if (!value.isEmpty() && !value.startsWith("/")) {
            e.add(FieldError.invalid(path + ".path", value, "must be an absolute path"));
          }
        }
        default -> e.add(FieldError.notSupported(path + ".pathType", p.pathType(), Ingress.PATH_TYPES));
      }
    }
    if (p.backend() == null) e.add(FieldError.required(path + ".backend", null));
    else backend(e, path + ".backend", p.backend());
  }

  private static void backend(List<FieldError> e, String path, Ingress.Backend backend) {
    boolean service = backend.service() != null;
    boolean resource = backend.resource() != null;
    if (service && resource) {
      e.add(FieldError.invalid(path, "", "cannot set both resource and service backends"));
    } else if (resource) {
      Ingress.ResourceReference r = backend.resource();
      if (r.kind() == null || r.kind().isEmpty()) e.add(FieldError.required(path + ".resource.kind", null));
      if (r.name() == null || r.name().isEmpty()) e.add(FieldError.required(path + ".resource.name", null));
      if (r.apiGroup() != null && !r.apiGroup().isEmpty()) Validation.dnsSubdomain(e, path + ".resource.apiGroup", r.apiGroup());
    } else if (service) {
      serviceBackend(e, path + ".service", backend.service());
    } else {
      e.add(FieldError.invalid(path, "", "resource or service backend is required"));
    }
  }

  private static void serviceBackend(List<FieldError> e, String path, Ingress.ServiceBackend s) {
    if (s.name() == null || s.name().isEmpty()) {
      e.add(FieldError.required(path + ".name", null));
    } else if (s.name().length() > 63) {
      e.add(FieldError.invalid(path + ".name", s.name(), "must be no more than 63 characters"));
    } else if (!DNS1035_LABEL.matcher(s.name()).matches()) {
      e.add(FieldError.invalid(path + ".name", s.name(), DNS1035_MSG));
    }
    Ingress.ServiceBackendPort port = s.port();
    boolean named = port != null && port.name() != null && !port.name().isEmpty();
    boolean numbered = port != null && port.number() != null && port.number() != 0;
    if (named && numbered) {
      e.add(FieldError.invalid(path + ".port", "", "cannot set both port name & port number"));
    } else if (named) {
      Validation.portName(e, path + ".port.name", port.name());
    } else if (numbered) {
      Validation.port(e, path + ".port.number", port.number());
    } else {
      e.add(FieldError.required(path + ".port", "port name or number is required"));
    }
  }

  private static void tls(List<FieldError> e, List<Ingress.Tls> tls) {
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; i < tls.size(); i++) {
      Ingress.Tls t = tls.get(i);
      String path = "spec.tls[" + i + "]";
      if (t == null) continue;
      if (t.hosts() != null) {
        for (int j = 0; j < t.hosts().size(); j++) {
          String host = t.hosts().get(j);
          String hostPath = path + ".hosts[" + j + "]";
          if (host == null || host.isEmpty()) {
            e.add(FieldError.required(hostPath, null));
            continue;
          }
          host(e, hostPath, host);
          String first = seen.putIfAbsent(host, hostPath);
          if (first != null) e.add(FieldError.duplicate(hostPath, host));
        }
      }
      if (t.secretName() != null && !t.secretName().isEmpty()) Validation.dnsSubdomain(e, path + ".secretName", t.secretName());
    }
  }
}
