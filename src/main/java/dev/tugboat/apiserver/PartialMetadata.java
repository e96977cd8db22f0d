package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The metadata-only forms of objects ({@code meta.k8s.io/v1 PartialObjectMetadata} and its list),
 * what client-go's metadata client and informers ask for: garbage collectors and controllers that
 * need names, labels, owners and finalizers of many objects, never their specs.
 */
final class PartialMetadata {
  static final String API_VERSION = "meta.k8s.io/v1";

  private PartialMetadata() {}

  /** An object's metadata only. */
  static ObjectNode of(ObjectNode object) {
    ObjectNode partial = JsonNodeFactory.instance.objectNode();
    partial.put("kind", "PartialObjectMetadata");
    partial.put("apiVersion", API_VERSION);
    partial.set("metadata", object.path("metadata").deepCopy());
    return partial;
  }

  /** A list of objects' metadata, with the list's resourceVersion and paging. */
  static ObjectNode list(List<ObjectNode> items, long resourceVersion, String continueToken, Long remaining) {
    ObjectNode list = JsonNodeFactory.instance.objectNode();
    list.put("kind", "PartialObjectMetadataList");
    list.put("apiVersion", API_VERSION);
    ObjectNode meta = list.putObject("metadata");
    meta.put("resourceVersion", Long.toString(resourceVersion));
    if (continueToken != null) meta.put("continue", continueToken);
    if (remaining != null) meta.put("remainingItemCount", remaining);
    ArrayNode array = list.putArray("items");
    items.forEach(item -> array.add(of(item)));
    return list;
  }
}
