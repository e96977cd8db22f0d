package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.apiserver.openapi.OpenApiDocuments;
import dev.tugboat.model.ResourceType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Discovery as kubectl reads it: {@code /api}, {@code /apis}, {@code /api/v1}, {@code /apis/{g}/{v}}
 * (names, kinds, verbs, shortNames and the "all" category), {@code /version}, and the OpenAPI
 * documents ({@link OpenApiDocuments}): {@code /openapi/v3} and its group-versions, and {@code
 * /openapi/v2} as JSON. kubectl asks for v2 as protobuf only: it gets an empty document, which it
 * reads as "no schema" (it reads v3 for explain and validation).
 */
final class DiscoveryRoutes extends AllDirectives {
  static final String KUBERNETES_VERSION = "v1.33.0";
  private static final List<String> COLLECTION_VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
  private final OpenApiDocuments openApi;

  DiscoveryRoutes(OpenApiDocuments openApi) {
    this.openApi = openApi;
  }

  Route routes() {
    return get(() -> concat(
        path("api", () -> complete(json(apiVersions()))),
        path("apis", () -> complete(json(apiGroupList()))),
        pathPrefix("api", () -> path(version -> complete(resourceList("", version)))),
        pathPrefix("apis", () -> pathPrefix(group -> concat(
            pathEnd(() -> complete(json(apiGroup(group)))),
            path(version -> complete(resourceList(group, version)))))),
        path("version", () -> complete(json(version()))),
        pathPrefix("openapi", () -> concat(
            path("v2", () -> optionalHeaderValueByName("Accept", accept -> complete(openApiV2(accept.orElse(""))))),
            pathPrefix("v3", () -> concat(
                pathEnd(() -> complete(json(openApi.v3Index()))),
                extractUnmatchedPath(rest -> complete(openApiV3(rest.toString())))))))));
  }

  /** JSON, unless the client asks for protobuf only (kubectl): that gets the empty document kubectl skips. */
  private HttpResponse openApiV2(String accept) {
    if (!accept.contains("protobuf") || accept.contains("json")) return json(openApi.v2());
    return HttpResponse.create().withStatus(StatusCodes.OK).withEntity(ContentTypes.APPLICATION_OCTET_STREAM, new byte[0]);
  }

  private HttpResponse openApiV3(String groupVersion) {
    return openApi.v3(groupVersion.replaceFirst("^/", "")).map(DiscoveryRoutes::json).orElseGet(() ->
        Responses.status(dev.tugboat.model.Status.notFound("the server could not find the requested resource")));
  }

  private static HttpResponse resourceList(String group, String version) {
    List<ResourceType> types = ResourceType.all().stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version)).toList();
    boolean reviews = group.equals(Reviews.GROUP) && version.equals("v1");
    boolean access = group.equals(AccessReviews.GROUP) && version.equals("v1");
    boolean metrics = group.equals(ResourceMetricsApi.GROUP) && version.equals(ResourceMetricsApi.VERSION);
    if (types.isEmpty() && !reviews && !access && !metrics) {
      return Responses.status(dev.tugboat.model.Status.notFound("the server could not find the requested resource"));
    }
    ObjectNode list = JsonNodeFactory.instance.objectNode();
    list.put("kind", "APIResourceList");
    list.put("apiVersion", "v1");
    list.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = list.putArray("resources");
    if (reviews) {
      // Asked, never stored: create is their only verb.
      new java.util.TreeMap<>(Reviews.RESOURCES).forEach((plural, kind) -> {
        ObjectNode r = resources.addObject();
        r.put("name", plural);
        r.put("singularName", kind.toLowerCase(java.util.Locale.ROOT));
        r.put("namespaced", false);
        r.put("kind", kind);
        r.putArray("verbs").add("create");
      });
    }
    if (access) {
      new java.util.TreeMap<>(AccessReviews.RESOURCES).forEach((plural, kind) -> {
        ObjectNode r = resources.addObject();
        r.put("name", plural);
        r.put("singularName", kind.toLowerCase(java.util.Locale.ROOT));
        r.put("namespaced", plural.equals(AccessReviews.LOCAL));
        r.put("kind", kind);
        r.putArray("verbs").add("create");
      });
    }
    if (metrics) {
      // Read only, as metrics-server serves them: measures, never stored.
      new java.util.TreeMap<>(ResourceMetricsApi.RESOURCES).forEach((plural, namespaced) -> {
        ObjectNode r = resources.addObject();
        r.put("name", plural);
        r.put("singularName", "");
        r.put("namespaced", namespaced);
        r.put("kind", plural.equals("pods") ? "PodMetrics" : "NodeMetrics");
        r.putArray("verbs").add("get").add("list");
      });
    }
    for (ResourceType t : types) {
      ObjectNode r = resources.addObject();
      r.put("name", t.plural());
      r.put("singularName", t.singular());
      r.put("namespaced", t.namespaced());
      r.put("kind", t.kind());
      ArrayNode verbs = r.putArray("verbs");
      COLLECTION_VERBS.forEach(verbs::add);
      if (!t.shortNames().isEmpty()) {
        ArrayNode shorts = r.putArray("shortNames");
        t.shortNames().forEach(shorts::add);
      }
      if (!t.categories().isEmpty()) {
        ArrayNode categories = r.putArray("categories");
        t.categories().forEach(categories::add);
      }
      for (String sub : t.subresources()) {
        ObjectNode s = resources.addObject();
        s.put("name", t.plural() + "/" + sub);
        s.put("singularName", "");
        s.put("namespaced", t.namespaced());
        ArrayNode v = s.putArray("verbs");
        switch (sub) {
          case "scale" -> {
            s.put("group", "autoscaling");
            s.put("version", "v1");
            s.put("kind", "Scale");
            List.of("get", "patch", "update").forEach(v::add);
          }
          case "log" -> {
            s.put("kind", t.kind());
            v.add("get");
          }
          case "exec", "attach", "portforward" -> {
            // Kubernetes' kinds of their options; a client connects with get (WebSocket) or create (SPDY).
            s.put("kind", switch (sub) {
              case "exec" -> "PodExecOptions";
              case "attach" -> "PodAttachOptions";
              default -> "PodPortForwardOptions";
            });
            List.of("create", "get").forEach(v::add);
          }
          case "binding" -> {
            s.put("kind", "Binding");
            v.add("create");
          }
          case "token" -> {
            s.put("group", "authentication.k8s.io");
            s.put("version", "v1");
            s.put("kind", "TokenRequest");
            v.add("create");
          }
          case "eviction" -> {
            // kubectl drain evicts only where discovery names this (else it deletes, past every budget)
            s.put("group", "policy");
            s.put("version", "v1");
            s.put("kind", "Eviction");
            v.add("create");
          }
          default -> {
            s.put("kind", t.kind());
            List.of("get", "patch", "update").forEach(v::add);
          }
        }
      }
    }
    return json(list);
  }

  private static ObjectNode apiVersions() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("kind", "APIVersions");
    o.putArray("versions").add("v1");
    ArrayNode cidrs = o.putArray("serverAddressByClientCIDRs");
    ObjectNode any = cidrs.addObject();
    any.put("clientCIDR", "0.0.0.0/0");
    any.put("serverAddress", "");
    return o;
  }

  private static ObjectNode apiGroupList() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("kind", "APIGroupList");
    o.put("apiVersion", "v1");
    ArrayNode groups = o.putArray("groups");
    Set<String> names = new LinkedHashSet<>();
    ResourceType.all().stream().map(ResourceType::group).filter(g -> !g.isEmpty()).forEach(names::add);
    names.add(Reviews.GROUP);
    names.add(AccessReviews.GROUP);
    names.add(ResourceMetricsApi.GROUP);
    for (String g : names) groups.add(apiGroup(g));
    return o;
  }

  private static ObjectNode apiGroup(String group) {
    ObjectNode g = JsonNodeFactory.instance.objectNode();
    g.put("kind", "APIGroup");
    g.put("apiVersion", "v1");
    g.put("name", group);
    ArrayNode versions = g.putArray("versions");
    // Each version the group serves; the first seen (a custom kind's stored version) is preferred.
    Set<String> served = new LinkedHashSet<>();
    for (ResourceType t : ResourceType.all()) {
      if (t.group().equals(group)) served.add(t.version());
    }
    if (group.equals(Reviews.GROUP) || group.equals(AccessReviews.GROUP)) served.add("v1");
    if (group.equals(ResourceMetricsApi.GROUP)) served.add(ResourceMetricsApi.VERSION);
    for (String version : served) {
      ObjectNode v = versions.addObject();
      v.put("groupVersion", group + "/" + version);
      v.put("version", version);
      if (!g.has("preferredVersion")) g.set("preferredVersion", v.deepCopy());
    }
    return g;
  }

  private static ObjectNode version() {
    ObjectNode v = JsonNodeFactory.instance.objectNode();
    v.put("major", "1");
    v.put("minor", "33");
    v.put("gitVersion", KUBERNETES_VERSION + "+tugboat");
    v.put("gitCommit", "");
    v.put("gitTreeState", "clean");
    v.put("buildDate", "");
    v.put("goVersion", "java" + Runtime.version().feature());
    v.put("compiler", "javac");
    v.put("platform", "linux/amd64");
    return v;
  }

  private static HttpResponse json(Object body) {
    return Responses.json(200, body);
  }
}
