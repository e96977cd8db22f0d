package dev.tugboat.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Status;

/**
 * What the generic {@link ObjectEntity} needs to know about one kind (Kubernetes calls it a
 * registry strategy): its names, whether it has a status subresource, and its admission (defaults,
 * then validation) for creates and updates.
 */
public interface KindStrategy {
  String kind();

  /** API group, "" for the core group. */
  String group();

  /** Plural resource name, as in URLs and error messages ("pods", "deployments"). */
  String plural();

  /** True when status is written only through the status subresource. */
  boolean hasStatus();

  /** Defaults then validates a new object. */
  Admission admitCreate(ObjectNode object);

  /** Defaults then validates a replacement of {@code current}, including immutable fields. */
  Admission admitUpdate(ObjectNode current, ObjectNode candidate);

  /**
   * Applies a patch of the given media type to {@code current} without changing it.
   *
   * @throws IllegalArgumentException when the patch does not apply, saying why
   */
  ObjectNode applyPatch(String patchType, ObjectNode current, JsonNode patch);

  /**
   * How long a delete of {@code current} waits for whoever runs it to stop it (0: deleted at once).
   * {@code requested} is the client's gracePeriodSeconds, null when it gave none.
   */
  default long deletionGracePeriod(ObjectNode current, Long requested) {
    return 0;
  }

  /**
   * False for kinds whose changes are mostly periodic status reports: their events are deleted once a snapshot
   * covers them, so the journal stays small.
   */
  default boolean keepsHistory() {
    return true;
  }

  /** The admitted object, or the Status that refuses it (exactly one is non-null). */
  record Admission(ObjectNode object, Status failure) {
    public static Admission ok(ObjectNode object) {
      return new Admission(object, null);
    }

    public static Admission refused(Status failure) {
      return new Admission(null, failure);
    }
  }
}
