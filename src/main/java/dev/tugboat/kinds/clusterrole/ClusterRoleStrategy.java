package dev.tugboat.kinds.clusterrole;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.kinds.role.PolicyRules;
import dev.tugboat.kinds.role.Role;
import dev.tugboat.kinds.role.RolePrinter;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Validation;
import io.kubernetes.client.proto.V1Rbac;
import java.util.List;
import java.util.Optional;

/**
 * ClusterRoles (rbac.authorization.k8s.io/v1), with Kubernetes' ValidateClusterRole: the rules of a
 * Role, non-resource URLs allowed, and an aggregation rule's selectors valid and present.
 */
public final class ClusterRoleStrategy extends TypedStrategy<ClusterRole> {
  public static final ResourceType TYPE = new ResourceType(Role.GROUP, "v1", "ClusterRole", "clusterroles",
      "clusterrole", List.of(), false, List.of(), List.of(), ClusterRole.class);
  private static final Printer PRINTER = new RolePrinter();

  public ClusterRoleStrategy() {
    super(TYPE, ClusterRole.class);
  }

  @Override
  protected void validate(ClusterRole role, List<FieldError> errors) {
    PolicyRules.validate(role.rules(), false, errors);
    ClusterRole.AggregationRule aggregation = role.aggregationRule();
    if (aggregation == null) return;
    List<LabelSelector> selectors = aggregation.clusterRoleSelectors();
    if (selectors == null || selectors.isEmpty()) {
      errors.add(FieldError.required("aggregationRule.clusterRoleSelectors", "at least one clusterRoleSelector required if aggregationRule is non-nil"));
      return;
    }
    for (int i = 0; i < selectors.size(); i++) {
      try {
        if (selectors.get(i) == null) throw new IllegalArgumentException("a selector may not be null");
        selectors.get(i).toSelector();
      } catch (IllegalArgumentException e) {
        errors.add(FieldError.invalid("aggregationRule.clusterRoleSelectors[" + i + "]", null, e.getMessage()));
      }
    }
  }

  /** RBAC names are path segments ({@code system:discovery}), as Kubernetes' ValidateRBACName. */
  @Override
  public Validation.NameRule nameRule() {
    return Validation.NameRule.PATH_SEGMENT;
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1Rbac.ClusterRole.class, V1Rbac.ClusterRoleList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
