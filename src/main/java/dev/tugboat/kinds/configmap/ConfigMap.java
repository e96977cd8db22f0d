package dev.tugboat.kinds.configmap;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.ObjectMeta;
import java.util.Map;

/**
 * A ConfigMap (core/v1): configuration a pod reads as environment variables or files.
 *
 * @param data UTF-8 values by key
 * @param binaryData base64-encoded values by key (keys never also in {@code data})
 * @param immutable once true, data and binaryData never change again
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConfigMap(String apiVersion, String kind, ObjectMeta metadata, Map<String, String> data,
    Map<String, String> binaryData, Boolean immutable) implements ApiObject {

  @Override
  public ConfigMap withMetadata(ObjectMeta metadata) {
    return new ConfigMap(apiVersion, kind, metadata, data, binaryData, immutable);
  }
}
