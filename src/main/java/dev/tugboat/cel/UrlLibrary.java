package dev.tugboat.cel;

import dev.cel.checker.CelCheckerBuilder;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompilerLibrary;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntimeBuilder;
import dev.cel.runtime.CelRuntimeLibrary;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' CEL URL library ({@code k8s.io/apiserver/pkg/cel/library/urls.go}): {@code url(string)}
 * and {@code isURL(string)} accept what Go's {@code url.ParseRequestURI} does, an absolute URI or an
 * absolute path; on a URL {@code getScheme()}, {@code getHost()} (with the port, an IPv6 address in
 * brackets), {@code getHostname()} (neither), {@code getPort()} ({@code ""} when none),
 * {@code getEscapedPath()} and {@code getQuery()} (each key's values in order).
 */
final class UrlLibrary implements CelCompilerLibrary, CelRuntimeLibrary {
  static final UrlLibrary INSTANCE = new UrlLibrary();
  static final OpaqueType TYPE = OpaqueType.create("kubernetes.URL");

  private UrlLibrary() {}

  /** A parsed URL as CEL holds it. */
  record Value(URI uri) {
    static Value parse(String text) {
      URI uri;
      try {
        uri = new URI(escape(text));
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("URL parse error during conversion from string: " + e.getMessage());
      }
      if (!uri.isAbsolute() && !text.startsWith("/")) {
        throw new IllegalArgumentException("URL parse error during conversion from string: parse \"" + text
            + "\": invalid URI for request");
      }
      if (uri.isOpaque()) {
        throw new IllegalArgumentException("URL parse error during conversion from string: \"" + text + "\" has no path");
      }
      return new Value(uri);
    }

    @Override
    public String toString() {
      return uri.toString();
    }
  }

  @Override
  public void setCheckerOptions(CelCheckerBuilder checker) {
    checker.addFunctionDeclarations(
        CelFunctionDecl.newFunctionDeclaration("url",
            CelOverloadDecl.newGlobalOverload("string_to_url", TYPE, SimpleType.STRING)),
        CelFunctionDecl.newFunctionDeclaration("isURL",
            CelOverloadDecl.newGlobalOverload("is_url_string", SimpleType.BOOL, SimpleType.STRING)),
        member("getScheme", "url_get_scheme", SimpleType.STRING),
        member("getHost", "url_get_host", SimpleType.STRING),
        member("getHostname", "url_get_hostname", SimpleType.STRING),
        member("getPort", "url_get_port", SimpleType.STRING),
        member("getEscapedPath", "url_get_escaped_path", SimpleType.STRING),
        CelFunctionDecl.newFunctionDeclaration("getQuery", CelOverloadDecl.newMemberOverload("url_get_query",
            MapType.create(SimpleType.STRING, ListType.create(SimpleType.STRING)), TYPE)));
  }

  private static CelFunctionDecl member(String name, String id, CelType result) {
    return CelFunctionDecl.newFunctionDeclaration(name, CelOverloadDecl.newMemberOverload(id, result, TYPE));
  }

  @Override
  public void setRuntimeOptions(CelRuntimeBuilder runtime) {
    runtime.addFunctionBindings(
        CelFunctionBinding.from("string_to_url", String.class, Value::parse),
        CelFunctionBinding.from("is_url_string", String.class, UrlLibrary::isUrl),
        CelFunctionBinding.from("url_get_scheme", Value.class, u -> nonNull(u.uri().getScheme())),
        CelFunctionBinding.from("url_get_host", Value.class, UrlLibrary::host),
        CelFunctionBinding.from("url_get_hostname", Value.class, UrlLibrary::hostname),
        CelFunctionBinding.from("url_get_port", Value.class, u -> u.uri().getPort() < 0 ? "" : Integer.toString(u.uri().getPort())),
        CelFunctionBinding.from("url_get_escaped_path", Value.class, u -> nonNull(u.uri().getRawPath())),
        CelFunctionBinding.from("url_get_query", Value.class, UrlLibrary::query));
  }

  private static boolean isUrl(String text) {
    try {
      Value.parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String host(Value u) {
    String authority = u.uri().getRawAuthority();
    if (authority == null) return "";
    int at = authority.lastIndexOf('@');
    return at < 0 ? authority : authority.substring(at + 1);
  }

  private static String hostname(Value u) {
    String host = nonNull(u.uri().getHost());
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static Map<String, List<String>> query(Value u) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    String raw = u.uri().getRawQuery();
    if (raw == null || raw.isEmpty()) return values;
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return values;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  /**
   * Percent-encodes what Go's parser lets through but {@link URI} refuses (spaces, quotes, braces,
   * non-ASCII), as Go's {@code EscapedPath} then prints them.
   */
  private static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c <= 0x20 || c >= 0x7f || "\"<>\\^`{|}".indexOf(c) >= 0) out.append('%').append(String.format("%02X", c));
      else out.append((char) c);
    }
    return out.toString();
  }
}
