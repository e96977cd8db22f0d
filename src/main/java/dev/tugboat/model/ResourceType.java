package dev.tugboat.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The names Kubernetes gives a kind: group and version, plural (resource) name, singular, short
 * names, scope, categories and subresources; and the lookups over every kind served, used by
 * routing, discovery, the CLI and the registry. Each kind declares its own in its strategy.
 *
 * @param javaClass the kind's record, or null for a kind without one (a custom resource)
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

  /**
   * Supplies the kinds this build serves ({@code dev.tugboat.kinds.Kinds}), found through
   * {@link ServiceLoader} so that the model names no kind of its own.
   */
  public interface Provider {
    List<ResourceType> builtIn();
  }

  /**
   * Loaded on first use, not when this class is: the provider's own strategies create
   * ResourceTypes while it initializes.
   */
  private static final class BuiltIn {
    static final List<ResourceType> ALL = ServiceLoader.load(Provider.class).stream()
        .flatMap(p -> p.get().builtIn().stream()).toList();
  }


  /** Kinds added at run time (CustomResourceDefinitions), a type per served version; replaced whole. */
  private static volatile List<ResourceType> added = List.of();
  /** Counts every {@link #define}: what is derived from the kinds served (OpenAPI) is made again after one. */
  private static volatile long generation;

  /** How many times the kinds served were defined at run time; changes with each definition. */
  public static long generation() {
    return generation;
  }

  /** Every kind served: the built-in ones, then those added at run time. */
  public static List<ResourceType> all() {
    List<ResourceType> extra = added;
    if (extra.isEmpty()) return BuiltIn.ALL;
    List<ResourceType> all = new ArrayList<>(BuiltIn.ALL);
    all.addAll(extra);
    return all;
  }

  /**
   * Serves a kind defined at run time at exactly {@code versions} (the stored one first), in place
   * of what was served for it before: a request never sees the kind missing in between.
   */
  public static synchronized void define(String group, String kind, List<ResourceType> versions) {
    List<ResourceType> next = new ArrayList<>(added);
    next.removeIf(t -> t.group().equals(group) && t.kind().equals(kind));
    next.addAll(versions);
    added = List.copyOf(next);
    generation++;
  }

  /** Stops serving a kind defined at run time. */
  public static synchronized void remove(String group, String kind) {
    define(group, kind, List.of());
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
    return all().stream().filter(t -> t.apiVersion().equals(apiVersion) && t.kind().equals(kind)).findFirst();
  }

  public static Optional<ResourceType> byKind(String kind) {
    return all().stream().filter(t -> t.kind().equals(kind)).findFirst();
  }

  /** The type of a list kind ({@code v1}, {@code PodList}). */
  public static Optional<ResourceType> byListKind(String apiVersion, String listKind) {
    return all().stream().filter(t -> t.apiVersion().equals(apiVersion) && t.listKind().equals(listKind)).findFirst();
  }

  /** The type at {@code /apis/{group}/{version}/{plural}} for any version the group serves. */
  public static Optional<ResourceType> byPlural(String group, String plural) {
    return all().stream().filter(t -> t.group().equals(group) && t.plural().equals(plural)).findFirst();
  }

  public static Optional<ResourceType> byPlural(String group, String version, String plural) {
    return all().stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural))
        .findFirst();
  }

  /**
   * The type a user means by a name: plural, singular, short name or kind, case-insensitive, with or
   * without a group suffix ({@code deployments.apps}, {@code deployments.v1.apps}).
   */
  public static Optional<ResourceType> byName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return all().stream().filter(t -> t.plural().equals(n) || t.singular().equals(n) || t.shortNames().contains(n)
            || t.kind().toLowerCase(Locale.ROOT).equals(n) || t.qualifiedName().equals(n)
            || (t.singular() + "." + t.group()).equals(n)
            || (t.plural() + "." + t.version() + "." + t.group()).equals(n))
        .findFirst();
  }
}
