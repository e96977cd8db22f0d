package dev.tugboat.kind;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.Codec;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Status;
import dev.tugboat.model.Validation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The admission of a kind that has a record: decode into the record (which checks types), apply
 * the kind's defaults, validate metadata and the kind's own rules, and store the record's JSON.
 * A kind extends it and says only what is its own.
 *
 * @param <T> the kind's record
 */
public abstract class TypedStrategy<T extends ApiObject> implements KindStrategy {
  private final ResourceType type;
  private final Class<T> recordClass;

  protected TypedStrategy(ResourceType type, Class<T> recordClass) {
    this.type = type;
    this.recordClass = recordClass;
  }

  @Override
  public final ResourceType type() {
    return type;
  }

  /** Kubernetes' defaults for what the user left out; idempotent. */
  protected T defaults(T object) {
    return object;
  }

  /** The kind's own rules (metadata is checked for every kind). */
  protected abstract void validate(T object, List<FieldError> errors);

  /** The rules of a change: immutable fields. Called only when metadata or spec changed. */
  protected void validateUpdate(T current, T updated, List<FieldError> errors) {}

  @Override
  public Admission admit(ObjectNode current, ObjectNode candidate) {
    T typed;
    try {
      typed = defaults(decode(candidate));
    } catch (Codec.DecodeException e) {
      return Admission.refused(Status.invalid(type.group(), type.kind(), name(candidate),
          List.of(FieldError.invalid(e.field(), e.value(), e.reason()))));
    }
    List<FieldError> errors = new ArrayList<>(validationErrors(typed));
    // The update rules run only when something besides status changed: most writes are status
    // writes (node, pod and controller statuses), and comparing trees is far cheaper than decoding
    // the current object once more.
    if (current != null && !sameOutsideStatus(current, candidate)) errors.addAll(updateErrors(decode(current), typed));
    if (!errors.isEmpty()) return Admission.refused(Status.invalid(type.group(), type.kind(), name(candidate), errors));
    return Admission.ok(Codec.toObjectNode(typed));
  }

  /** The object with the kind's defaults. */
  public final T defaulted(T object) {
    return defaults(object);
  }

  /** Every rule of a new object: metadata's, then the kind's own. */
  public final List<FieldError> validationErrors(T object) {
    List<FieldError> errors = new ArrayList<>(Validation.validateMetadata(nameRule(), object.metadata()));
    if (object.metadata() != null) validate(object, errors);
    return errors;
  }

  /** The rules of a change from {@code current} to {@code updated}. */
  public final List<FieldError> updateErrors(T current, T updated) {
    List<FieldError> errors = new ArrayList<>(Validation.validateMetadataUpdate(current.metadata(), updated.metadata()));
    validateUpdate(current, updated, errors);
    return errors;
  }

  private T decode(ObjectNode tree) {
    return Codec.decode(tree, recordClass, false).object();
  }

  private static boolean sameOutsideStatus(ObjectNode a, ObjectNode b) {
    if (a.size() - (a.has("status") ? 1 : 0) != b.size() - (b.has("status") ? 1 : 0)) return false;
    for (Iterator<String> fields = a.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (!field.equals("status") && !a.get(field).equals(b.get(field))) return false;
    }
    return true;
  }

  private static String name(ObjectNode o) {
    return o.path("metadata").path("name").asText("");
  }
}
