package dev.tugboat.security;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a request asks to do, as Kubernetes' {@code RequestInfo} reads it from the method and path:
 * a verb (get, list, watch, create, update, patch, delete, deletecollection) on a resource of an API
 * group, perhaps a subresource, a namespace and a name; or, for any other path ({@code /api},
 * {@code /apis/apps/v1}, {@code /version}, {@code /openapi/v2}), a lowercase HTTP method on a
 * non-resource path. Pure: it is computed from the request alone, before anything is looked up.
 *
 * @param namespace "" for cluster-scoped requests and lists across namespaces
 * @param name "" for collections
 */
public record RequestAttributes(boolean resourceRequest, String verb, String apiGroup, String apiVersion,
    String resource, String subresource, String namespace, String name, String path) {
  /** Subresources of a namespace itself ({@code /api/v1/namespaces/x/status}), not resources inside it. */
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");
  /**
   * Subresources a WebSocket client opens with GET that do what a POST does (run a command, open a
   * port): Kubernetes (1.31 on) asks for {@code create} on them either way, so that a user who may
   * only read pods cannot exec into one by speaking WebSocket.
   */
  private static final Set<String> CONNECT_SUBRESOURCES = Set.of("exec", "attach", "portforward");

  public RequestAttributes {
    apiGroup = apiGroup == null ? "" : apiGroup;
    apiVersion = apiVersion == null ? "" : apiVersion;
    resource = resource == null ? "" : resource;
    subresource = subresource == null ? "" : subresource;
    namespace = namespace == null ? "" : namespace;
    name = name == null ? "" : name;
    path = path == null ? "" : path;
  }

  /** A request on a resource. */
  public static RequestAttributes resource(String verb, String apiGroup, String resource, String subresource,
      String namespace, String name) {
    return new RequestAttributes(true, verb, apiGroup, "", resource, subresource, namespace, name, "");
  }

  /** A request on a non-resource path. */
  public static RequestAttributes nonResource(String verb, String path) {
    return new RequestAttributes(false, verb, "", "", "", "", "", "", path);
  }

  /**
   * Reads a request: its HTTP method, its path's decoded segments and its query parameters
   * ({@code watch}, {@code fieldSelector} turn a get of a collection into a watch, and name one object).
   */
  public static RequestAttributes of(String method, List<String> segments, Map<String, String> query) {
    String path = "/" + String.join("/", segments);
    String httpVerb = method.toLowerCase(Locale.ROOT);
    int start;
    String group;
    if (segments.size() >= 3 && segments.get(0).equals("api")) {
      group = "";
      start = 1;
    } else if (segments.size() >= 4 && segments.get(0).equals("apis")) {
      group = segments.get(1);
      start = 2;
    } else {
      // /api, /apis, /apis/<group>, /apis/<group>/<version>, /version, /openapi/...: discovery and the like
      return nonResource(httpVerb, path);
    }
    String version = segments.get(start);
    List<String> parts = segments.subList(start + 1, segments.size());
    String verb = switch (method.toUpperCase(Locale.ROOT)) {
      case "POST" -> "create";
      case "GET", "HEAD" -> "get";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> httpVerb;
    };
    // the old /api/v1/watch/... paths
    if (!parts.isEmpty() && parts.get(0).equals("watch")) {
      verb = "watch";
      parts = parts.subList(1, parts.size());
    }
    String namespace = "";
    if (!parts.isEmpty() && parts.get(0).equals("namespaces") && parts.size() > 1) {
      namespace = parts.get(1);
      if (parts.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(parts.get(2))) parts = parts.subList(2, parts.size());
    }
    String resource = parts.isEmpty() ? "" : parts.get(0);
    String name = parts.size() >= 2 ? parts.get(1) : "";
    String subresource = parts.size() >= 3 ? parts.get(2) : "";
    if (name.isEmpty() && verb.equals("get")) {
      verb = truthy(query.get("watch")) ? "watch" : "list";
      String byName = nameOf(query.get("fieldSelector"));
      if (byName != null) name = byName;
    }
    if (name.isEmpty() && verb.equals("delete")) verb = "deletecollection";
    if (verb.equals("get") && CONNECT_SUBRESOURCES.contains(subresource)) verb = "create";
    return new RequestAttributes(true, verb, group, version, resource, subresource, namespace, name, path);
  }

  /** {@code resource/subresource}, as RBAC rules name it ({@code pods/log}). */
  public String combinedResource() {
    return subresource.isEmpty() ? resource : resource + "/" + subresource;
  }

  private static boolean truthy(String value) {
    return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
  }

  /** The name a field selector requires exactly ({@code metadata.name=x}), as a watch of one object sends. */
  private static String nameOf(String selector) {
    if (selector == null) return null;
    for (String term : selector.split(",")) {
      String t = term.strip();
      for (String op : List.of("==", "=")) {
        if (t.startsWith("metadata.name" + op)) {
          String value = t.substring(("metadata.name" + op).length());
          if (!value.isEmpty() && !value.contains("/") && !value.equals(".") && !value.equals("..")) return value;
        }
      }
    }
    return null;
  }
}
