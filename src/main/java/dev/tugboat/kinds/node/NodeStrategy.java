package dev.tugboat.kinds.node;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.SelectableField;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.Node;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Validation;
import io.kubernetes.client.proto.V1;
import java.util.List;
import java.util.Optional;

/** Nodes (core/v1): registered and reported by their node agents. */
public final class NodeStrategy extends TypedStrategy<Node> {
  public static final ResourceType TYPE = new ResourceType("", "v1", "Node", "nodes", "node", List.of("no"), false,
      List.of(), List.of("status"), Node.class);
  private static final Printer PRINTER = new NodePrinter();
  private static final List<SelectableField> FIELDS = List.of(SelectableField.withAbsent("spec.unschedulable", "false"));

  public NodeStrategy() {
    super(TYPE, Node.class);
  }

  @Override
  protected void validate(Node n, List<FieldError> errors) {
    Validation.validateNode(errors, n);
  }

  /** A Node's changes are its agent's periodic status reports (see {@code NodeLease}). */
  @Override
  public boolean keepsHistory() {
    return false;
  }

  @Override
  public List<SelectableField> selectableFields() {
    return FIELDS;
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1.Node.class, V1.NodeList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
