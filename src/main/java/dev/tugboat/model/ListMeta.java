package dev.tugboat.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code metadata} of a list: the resourceVersion to watch from, and the token and count of a
 * paged list. {@code continue} is a Java keyword, hence the component's name.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ListMeta(
    String resourceVersion,
    @JsonProperty("continue") String continueToken,
    Long remainingItemCount) {

  public static ListMeta at(String resourceVersion) {
    return new ListMeta(resourceVersion, null, null);
  }
}
