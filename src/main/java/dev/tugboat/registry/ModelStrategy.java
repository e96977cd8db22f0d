package dev.tugboat.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.Codec;
import dev.tugboat.model.Defaults;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Status;
import dev.tugboat.model.Validation;
import dev.tugboat.model.patch.Patches;
import java.util.ArrayList;
import java.util.List;

/**
 * The admission of every kind the model knows: decode into the model's record (which also checks
 * types), apply Kubernetes' defaults, validate, and store the record's JSON again.
 */
public final class ModelStrategy implements KindStrategy {
  private final ResourceType type;

  public ModelStrategy(ResourceType type) {
    this.type = type;
  }

  /** A strategy for each kind of {@link ResourceType#all()}. */
  public static List<KindStrategy> forAllKinds() {
    return ResourceType.all().stream().map(t -> (KindStrategy) new ModelStrategy(t)).toList();
  }

  @Override
  public String kind() {
    return type.kind();
  }

  @Override
  public String group() {
    return type.group();
  }

  @Override
  public String plural() {
    return type.plural();
  }

  @Override
  public boolean hasStatus() {
    return type.subresources().contains("status");
  }

  @Override
  public Admission admitCreate(ObjectNode object) {
    return admit(null, object);
  }

  @Override
  public Admission admitUpdate(ObjectNode current, ObjectNode candidate) {
    return admit(current, candidate);
  }

  private Admission admit(ObjectNode current, ObjectNode candidate) {
    ApiObject typed;
    try {
      typed = Defaults.apply(Codec.decode(candidate, type));
    } catch (Codec.DecodeException e) {
      return Admission.refused(Status.invalid(type.group(), type.kind(), name(candidate),
          List.of(FieldError.invalid(e.field(), e.value(), e.reason()))));
    }
    List<FieldError> errors = new ArrayList<>(Validation.validate(typed));
    // The update rules compare metadata and spec only; a write that leaves both as they are (a
    // status write: node, pod and controller statuses, most writes there are) passes them,
    // and comparing the trees is far cheaper than decoding the current object once more.
    boolean sameMetadataAndSpec = current != null && current.path("metadata").equals(candidate.path("metadata"))
        && current.path("spec").equals(candidate.path("spec"));
    if (current != null && !sameMetadataAndSpec) {
      errors.addAll(Validation.validateUpdate(Codec.decode(current, type), typed));
    }
    if (!errors.isEmpty()) return Admission.refused(Status.invalid(type.group(), type.kind(), name(candidate), errors));
    return Admission.ok(Codec.toObjectNode(typed));
  }

  /**
   * A Pod bound to a node terminates gracefully: its agent sends SIGTERM, waits up to the grace
   * period, and then confirms the delete with grace 0. A pod no node runs goes at once.
   */
  @Override
  public long deletionGracePeriod(ObjectNode current, Long requested) {
    if (!"Pod".equals(type.kind())) return 0;
    if (current.path("spec").path("nodeName").asText("").isEmpty()) return 0;
    if (requested != null) return requested;
    return current.path("spec").path("terminationGracePeriodSeconds").asLong(30);
  }

  /** A Node's changes are its agent's periodic status reports (see {@code NodeLease}). */
  @Override
  public boolean keepsHistory() {
    return !"Node".equals(type.kind());
  }

  @Override
  public ObjectNode applyPatch(String patchType, ObjectNode current, JsonNode patch) {
    JsonNode result = Patches.apply(patchType, current, patch);
    if (!(result instanceof ObjectNode object)) {
      throw new IllegalArgumentException("the patch does not leave an object");
    }
    return object;
  }

  private static String name(ObjectNode o) {
    return o.path("metadata").path("name").asText("");
  }
}
