package dev.tugboat.model;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every kind the API serves, with the names Kubernetes gives it: group and version, plural
 * (resource) name, singular, short names, scope, categories and subresources. One table, used by
 * routing, discovery, the CLI and the registry.
 */
public record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    List<String> shortNames,
    boolean namespaced,
    List<String> categories,
    List<String> subresources,
    Class<? extends ApiObject> javaClass) {

  private static final List<ResourceType> ALL = List.of(
      new ResourceType("", "v1", "Namespace", "namespaces", "namespace", List.of("ns"), false, List.of(),
          List.of("status"), Namespace.class),
      new ResourceType("", "v1", "Node", "nodes", "node", List.of("no"), false, List.of(), List.of("status"), Node.class),
      new ResourceType("", "v1", "Pod", "pods", "pod", List.of("po"), true, List.of("all"),
          List.of("status", "log", "binding"), Pod.class),
      new ResourceType("", "v1", "Service", "services", "service", List.of("svc"), true, List.of("all"),
          List.of("status"), Service.class),
      new ResourceType("", "v1", "Endpoints", "endpoints", "endpoints", List.of("ep"), true, List.of(), List.of(),
          Endpoints.class),
      new ResourceType("", "v1", "Event", "events", "event", List.of("ev"), true, List.of(), List.of(), Event.class),
      new ResourceType("apps", "v1", "Deployment", "deployments", "deployment", List.of("deploy"), true, List.of("all"),
          List.of("status", "scale"), Deployment.class),
      new ResourceType("apps", "v1", "ReplicaSet", "replicasets", "replicaset", List.of("rs"), true, List.of("all"),
          List.of("status", "scale"), ReplicaSet.class));

  public static List<ResourceType> all() {
    return ALL;
  }

  /** {@code v1} for the core group, else {@code group/version}. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  public String listKind() {
    return kind + "List";
  }

  /** How Kubernetes names the resource in messages: {@code pods}, {@code deployments.apps}. */
  public String qualifiedName() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  public static Optional<ResourceType> byKind(String apiVersion, String kind) {
    return ALL.stream().filter(t -> t.apiVersion().equals(apiVersion) && t.kind().equals(kind)).findFirst();
  }

  public static Optional<ResourceType> byKind(String kind) {
    return ALL.stream().filter(t -> t.kind().equals(kind)).findFirst();
  }

  /** The type of a list kind ({@code v1}, {@code PodList}). */
  public static Optional<ResourceType> byListKind(String apiVersion, String listKind) {
    return ALL.stream().filter(t -> t.apiVersion().equals(apiVersion) && t.listKind().equals(listKind)).findFirst();
  }

  /** The type at {@code /apis/{group}/{version}/{plural}} for any version the group serves. */
  public static Optional<ResourceType> byPlural(String group, String plural) {
    return ALL.stream().filter(t -> t.group().equals(group) && t.plural().equals(plural)).findFirst();
  }

  public static Optional<ResourceType> byPlural(String group, String version, String plural) {
    return ALL.stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural))
        .findFirst();
  }

  /**
   * The type a user means by a name: plural, singular, short name or kind, case-insensitive, with or
   * without a group suffix ({@code deployments.apps}, {@code deployments.v1.apps}).
   */
  public static Optional<ResourceType> byName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return ALL.stream().filter(t -> t.plural().equals(n) || t.singular().equals(n) || t.shortNames().contains(n)
            || t.kind().toLowerCase(Locale.ROOT).equals(n) || t.qualifiedName().equals(n)
            || (t.singular() + "." + t.group()).equals(n)
            || (t.plural() + "." + t.version() + "." + t.group()).equals(n))
        .findFirst();
  }
}
