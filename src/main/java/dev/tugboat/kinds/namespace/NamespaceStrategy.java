package dev.tugboat.kinds.namespace;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.SelectableField;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.Defaults;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.Namespace;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Validation;
import io.kubernetes.client.proto.V1;
import java.util.List;
import java.util.Optional;

/** Namespaces (core/v1): emptied by the namespace controller before they go. */
public final class NamespaceStrategy extends TypedStrategy<Namespace> {
  public static final ResourceType TYPE = new ResourceType("", "v1", "Namespace", "namespaces", "namespace",
      List.of("ns"), false, List.of(), List.of("status"), Namespace.class);
  /** Set on a namespace being deleted; the namespace controller removes it once the namespace is empty. */
  public static final String FINALIZER = "kubernetes";
  private static final Printer PRINTER = new NamespacePrinter();
  private static final List<SelectableField> FIELDS = List.of(SelectableField.of("status.phase"));

  public NamespaceStrategy() {
    super(TYPE, Namespace.class);
  }

  @Override
  protected Namespace defaults(Namespace n) {
    return Defaults.namespace(n);
  }

  @Override
  protected void validate(Namespace n, List<FieldError> errors) {}

  /** What Tugboat itself lives in and creates at start: Kubernetes' NamespaceLifecycle admission keeps them too. */
  private static final java.util.Set<String> SYSTEM = java.util.Set.of("default", "kube-system", "kube-public");

  @Override
  public String undeletable(String namespace, String name) {
    return SYSTEM.contains(name) ? "this namespace may not be deleted" : null;
  }

  /** Deleting a namespace first empties it, whatever the propagation policy. */
  @Override
  public List<String> finalizersOnDelete(String propagationPolicy) {
    return List.of(FINALIZER);
  }

  @Override
  public List<SelectableField> selectableFields() {
    return FIELDS;
  }

  /** Its name becomes a DNS label (a Service's in its cluster DNS name, a Namespace's in every Service's). */
  @Override
  public Validation.NameRule nameRule() {
    return Validation.NameRule.DNS_LABEL;
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1.Namespace.class, V1.NamespaceList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
