package dev.tugboat.kinds.clusterrolebinding;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.kinds.role.Role;
import dev.tugboat.kinds.rolebinding.Bindings;
import dev.tugboat.kinds.rolebinding.RoleBindingPrinter;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Validation;
import io.kubernetes.client.proto.V1Rbac;
import java.util.List;
import java.util.Optional;

/**
 * ClusterRoleBindings (rbac.authorization.k8s.io/v1): a roleRef to a ClusterRole only, never
 * changed afterwards; a ServiceAccount subject names its namespace.
 */
public final class ClusterRoleBindingStrategy extends TypedStrategy<ClusterRoleBinding> {
  public static final ResourceType TYPE = new ResourceType(Role.GROUP, "v1", "ClusterRoleBinding",
      "clusterrolebindings", "clusterrolebinding", List.of(), false, List.of(), List.of(), ClusterRoleBinding.class);
  private static final Printer PRINTER = new RoleBindingPrinter();

  public ClusterRoleBindingStrategy() {
    super(TYPE, ClusterRoleBinding.class);
  }

  @Override
  protected ClusterRoleBinding defaults(ClusterRoleBinding b) {
    return new ClusterRoleBinding(b.apiVersion(), b.kind(), b.metadata(), Bindings.defaultSubjects(b.subjects()),
        Bindings.defaultRoleRef(b.roleRef()));
  }

  @Override
  protected void validate(ClusterRoleBinding binding, List<FieldError> errors) {
    Bindings.validate(binding.roleRef(), List.of("ClusterRole"), binding.subjects(), false, errors);
  }

  @Override
  protected void validateUpdate(ClusterRoleBinding current, ClusterRoleBinding updated, List<FieldError> errors) {
    Bindings.validateUpdate(current.roleRef(), updated.roleRef(), errors);
  }

  /** RBAC names are path segments ({@code system:discovery}), as Kubernetes' ValidateRBACName. */
  @Override
  public Validation.NameRule nameRule() {
    return Validation.NameRule.PATH_SEGMENT;
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1Rbac.ClusterRoleBinding.class, V1Rbac.ClusterRoleBindingList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
