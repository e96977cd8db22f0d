package dev.tugboat.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.ObjectReference;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** What controllers read off any object's metadata, on its JSON. Pure. */
public final class Meta {
  private Meta() {}

  public static String uid(JsonNode object) {
    return object.path("metadata").path("uid").asText();
  }

  public static String name(JsonNode object) {
    return object.path("metadata").path("name").asText();
  }

  public static String namespace(JsonNode object) {
    return object.path("metadata").path("namespace").asText();
  }

  public static Instant created(JsonNode object) {
    return Pods.instant(object.path("metadata").path("creationTimestamp").asText(null), Instant.EPOCH);
  }

  /** The uid of the object's controller owner, or null. */
  public static String controllerUid(JsonNode object) {
    for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
      if (ref.path("controller").asBoolean(false)) return ref.path("uid").asText();
    }
    return null;
  }

  public static Map<String, String> labels(JsonNode object) {
    Map<String, String> labels = new HashMap<>();
    object.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  /** The reference an Event about this object names (its involvedObject). */
  public static ObjectReference reference(ObjectNode object) {
    String namespace = namespace(object);
    return new ObjectReference(object.path("kind").asText(), namespace.isEmpty() ? null : namespace, name(object),
        uid(object), object.path("apiVersion").asText(), null, null);
  }
}
