package dev.tugboat.cli;

import dev.tugboat.model.ResourceType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** What the user names on the command line (kinds, {@code kind/name}) turned into API paths. */
final class Resources {
  private Resources() {}

  /** The kind a user means ({@code deploy}, {@code pods}, {@code Deployment}, {@code deployments.apps}). */
  static ResourceType type(String name) {
    return ResourceType.byName(name).orElseThrow(() ->
        new CliException("error: the server doesn't have a resource type \"" + name + "\""));
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
