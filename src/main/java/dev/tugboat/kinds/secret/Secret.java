package dev.tugboat.kinds.secret;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.ObjectMeta;
import java.util.Map;

/**
 * A Secret (core/v1): credentials a pod reads as environment variables or files (on tmpfs). Stored
 * encrypted (see {@code registry.SecretEncryption}); never logged.
 *
 * @param data base64-encoded values by key
 * @param stringData plain values a client may write; merged into {@code data} on write, never stored
 * @param type Opaque, kubernetes.io/tls, kubernetes.io/dockerconfigjson, ... (fixed once created)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Secret(String apiVersion, String kind, ObjectMeta metadata, Map<String, String> data,
    Map<String, String> stringData, String type, Boolean immutable) implements ApiObject {

  @Override
  public Secret withMetadata(ObjectMeta metadata) {
    return new Secret(apiVersion, kind, metadata, data, stringData, type, immutable);
  }

  Secret withDataAndType(Map<String, String> data, String type) {
    return new Secret(apiVersion, kind, metadata, data, null, type, immutable);
  }

  @Override
  public String toString() {
    // Never the values: a Secret printed by a log line says only what it is.
    return "Secret[" + (metadata == null ? "" : metadata.namespace() + "/" + metadata.name()) + ", type=" + type
        + ", keys=" + (data == null ? "[]" : data.keySet()) + "]";
  }
}
