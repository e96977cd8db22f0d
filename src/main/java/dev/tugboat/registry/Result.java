package dev.tugboat.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Status;

/**
 * The answer of an object entity: the object, or a Kubernetes {@link Status} saying why not. Not
 * Pekko's StatusReply: an API error has a code, a reason and field causes that a string cannot carry.
 */
public sealed interface Result extends CborSerializable {
  /**
   * The write was persisted, or only tried (a dry run), or the read found the object;
   * {@code created} when an apply created it; {@code warnings} for the client's {@code Warning}
   * headers (Pod Security's "would violate"), never null.
   */
  record Ok(ObjectNode object, boolean created, java.util.List<String> warnings) implements Result {
    public Ok {
      warnings = warnings == null ? java.util.List.of() : java.util.List.copyOf(warnings);
    }

    public Ok(ObjectNode object, boolean created) {
      this(object, created, java.util.List.of());
    }

    public Ok(ObjectNode object) {
      this(object, false);
    }

    /** This result with {@code more} warnings after its own. */
    public Ok warned(java.util.List<String> more) {
      if (more.isEmpty()) return this;
      java.util.List<String> all = new java.util.ArrayList<>(warnings);
      all.addAll(more);
      return new Ok(object, created, all);
    }
  }

  /** Nothing was written; {@code status} says why. */
  record Failed(Status status) implements Result {}
}
