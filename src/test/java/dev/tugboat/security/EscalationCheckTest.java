package dev.tugboat.security;

import static dev.tugboat.security.RbacAuthorizerTest.POLICY;
import static dev.tugboat.security.RbacAuthorizerTest.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kinds.clusterrole.ClusterRole;
import dev.tugboat.kinds.clusterrolebinding.ClusterRoleBinding;
import dev.tugboat.kinds.role.PolicyRule;
import dev.tugboat.kinds.role.Role;
import dev.tugboat.kinds.rolebinding.RoleBinding;
import dev.tugboat.kinds.rolebinding.RoleRef;
import dev.tugboat.kinds.rolebinding.Subject;
import dev.tugboat.model.Codec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Nobody grants what they do not hold, unless they may escalate or bind. */
class EscalationCheckTest {
  private static final String G = Role.GROUP;

  private static JsonNode json(String text) {
    return Codec.parseTree(text.replace('\'', '"').getBytes(), false);
  }

  private static Optional<String> check(RbacAuthorizer a, String who, String kind, String ns, String object) {
    return EscalationCheck.refusal(a, user(who), kind, ns, json(object));
  }

  private final RbacAuthorizer authorizer = new RbacAuthorizer(POLICY);

  @Test
  void aRoleWithinWhatTheWriterHoldsIsFine() {
    assertEquals(Optional.empty(), check(authorizer, "alice", "Role", "ns-a",
        "{'metadata':{'name':'r'},'rules':[{'verbs':['get'],'apiGroups':[''],'resources':['pods']}]}"));
  }

  @Test
  void aRoleBeyondIsRefusedNamingWhatIsMissing() {
    Optional<String> refusal = check(authorizer, "alice", "Role", "ns-a",
        "{'metadata':{'name':'r'},'rules':[{'verbs':['get','delete'],'apiGroups':[''],'resources':['pods','secrets']}]}");
    assertTrue(refusal.isPresent());
    assertEquals("user \"alice\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
        + "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\"]}\n"
        + "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}\n"
        + "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"delete\"]}", refusal.get());
  }

  @Test
  void aStarIsCoveredOnlyByAStar() {
    assertTrue(check(authorizer, "bob", "Role", "ns-b",
        "{'metadata':{'name':'r'},'rules':[{'verbs':['*'],'apiGroups':['apps'],'resources':['deployments']}]}").isEmpty());
    assertTrue(check(authorizer, "bob", "Role", "ns-b",
        "{'metadata':{'name':'r'},'rules':[{'verbs':['*'],'apiGroups':['apps'],'resources':['*']}]}").isPresent());
    // */scale held covers any resource's scale
    assertTrue(check(authorizer, "bob", "Role", "ns-b",
        "{'metadata':{'name':'r'},'rules':[{'verbs':['get'],'apiGroups':['apps'],'resources':['statefulsets/scale']}]}").isEmpty());
  }

  @Test
  void resourceNamesNarrowWhatIsHeld() {
    assertTrue(check(authorizer, "carol", "ClusterRole", "",
        "{'metadata':{'name':'r'},'rules':[{'verbs':['get'],'apiGroups':[''],'resources':['configmaps'],'resourceNames':['settings']}]}").isEmpty());
    assertTrue(check(authorizer, "carol", "ClusterRole", "",
        "{'metadata':{'name':'r'},'rules':[{'verbs':['get'],'apiGroups':[''],'resources':['configmaps']}]}").isPresent());
    assertTrue(check(authorizer, "carol", "ClusterRole", "",
        "{'metadata':{'name':'r'},'rules':[{'verbs':['get'],'nonResourceURLs':['/healthz/live']}]}").isEmpty());
  }

  @Test
  void bindingARoleNeedsItsRulesOrTheBindVerb() {
    // alice holds pod-reader's rules in ns-a: she may bind it there
    assertTrue(check(authorizer, "alice", "RoleBinding", "ns-a",
        "{'metadata':{'name':'b'},'roleRef':{'apiGroup':'" + G + "','kind':'Role','name':'pod-reader'},'subjects':[]}").isEmpty());
    // but not the deployer ClusterRole
    assertTrue(check(authorizer, "alice", "RoleBinding", "ns-a",
        "{'metadata':{'name':'b'},'roleRef':{'apiGroup':'" + G + "','kind':'ClusterRole','name':'deployer'}}").isPresent());
    // a missing role cannot be bound
    assertEquals(Optional.of("role." + G + " \"ghost\" not found"), check(authorizer, "alice", "RoleBinding", "ns-a",
        "{'metadata':{'name':'b'},'roleRef':{'apiGroup':'" + G + "','kind':'Role','name':'ghost'}}"));
  }

  @Test
  void escalateAndBindVerbsLetARoleManagerGrantWhatTheyLack() {
    List<ClusterRole> roles = new ArrayList<>();
    roles.add(new ClusterRole(G + "/v1", "ClusterRole", RbacAuthorizerTest.meta(null, "role-manager"), List.of(
        new PolicyRule(List.of("escalate", "bind"), List.of(G), List.of("clusterroles"), List.of(), List.of())), null));
    roles.add(new ClusterRole(G + "/v1", "ClusterRole", RbacAuthorizerTest.meta(null, "everything"), List.of(
        PolicyRule.resources(List.of("*"), List.of("*"), List.of("*"))), null));
    var policy = new RbacPolicy(List.of(), roles, List.<RoleBinding>of(), List.of(new ClusterRoleBinding(G + "/v1",
        "ClusterRoleBinding", RbacAuthorizerTest.meta(null, "m"), List.of(new Subject("User", G, "manager", null)),
        new RoleRef(G, "ClusterRole", "role-manager"))));
    var a = new RbacAuthorizer(policy);
    assertTrue(check(a, "manager", "ClusterRole", "",
        "{'metadata':{'name':'r'},'rules':[{'verbs':['*'],'apiGroups':['*'],'resources':['*']}]}").isEmpty());
    assertTrue(check(a, "manager", "ClusterRoleBinding", "",
        "{'metadata':{'name':'b'},'roleRef':{'apiGroup':'" + G + "','kind':'ClusterRole','name':'everything'}}").isEmpty());
    assertTrue(check(a, "manager", "ClusterRole", "",
        "{'metadata':{'name':'r'},'aggregationRule':{'clusterRoleSelectors':[{'matchLabels':{'x':'y'}}]}}").isPresent(),
        "an aggregation rule takes every right, escalate or not");
    assertTrue(check(a, "root", "ClusterRole", "",
        "{'metadata':{'name':'r'},'aggregationRule':{'clusterRoleSelectors':[{'matchLabels':{'x':'y'}}]}}").isEmpty());
  }
}
