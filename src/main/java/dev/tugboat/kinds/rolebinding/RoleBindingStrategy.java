package dev.tugboat.kinds.rolebinding;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.kinds.role.Role;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Validation;
import io.kubernetes.client.proto.V1Rbac;
import java.util.List;
import java.util.Optional;

/**
 * RoleBindings (rbac.authorization.k8s.io/v1), with Kubernetes' ValidateRoleBinding: a roleRef to a
 * Role or ClusterRole, never changed afterwards; subjects of a known kind with a name. Whether the
 * requester may grant the role (escalation) is the API server's authorization, not the kind's.
 */
public final class RoleBindingStrategy extends TypedStrategy<RoleBinding> {
  public static final ResourceType TYPE = new ResourceType(Role.GROUP, "v1", "RoleBinding", "rolebindings",
      "rolebinding", List.of(), true, List.of(), List.of(), RoleBinding.class);
  private static final Printer PRINTER = new RoleBindingPrinter();
  private static final List<String> ROLE_KINDS = List.of("Role", "ClusterRole");

  public RoleBindingStrategy() {
    super(TYPE, RoleBinding.class);
  }

  @Override
  protected RoleBinding defaults(RoleBinding b) {
    return new RoleBinding(b.apiVersion(), b.kind(), b.metadata(), Bindings.defaultSubjects(b.subjects()),
        Bindings.defaultRoleRef(b.roleRef()));
  }

  @Override
  protected void validate(RoleBinding binding, List<FieldError> errors) {
    Bindings.validate(binding.roleRef(), ROLE_KINDS, binding.subjects(), true, errors);
  }

  @Override
  protected void validateUpdate(RoleBinding current, RoleBinding updated, List<FieldError> errors) {
    Bindings.validateUpdate(current.roleRef(), updated.roleRef(), errors);
  }

  /** RBAC names are path segments ({@code system:discovery}), as Kubernetes' ValidateRBACName. */
  @Override
  public Validation.NameRule nameRule() {
    return Validation.NameRule.PATH_SEGMENT;
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1Rbac.RoleBinding.class, V1Rbac.RoleBindingList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
