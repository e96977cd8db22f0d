package dev.tugboat.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tugboat.kinds.clusterrole.ClusterRole;
import dev.tugboat.kinds.clusterrolebinding.ClusterRoleBinding;
import dev.tugboat.kinds.role.PolicyRule;
import dev.tugboat.kinds.role.Role;
import dev.tugboat.kinds.rolebinding.RoleBinding;
import dev.tugboat.kinds.rolebinding.RoleRef;
import dev.tugboat.kinds.rolebinding.Subject;
import dev.tugboat.model.ObjectMeta;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RBAC decisions on a fixed policy, one row per user and request; and Kubernetes' 403 messages. */
class RbacAuthorizerTest {
  static final String G = Role.GROUP;

  static ObjectMeta meta(String namespace, String name) {
    return new ObjectMeta(name, null, namespace, null, null, null, null, null, null, null, null, null, null, null);
  }

  static PolicyRule rule(List<String> verbs, List<String> groups, List<String> resources, List<String> names) {
    return new PolicyRule(verbs, groups, resources, names, List.of());
  }

  /**
   * alice: Role pod-reader in ns-a (get/list/watch pods, get pods/log). bob: ClusterRole deployer
   * (deployments and every scale subresource) bound by a RoleBinding in ns-b only. carol (group ops):
   * ClusterRoleBinding to ClusterRole ops (one ConfigMap by name; /healthz*, /metrics). sa
   * ns-a:builder: RoleBinding to pod-reader with the subject's namespace left out.
   */
  static final RbacPolicy POLICY = new RbacPolicy(
      List.of(new Role(G + "/v1", "Role", meta("ns-a", "pod-reader"), List.of(
          rule(List.of("get", "list", "watch"), List.of(""), List.of("pods"), List.of()),
          rule(List.of("get"), List.of(""), List.of("pods/log"), List.of())))),
      List.of(new ClusterRole(G + "/v1", "ClusterRole", meta(null, "deployer"), List.of(
              rule(List.of("*"), List.of("apps"), List.of("deployments", "*/scale"), List.of())), null),
          new ClusterRole(G + "/v1", "ClusterRole", meta(null, "ops"), List.of(
              rule(List.of("get", "update"), List.of(""), List.of("configmaps"), List.of("settings")),
              PolicyRule.urls(List.of("get"), List.of("/healthz*", "/metrics"))), null)),
      List.of(new RoleBinding(G + "/v1", "RoleBinding", meta("ns-a", "alice-reads"),
              List.of(new Subject("User", G, "alice", null)), new RoleRef(G, "Role", "pod-reader")),
          new RoleBinding(G + "/v1", "RoleBinding", meta("ns-b", "bob-deploys"),
              List.of(new Subject("User", G, "bob", null)), new RoleRef(G, "ClusterRole", "deployer")),
          new RoleBinding(G + "/v1", "RoleBinding", meta("ns-a", "builder-reads"),
              List.of(new Subject("ServiceAccount", "", "builder", null)), new RoleRef(G, "Role", "pod-reader"))),
      List.of(new ClusterRoleBinding(G + "/v1", "ClusterRoleBinding", meta(null, "ops"),
          List.of(new Subject("Group", G, "ops", null)), new RoleRef(G, "ClusterRole", "ops"))));

  static UserInfo user(String name) {
    return switch (name) {
      case "carol" -> UserInfo.authenticated("carol", null, List.of("ops"));
      case "root" -> UserInfo.authenticated("root", null, List.of(UserInfo.MASTERS));
      case "anonymous" -> UserInfo.ANONYMOUS;
      case "builder" -> UserInfo.authenticated("system:serviceaccount:ns-a:builder", null, List.of());
      default -> UserInfo.authenticated(name, null, List.of());
    };
  }

  @ParameterizedTest(name = "{0} {1} {3}/{4} in {5} name {6}: {7}")
  @CsvSource(nullValues = "-", value = {
      "alice, list,   '', pods,        -,     ns-a, -,        true",
      "alice, watch,  '', pods,        -,     ns-a, -,        true",
      "alice, list,   '', pods,        -,     ns-b, -,        false",
      "alice, list,   '', pods,        -,     -,    -,        false",
      "alice, delete, '', pods,        -,     ns-a, web,      false",
      "alice, get,    '', pods,        log,   ns-a, web,      true",
      "alice, create, '', pods,        exec,  ns-a, web,      false",
      "alice, get,    '', pods,        status,ns-a, web,      false",
      "bob,   create, apps, deployments, -,   ns-b, -,        true",
      "bob,   update, apps, deployments, scale, ns-b, web,    true",
      "bob,   update, apps, statefulsets, scale, ns-b, web,   true",
      "bob,   create, apps, deployments, -,   ns-a, -,        false",
      "bob,   create, apps, deployments, -,   -,    -,        false",
      "bob,   create, '',   deployments, -,   ns-b, -,        false",
      "carol, get,    '', configmaps,  -,     ns-x, settings, true",
      "carol, get,    '', configmaps,  -,     ns-x, other,    false",
      "carol, list,   '', configmaps,  -,     ns-x, -,        false",
      "root,  delete, anything, whatever, -,  -,    -,        true",
      "anonymous, list, '', pods,      -,     ns-a, -,        false",
      "builder, list, '', pods,        -,     ns-a, -,        true",
      "builder, list, '', pods,        -,     ns-b, -,        false",
  })
  void decides(String who, String verb, String group, String resource, String sub, String namespace, String name,
      boolean allowed) {
    RequestAttributes request = RequestAttributes.resource(verb, group, resource, sub, namespace, name);
    assertEquals(allowed, new RbacAuthorizer(POLICY).authorize(user(who), request).allowed());
  }

  @ParameterizedTest(name = "{0} {1} {2}: {3}")
  @CsvSource({
      "carol, get,  /healthz,       true",
      "carol, get,  /healthz/ready, true",
      "carol, get,  /metrics,       true",
      "carol, get,  /metrics/x,     false",
      "carol, post, /healthz,       false",
      "alice, get,  /healthz,       false",
  })
  void decidesPaths(String who, String verb, String path, boolean allowed) {
    assertEquals(allowed, new RbacAuthorizer(POLICY).authorize(user(who), RequestAttributes.nonResource(verb, path)).allowed());
  }

  @Test
  void nothingIsAllowedWithoutBindings() {
    var empty = new RbacAuthorizer(RbacPolicy.empty());
    assertEquals(false, empty.authorize(user("alice"), RequestAttributes.resource("get", "", "pods", "", "ns", "p")).allowed());
    assertEquals(true, empty.authorize(user("root"), RequestAttributes.resource("get", "", "pods", "", "ns", "p")).allowed());
  }

  @Test
  void rulesForListsWhatTheUserHoldsInANamespace() {
    var authorizer = new RbacAuthorizer(POLICY);
    assertEquals(2, authorizer.rulesFor(user("alice"), "ns-a").size());
    assertEquals(0, authorizer.rulesFor(user("alice"), "ns-b").size());
    assertEquals(1, authorizer.rulesFor(user("bob"), "ns-b").size());
    assertEquals(2, authorizer.rulesFor(user("carol"), "").size());
  }

  @Test
  void refusalsAreWordedAsKubernetes() {
    UserInfo x = user("x");
    assertEquals("pods is forbidden: User \"x\" cannot list resource \"pods\" in API group \"\" in the namespace \"y\"",
        RbacAuthorizer.forbiddenStatusMessage(x, RequestAttributes.resource("list", "", "pods", "", "y", "")));
    assertEquals("nodes \"n1\" is forbidden: User \"x\" cannot get resource \"nodes\" in API group \"\" at the cluster scope",
        RbacAuthorizer.forbiddenStatusMessage(x, RequestAttributes.resource("get", "", "nodes", "", "", "n1")));
    assertEquals("deployments.apps \"web\" is forbidden: User \"x\" cannot update resource \"deployments/scale\" in API"
            + " group \"apps\" in the namespace \"y\"",
        RbacAuthorizer.forbiddenStatusMessage(x, RequestAttributes.resource("update", "apps", "deployments", "scale", "y", "web")));
    assertEquals("forbidden: User \"x\" cannot get path \"/apis\"",
        RbacAuthorizer.forbiddenStatusMessage(x, RequestAttributes.nonResource("get", "/apis")));
  }

  @Test
  void theDefaultRolesLetEveryAuthenticatedUserDiscoverAndAnonymousOnlySeeTheVersion() {
    List<ClusterRole> roles = new java.util.ArrayList<>();
    List<ClusterRoleBinding> bindings = new java.util.ArrayList<>();
    for (Map.Entry<String, com.fasterxml.jackson.databind.node.ObjectNode> e : dev.tugboat.registry.RbacDefaults.objects()) {
      if (e.getKey().equals("ClusterRole")) roles.add(dev.tugboat.model.Codec.convert(e.getValue(), ClusterRole.class));
      else bindings.add(dev.tugboat.model.Codec.convert(e.getValue(), ClusterRoleBinding.class));
    }
    var authorizer = new RbacAuthorizer(new RbacPolicy(List.of(), roles, List.of(), bindings));
    UserInfo dave = user("dave");
    for (String path : List.of("/api", "/apis", "/apis/apps/v1", "/version", "/openapi/v2")) {
      assertEquals(true, authorizer.authorize(dave, RequestAttributes.nonResource("get", path)).allowed(), path);
    }
    assertEquals(true, authorizer.authorize(dave, RequestAttributes.resource("create", "authorization.k8s.io",
        "selfsubjectaccessreviews", "", "", "")).allowed());
    assertEquals(false, authorizer.authorize(dave, RequestAttributes.resource("list", "", "pods", "", "default", "")).allowed());
    assertEquals(true, authorizer.authorize(UserInfo.ANONYMOUS, RequestAttributes.nonResource("get", "/version")).allowed());
    assertEquals(false, authorizer.authorize(UserInfo.ANONYMOUS, RequestAttributes.nonResource("get", "/api")).allowed());
  }
}
