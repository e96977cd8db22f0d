package dev.tugboat.kinds.role;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Validation;
import io.kubernetes.client.proto.V1Rbac;
import java.util.List;
import java.util.Optional;

/**
 * Roles (rbac.authorization.k8s.io/v1), with Kubernetes' ValidateRole: every rule has verbs, a
 * resource rule names API groups and resources, and a namespaced rule names no non-resource URL.
 * Who may write which rules (escalation) is the API server's authorization, not the kind's.
 */
public final class RoleStrategy extends TypedStrategy<Role> {
  public static final ResourceType TYPE = new ResourceType(Role.GROUP, "v1", "Role", "roles", "role", List.of(), true,
      List.of(), List.of(), Role.class);
  private static final Printer PRINTER = new RolePrinter();

  public RoleStrategy() {
    super(TYPE, Role.class);
  }

  @Override
  protected void validate(Role role, List<FieldError> errors) {
    PolicyRules.validate(role.rules(), true, errors);
  }

  /** RBAC names are path segments ({@code system:discovery}), as Kubernetes' ValidateRBACName. */
  @Override
  public Validation.NameRule nameRule() {
    return Validation.NameRule.PATH_SEGMENT;
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1Rbac.Role.class, V1Rbac.RoleList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
