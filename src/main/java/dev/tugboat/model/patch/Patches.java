package dev.tugboat.model.patch;

import com.fasterxml.jackson.databind.JsonNode;

/** The three PATCH media types Kubernetes accepts, applied to an object's JSON tree. */
public final class Patches {
  public static final String JSON_PATCH = "application/json-patch+json";
  public static final String MERGE_PATCH = "application/merge-patch+json";
  public static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";

  private Patches() {}

  /**
   * Applies {@code patch} to a copy of {@code target}.
   *
   * @throws IllegalArgumentException when the patch does not apply, saying why
   */
  public static JsonNode apply(String mediaType, JsonNode target, JsonNode patch) {
    return switch (mediaType) {
      case JSON_PATCH -> JsonPatch.apply(target, patch);
      case MERGE_PATCH -> MergePatch.apply(target, patch);
      case STRATEGIC_MERGE_PATCH -> StrategicMergePatch.apply(target, patch);
      default -> throw new IllegalArgumentException("unsupported patch type " + mediaType);
    };
  }
}
