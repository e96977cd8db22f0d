package dev.tugboat.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import dev.tugboat.registry.CborSerializable;

/**
 * A change of an object, as a subscriber of {@link TugboatClient#subscribe} receives it.
 *
 * @param type ADDED, MODIFIED or DELETED (between a gateway and a subscription's informer also ERROR,
 *     which a subscriber never sees)
 * @param kind the object's kind
 * @param object the object after the change (its last state when DELETED)
 */
public record ObjectChanged(String type, String kind, ObjectNode object) implements CborSerializable {
  /** The object as one of the model's records ({@code change.as(Pod.class)}). */
  public <T> T as(Class<T> type) {
    return Codec.convert(object, type);
  }

  public String name() {
    return object.path("metadata").path("name").asText();
  }

  public long resourceVersion() {
    return object.path("metadata").path("resourceVersion").asLong(0);
  }
}
