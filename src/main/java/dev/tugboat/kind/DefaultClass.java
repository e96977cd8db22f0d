package dev.tugboat.kind;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Predicate;

/**
 * Which of several class objects (StorageClasses, IngressClasses) is the default, as Kubernetes
 * picks it when more than one is marked: the newest, then the first by name; one being deleted
 * does not count.
 */
public final class DefaultClass {
  private DefaultClass() {}

  /** The name of the default among {@code classes}, those {@code isDefault} marks; null for none. */
  public static String among(JsonNode classes, Predicate<JsonNode> isDefault) {
    String best = null;
    String bestCreated = "";
    for (JsonNode c : classes) {
      if (!isDefault.test(c) || c.path("metadata").has("deletionTimestamp")) continue;
      String created = c.path("metadata").path("creationTimestamp").asText("");
      String name = c.path("metadata").path("name").asText();
      if (best == null || created.compareTo(bestCreated) > 0 || (created.equals(bestCreated) && name.compareTo(best) < 0)) {
        best = name;
        bestCreated = created;
      }
    }
    return best;
  }
}
