package dev.tugboat.cli;

import dev.tugboat.model.ResourceType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Locale;

/** What the user names on the command line (kinds, {@code kind/name}) turned into API paths. */
final class Resources {
  private Resources() {}

  /** The kind a user means ({@code deploy}, {@code pods}, {@code Deployment}, {@code deployments.apps}). */
  static ResourceType type(String name) {
    return ResourceType.byName(name).orElseThrow(() ->
        new CliException("error: the server doesn't have a resource type \"" + name + "\""));
  }

  /** {@link #type(String)}, also for kinds the server defines at run time (custom resources). */
  static ResourceType type(ApiClient api, String name) {
    if (ResourceType.byName(name).isEmpty()) learn(api);
    return type(name);
  }

  /** The kind of a manifest's apiVersion and kind, also one the server defines at run time. */
  static Optional<ResourceType> byKind(ApiClient api, String apiVersion, String kind) {
    if (ResourceType.byKind(apiVersion, kind).isEmpty()) learn(api);
    return ResourceType.byKind(apiVersion, kind);
  }

  /**
   * Reads the server's discovery for the groups this build does not know, as kubectl does, and
   * serves their kinds in this process: CustomResourceDefinitions' kinds.
   */
  private static void learn(ApiClient api) {
    for (JsonNode group : api.get("/apis").path("groups")) {
      Map<String, List<ResourceType>> byKind = new LinkedHashMap<>();
      String name = group.path("name").asText();
      for (JsonNode version : group.path("versions")) {
        String v = version.path("version").asText();
        if (builtIn(name, v)) continue;
        JsonNode resources = api.get("/apis/" + name + "/" + v).path("resources");
        for (JsonNode r : resources) {
          String plural = r.path("name").asText();
          if (plural.contains("/")) continue;
          String kind = r.path("kind").asText();
          List<String> subresources = new ArrayList<>();
          for (JsonNode sub : resources) {
            if (sub.path("name").asText().startsWith(plural + "/")) subresources.add(sub.path("name").asText().substring(plural.length() + 1));
          }
          byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(new ResourceType(name, v, kind, plural,
              r.path("singularName").asText(kind.toLowerCase(Locale.ROOT)), strings(r.path("shortNames")),
              r.path("namespaced").asBoolean(), strings(r.path("categories")), subresources, null));
        }
      }
      byKind.forEach((kind, versions) -> ResourceType.define(name, kind, versions));
    }
  }

  /** A group version this build serves itself (apps/v1, apiextensions.k8s.io/v1). */
  private static boolean builtIn(String group, String version) {
    return ResourceType.all().stream().anyMatch(t -> t.group().equals(group) && t.version().equals(version)
        && (t.javaClass() != null || t.kind().equals("CustomResourceDefinition")));
  }

  private static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(e -> list.add(e.asText()));
    return list;
  }

  /** The kinds of the category {@code all}, as {@code kubectl get all} lists them. */
  static List<ResourceType> all() {
    return ResourceType.all().stream().filter(t -> t.categories().contains("all")).toList();
  }

  /** The collection path; {@code namespace} null lists across all namespaces (or a cluster-scoped kind). */
  static String collection(ResourceType type, String namespace) {
    String prefix = type.group().isEmpty() ? "/api/v1" : "/apis/" + type.apiVersion();
    return prefix + (type.namespaced() && namespace != null ? "/namespaces/" + namespace : "") + "/" + type.plural();
  }

  static String object(ResourceType type, String namespace, String name) {
    return collection(type, namespace) + "/" + encode(name);
  }

  /** {@code deployment.apps/web}, {@code pod/hello}: how kubectl names an object in its output. */
  static String id(ResourceType type, String name) {
    return type.kind().toLowerCase(Locale.ROOT) + (type.group().isEmpty() ? "" : "." + type.group()) + "/" + name;
  }

  /** {@code deployments.apps "web"}: how Kubernetes names an object in messages. */
  static String quoted(ResourceType type, String name) {
    return type.qualifiedName() + " \"" + name + "\"";
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
