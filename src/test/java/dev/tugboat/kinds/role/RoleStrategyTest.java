package dev.tugboat.kinds.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.clusterrole.ClusterRoleStrategy;
import dev.tugboat.model.Codec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Roles and ClusterRoles: Kubernetes' ValidatePolicyRule, an aggregation rule's selectors, the printer. */
class RoleStrategyTest {
  private static ObjectNode json(String text) {
    return (ObjectNode) Codec.parseTree(text.replace('\'', '"').getBytes(), false);
  }

  @Test
  void rulesNeedVerbsGroupsAndResources() {
    var refused = new RoleStrategy().admitCreate(json("{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'Role',"
        + "'metadata':{'name':'r','namespace':'ns'},'rules':[{'resources':['pods']},{'verbs':['get'],'nonResourceURLs':['/healthz']}]}"));
    assertEquals(422, refused.failure().code());
    String message = refused.failure().message();
    assertTrue(message.contains("rules[0].verbs: Required value: verbs must contain at least one value"), message);
    assertTrue(message.contains("rules[0].apiGroups: Required value"), message);
    assertTrue(message.contains("rules[1].nonResourceURLs: Invalid value: [\"/healthz\"]: namespaced rules cannot apply to non-resource URLs")
        || message.contains("rules[1].nonResourceURLs: Invalid value"), message);
  }

  @Test
  void aClusterRoleMayNameUrlsButNotBothKinds() {
    var strategy = new ClusterRoleStrategy();
    assertNull(strategy.admitCreate(json("{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'ClusterRole',"
        + "'metadata':{'name':'r'},'rules':[{'verbs':['get'],'nonResourceURLs':['/healthz','/metrics*']}]}")).failure());
    var refused = strategy.admitCreate(json("{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'ClusterRole',"
        + "'metadata':{'name':'r'},'rules':[{'verbs':['get'],'resources':['pods'],'nonResourceURLs':['/healthz']}]}"));
    assertTrue(refused.failure().message().contains("rules cannot apply to both regular resources and non-resource URLs"),
        refused.failure().message());
    var emptyAggregation = strategy.admitCreate(json("{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'ClusterRole',"
        + "'metadata':{'name':'r'},'aggregationRule':{'clusterRoleSelectors':[]}}"));
    assertTrue(emptyAggregation.failure().message().contains("aggregationRule.clusterRoleSelectors: Required value"),
        emptyAggregation.failure().message());
  }

  @Test
  void namesArePathSegmentsAsKubernetes() {
    var strategy = new ClusterRoleStrategy();
    assertNull(strategy.admitCreate(json("{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'ClusterRole',"
        + "'metadata':{'name':'system:Discovery_2'}}")).failure());
    var slash = strategy.admitCreate(json("{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'ClusterRole',"
        + "'metadata':{'name':'a/b'}}"));
    assertTrue(slash.failure().message().contains("metadata.name: Invalid value: \"a/b\": may not contain '/'"),
        slash.failure().message());
    assertTrue(strategy.admitCreate(json("{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'ClusterRole',"
        + "'metadata':{'name':'..'}}")).failure() != null);
  }

  @Test
  void printsNameAndCreationTime() {
    var row = new RolePrinter().cells(json("{'metadata':{'name':'r','creationTimestamp':'2026-12-04T11:00:00Z'}}"),
        Instant.parse("2026-12-04T12:00:00Z"));
    assertEquals(List.of("r", "2026-12-04T11:00:00Z"), row);
  }
}
