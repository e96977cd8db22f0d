package dev.tugboat.kinds.clusterrole;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tugboat.kinds.role.PolicyRule;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.ObjectMeta;
import java.util.List;

/**
 * A ClusterRole (rbac.authorization.k8s.io/v1, cluster-scoped): rules granted cluster-wide by a
 * ClusterRoleBinding, or in one namespace by a RoleBinding. With an {@code aggregationRule} its
 * rules are the union of the ClusterRoles its selectors match, kept so by a controller.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterRole(String apiVersion, String kind, ObjectMeta metadata, List<PolicyRule> rules,
    AggregationRule aggregationRule) implements ApiObject {

  /** The label selectors whose ClusterRoles' rules an aggregated ClusterRole holds. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AggregationRule(List<LabelSelector> clusterRoleSelectors) {}

  @Override
  public ClusterRole withMetadata(ObjectMeta metadata) {
    return new ClusterRole(apiVersion, kind, metadata, rules, aggregationRule);
  }
}
