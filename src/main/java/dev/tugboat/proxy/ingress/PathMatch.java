package dev.tugboat.proxy.ingress;

import java.util.ArrayList;
import java.util.List;

/**
 * How a request's path meets an Ingress path, by its type, as Kubernetes defines them: Exact is the
 * same string (case-sensitive, a trailing slash counts); Prefix compares path elements split by
 * {@code /}, so {@code /foo} matches {@code /foo}, {@code /foo/} and {@code /foo/bar} but not
 * {@code /foobar}, and a trailing slash in the rule is ignored; ImplementationSpecific is Prefix
 * here (an empty path is {@code /}). Pure.
 */
final class PathMatch {
  private PathMatch() {}

  /** Whether the rule path of {@code pathType} matches the request path. */
  static boolean matches(String pathType, String rulePath, String requestPath) {
    if ("Exact".equals(pathType)) return rulePath.equals(requestPath);
    List<String> rule = elements(rulePath);
    List<String> request = elements(requestPath);
    if (rule.size() > request.size()) return false;
    for (int i = 0; i < rule.size(); i++) {
      if (!rule.get(i).equals(request.get(i))) return false;
    }
    return true;
  }

  /**
   * How specific a matching rule path is: its length without a trailing slash, so that the longest
   * one wins (Kubernetes' "longest matching path"); Exact wins a tie, through {@link #typeRank}.
   */
  static int length(String pathType, String rulePath) {
    if ("Exact".equals(pathType)) return rulePath.length();
    String p = rulePath.isEmpty() ? "/" : rulePath;
    while (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);
    return p.equals("/") ? 0 : p.length();
  }

  /** Exact before Prefix before ImplementationSpecific, when two paths are as long. */
  static int typeRank(String pathType) {
    return switch (pathType) {
      case "Exact" -> 0;
      case "Prefix" -> 1;
      default -> 2;
    };
  }

  private static List<String> elements(String path) {
    List<String> elements = new ArrayList<>();
    for (String e : path.split("/")) {
      if (!e.isEmpty()) elements.add(e);
    }
    return elements;
  }
}
