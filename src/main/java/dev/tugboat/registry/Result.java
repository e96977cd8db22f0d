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
   * {@code created} when an apply created it.
   */
  record Ok(ObjectNode object, boolean created) implements Result {
    public Ok(ObjectNode object) {
      this(object, false);
    }
  }

  /** Nothing was written; {@code status} says why. */
  record Failed(Status status) implements Result {}
}
