package dev.tugboat.apiserver;

import dev.tugboat.model.ResourceType;
import java.util.List;
import java.util.Optional;

/**
 * What a Kubernetes-style resource path names: a kind, a namespace (for namespaced kinds), an object
 * name and a subresource, each possibly absent.
 *
 * <pre>
 * /api/v1/{plural}                                  cluster-scoped collection, or all namespaces
 * /api/v1/{plural}/{name}[/{subresource}]           cluster-scoped object
 * /api/v1/namespaces/{ns}/{plural}[/{name}[/{sub}]] namespaced
 * /apis/{group}/{version}/...                        the same, for a named group
 * </pre>
 *
 * @param namespace null for cluster-scoped kinds and for lists across all namespaces
 * @param name null for a collection
 * @param subresource null, "status" or "scale"
 */
public record ApiPath(ResourceType type, String namespace, String name, String subresource) {

  public boolean collection() {
    return name == null;
  }

  /**
   * Parses the segments after the root, e.g. {@code ["api","v1","namespaces","default","pods"]}.
   * Empty when the path names no resource this server has.
   */
  public static Optional<ApiPath> parse(List<String> segments) {
    int i;
    String group;
    String version;
    if (segments.size() >= 3 && segments.get(0).equals("api")) {
      group = "";
      version = segments.get(1);
      i = 2;
    } else if (segments.size() >= 4 && segments.get(0).equals("apis")) {
      group = segments.get(1);
      version = segments.get(2);
      i = 3;
    } else {
      return Optional.empty();
    }
    List<String> rest = segments.subList(i, segments.size());
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
      Optional<ResourceType> namespaced = ResourceType.byPlural(group, version, rest.get(2)).filter(ResourceType::namespaced);
      if (namespaced.isPresent()) {
        String namespace = rest.get(1);
        return switch (rest.size()) {
          case 3 -> Optional.of(new ApiPath(namespaced.get(), namespace, null, null));
          case 4 -> Optional.of(new ApiPath(namespaced.get(), namespace, rest.get(3), null));
          case 5 -> Optional.of(new ApiPath(namespaced.get(), namespace, rest.get(3), rest.get(4)));
          default -> Optional.empty();
        };
      }
    }
    Optional<ResourceType> type = ResourceType.byPlural(group, version, rest.get(0));
    if (type.isEmpty()) return Optional.empty();
    boolean namespaced = type.get().namespaced();
    return switch (rest.size()) {
      case 1 -> Optional.of(new ApiPath(type.get(), null, null, null)); // all namespaces, or cluster-scoped
      case 2 -> namespaced ? Optional.empty() : Optional.of(new ApiPath(type.get(), null, rest.get(1), null));
      case 3 -> namespaced ? Optional.empty() : Optional.of(new ApiPath(type.get(), null, rest.get(1), rest.get(2)));
      default -> Optional.empty();
    };
  }
}
