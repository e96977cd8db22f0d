package dev.tugboat.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A list response ({@code PodList}, {@code DeploymentList}, ...). Items are never null here: an
 * empty list is {@code "items": []}, which clients such as kubectl expect.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObjectList<T extends ApiObject>(String apiVersion, String kind, ListMeta metadata, List<T> items) {

  public ObjectList {
    items = items == null ? List.of() : items;
  }

  /** The list of {@code type} at {@code resourceVersion}. */
  public static <T extends ApiObject> ObjectList<T> of(ResourceType type, String resourceVersion, List<T> items) {
    return new ObjectList<>(type.apiVersion(), type.listKind(), ListMeta.at(resourceVersion), items);
  }

  /** The same list as one page of a paged list. */
  public ObjectList<T> withContinue(String continueToken, Long remainingItemCount) {
    String rv = metadata == null ? null : metadata.resourceVersion();
    return new ObjectList<>(apiVersion, kind, new ListMeta(rv, continueToken, remainingItemCount), items);
  }
}
