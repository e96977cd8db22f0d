package dev.tugboat.kinds.replicaset;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.ScaleSubresource;
import dev.tugboat.kind.SelectableField;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.Defaults;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ReplicaSet;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Validation;
import io.kubernetes.client.proto.V1Apps;
import java.util.List;
import java.util.Optional;

/** ReplicaSets (apps/v1): kept at their replica count by the ReplicaSet controller. */
public final class ReplicaSetStrategy extends TypedStrategy<ReplicaSet> {
  public static final ResourceType TYPE = new ResourceType("apps", "v1", "ReplicaSet", "replicasets", "replicaset",
      List.of("rs"), true, List.of("all"), List.of("status", "scale"), ReplicaSet.class);
  private static final Printer PRINTER = new ReplicaSetPrinter();
  private static final List<SelectableField> FIELDS = List.of(SelectableField.withAbsent("status.replicas", "0"));

  public ReplicaSetStrategy() {
    super(TYPE, ReplicaSet.class);
  }

  @Override
  protected ReplicaSet defaults(ReplicaSet r) {
    return Defaults.replicaSet(r);
  }

  @Override
  protected void validate(ReplicaSet r, List<FieldError> errors) {
    Validation.validateReplicaSet(errors, r);
  }

  @Override
  protected void validateUpdate(ReplicaSet current, ReplicaSet updated, List<FieldError> errors) {
    Validation.validateSelectorUpdate(errors, current.spec() == null ? null : current.spec().selector(),
        updated.spec() == null ? null : updated.spec().selector());
  }

  @Override
  public List<SelectableField> selectableFields() {
    return FIELDS;
  }

  @Override
  public Optional<ScaleSubresource> scale() {
    return Optional.of(ScaleSubresource.REPLICAS);
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1Apps.ReplicaSet.class, V1Apps.ReplicaSetList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
