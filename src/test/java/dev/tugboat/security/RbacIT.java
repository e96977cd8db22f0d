package dev.tugboat.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.compat.Kubectl;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Fabric8;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One Tugboat with {@code authorization-mode = RBAC} and a token file of three users (admin in
 * system:masters, alice, bob), over real HTTP, kubectl 1.33 and 1.20 and fabric8: 401 for an unknown
 * token; 403 with Kubernetes' exact messages outside a role, for watches too; 200 inside a Role bound
 * by a RoleBinding, and inside a ClusterRole bound in one namespace only; escalation refused; the
 * default roles aggregated; {@code kubectl auth can-i}. Each test works in namespaces of its own.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RbacIT {
  private static final String ADMIN = "admin-t0ken-" + ProcessHandle.current().pid();
  private static final String ALICE = "alice-t0ken-" + ProcessHandle.current().pid();
  private static final String BOB = "bob-t0ken-" + ProcessHandle.current().pid();
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private Tugboat tugboat;
  private Api api;
  private Path work;

  /** Every log event of the JVM while the class runs: no token may be in any. */
  private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
      new ch.qos.logback.core.read.ListAppender<>();

  @BeforeAll
  void start(EmbeddedCassandra cassandra) throws Exception {
    var root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
    work = Files.createDirectories(SharedCassandra.itDir().resolve("rbac-it-" + ProcessHandle.current().pid()));
    Path tokens = work.resolve("tokens.csv");
    Files.writeString(tokens, ADMIN + ",admin,1,system:masters\n" + ALICE + ",alice,2,\"dev,qa\"\n" + BOB + ",bob,3\n");
    tugboat = TestTugboat.start(cassandra, "rbac_it_" + ProcessHandle.current().pid(), Map.of(
        "tugboat.controllers.run", List.of("namespace", "clusterrole-aggregation"),
        "tugboat.api.authorization-mode", "RBAC",
        "tugboat.api.token-auth-file", tokens.toString()));
    api = Api.withoutCertificate(tugboat);
    Await.until("the API serves the admin and the default roles are aggregated", Duration.ofSeconds(120), () ->
        as(ADMIN, "GET", "/api/v1/namespaces/default", null).code() == 200
            && as(ADMIN, "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/admin", null).body().contains("rolebindings")
            && as(ADMIN, "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/admin", null).body().contains("deployments"));
  }

  @AfterAll
  void stop() {
    var root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(logs);
    if (tugboat != null) tugboat.close();
  }

  /** Last: whatever the tests sent (good tokens, bad ones, TokenReviews), no token reached a log. */
  @Test
  @Order(Integer.MAX_VALUE)
  void noTokenIsEverLogged() {
    List<ch.qos.logback.classic.spi.ILoggingEvent> events = List.copyOf(logs.list);
    assertTrue(events.stream().anyMatch(e -> e.getFormattedMessage().contains("Bearer tokens: 3")),
        "the member logs how many tokens it read (so the appender sees its logs)");
    for (var event : events) {
      String text = event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage());
      for (String token : List.of(ADMIN, ALICE, BOB, "n0-such-token")) {
        assertTrue(!text.contains(token), "a token in the log: " + event);
      }
    }
  }

  private Api.Reply as(String token, String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(api.uri(path));
    if (token != null) b.header("Authorization", "Bearer " + token);
    if (body != null) b.header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return api.send(b);
  }

  private void ok(Api.Reply reply) {
    assertTrue(reply.code() == 200 || reply.code() == 201, reply.code() + " " + reply.body());
  }

  private void namespace(String name) {
    ok(as(ADMIN, "POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + name + "\"}}"));
  }

  private String binding(String name, String kind, String role, String user) {
    return "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\"" + name
        + "\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"" + kind + "\",\"name\":\"" + role
        + "\"},\"subjects\":[{\"kind\":\"User\",\"name\":\"" + user + "\"}]}";
  }

  private static String rbac(String ns, String plural) {
    return "/apis/rbac.authorization.k8s.io/v1/namespaces/" + ns + "/" + plural;
  }

  private static String configMap(String name) {
    return "{\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"k\":\"v\"}}";
  }

  private static void forbidden(Api.Reply reply, String message) {
    assertEquals(403, reply.code(), reply.body());
    assertEquals("Forbidden", reply.at("/reason"));
    assertEquals(message, reply.at("/message"));
  }

  @Test
  void anUnknownTokenIs401AndAKnownOneIsItsUser() {
    Api.Reply unknown = as("n0-such-token", "GET", "/api/v1/namespaces/default/pods", null);
    assertEquals(401, unknown.code(), unknown.body());
    assertEquals("Unauthorized", unknown.at("/reason"));
    assertTrue(!unknown.body().contains("n0-such-token"), unknown.body());
    Api.Reply whoami = as(ALICE, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}");
    assertEquals(201, whoami.code(), whoami.body());
    assertEquals("alice", whoami.at("/status/userInfo/username"));
    assertEquals("[\"dev\",\"qa\",\"system:authenticated\"]", whoami.json().at("/status/userInfo/groups").toString());
    Api.Reply review = as(ADMIN, "POST", "/apis/authentication.k8s.io/v1/tokenreviews",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\"" + BOB + "\"}}");
    assertEquals(true, review.json().at("/status/authenticated").asBoolean(), review.body());
    assertEquals("bob", review.at("/status/user/username"));
  }

  /** 300 seeded Authorization headers near the good ones: a 401 or 403 each, but for the exact token. */
  @Test
  void aSeededFuzzOfAuthorizationHeadersGetsNo5xx() {
    java.util.Random random = new java.util.Random(24);
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_.~+/= ,\"'";
    for (int i = 0; i < 300; i++) {
      StringBuilder token = new StringBuilder(List.of(ALICE, BOB).get(random.nextInt(2)));
      int at = random.nextInt(token.length());
      switch (random.nextInt(4)) {
        case 0 -> token.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
        case 1 -> token.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
        case 2 -> token.setLength(at);
        default -> token.reverse();
      }
      String scheme = List.of("Bearer ", "bearer ", "Basic ", "Bearer  ", "").get(random.nextInt(5));
      String header = (scheme + token).strip();
      HttpRequest.Builder b = HttpRequest.newBuilder(api.uri("/api/v1/namespaces/default/secrets"));
      if (!header.isEmpty()) b.header("Authorization", header);
      Api.Reply reply = api.send(b.GET());
      assertTrue(reply.code() == 401 || reply.code() == 403, header + " -> " + reply.code() + " " + reply.body());
      assertEquals("Status", reply.at("/kind"), reply.body());
    }
  }

  @Test
  void outsideARoleIs403WithKubernetesMessage() {
    forbidden(as(null, "GET", "/api/v1/namespaces/default/pods", null),
        "pods is forbidden: User \"system:anonymous\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"");
    forbidden(as(ALICE, "GET", "/api/v1/nodes", null),
        "nodes is forbidden: User \"alice\" cannot list resource \"nodes\" in API group \"\" at the cluster scope");
    forbidden(as(BOB, "DELETE", "/apis/apps/v1/namespaces/default/deployments/web", null),
        "deployments.apps \"web\" is forbidden: User \"bob\" cannot delete resource \"deployments\" in API group \"apps\""
            + " in the namespace \"default\"");
    forbidden(as(null, "GET", "/apis", null), "forbidden: User \"system:anonymous\" cannot get path \"/apis\"");
    // discovery for every authenticated user, the version for everyone (system:discovery, system:public-info-viewer)
    assertEquals(200, as(BOB, "GET", "/apis", null).code());
    assertEquals(200, as(BOB, "GET", "/api/v1", null).code());
    assertEquals(200, as(null, "GET", "/version", null).code());
  }

  @Test
  void aRoleBoundInANamespaceAllowsThereOnlyAndWatchesAreAuthorized() {
    namespace("rbac-a");
    namespace("rbac-a2");
    ok(as(ADMIN, "POST", rbac("rbac-a", "roles"), "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"Role\","
        + "\"metadata\":{\"name\":\"pod-reader\"},\"rules\":[{\"verbs\":[\"get\",\"list\",\"watch\"],\"apiGroups\":[\"\"],"
        + "\"resources\":[\"pods\",\"pods/log\"]}]}"));
    ok(as(ADMIN, "POST", rbac("rbac-a", "rolebindings"), binding("alice-reads", "Role", "pod-reader", "alice")));
    assertEquals(200, as(ALICE, "GET", "/api/v1/namespaces/rbac-a/pods", null).code());
    forbidden(as(ALICE, "GET", "/api/v1/namespaces/rbac-a2/pods", null),
        "pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" in the namespace \"rbac-a2\"");
    forbidden(as(ALICE, "POST", "/api/v1/namespaces/rbac-a/configmaps", configMap("c")),
        "configmaps is forbidden: User \"alice\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"rbac-a\"");
    // a watch is a watch: allowed where the role says watch, refused elsewhere with verb watch
    assertEquals(200, as(ALICE, "GET", "/api/v1/namespaces/rbac-a/pods?watch=true&timeoutSeconds=1", null).code());
    forbidden(as(BOB, "GET", "/api/v1/namespaces/rbac-a/pods?watch=true&timeoutSeconds=1", null),
        "pods is forbidden: User \"bob\" cannot watch resource \"pods\" in API group \"\" in the namespace \"rbac-a\"");
    forbidden(as(BOB, "GET", "/api/v1/namespaces/rbac-a/pods/web/log", null),
        "pods \"web\" is forbidden: User \"bob\" cannot get resource \"pods/log\" in API group \"\" in the namespace \"rbac-a\"");
    // alice may read a pod's log (404 here: there is no pod), not exec into it
    assertEquals(404, as(ALICE, "GET", "/api/v1/namespaces/rbac-a/pods/web/log", null).code());
    forbidden(as(ALICE, "GET", "/api/v1/namespaces/rbac-a/pods/web/exec?command=sh", null),
        "pods \"web\" is forbidden: User \"alice\" cannot create resource \"pods/exec\" in API group \"\" in the namespace \"rbac-a\"");
  }

  @Test
  void aClusterRoleBoundByARoleBindingIsLimitedToItsNamespace() {
    namespace("rbac-b");
    namespace("rbac-b2");
    ok(as(ADMIN, "POST", rbac("rbac-b", "rolebindings"), binding("bob-edits", "ClusterRole", "edit", "bob")));
    assertEquals(201, as(BOB, "POST", "/api/v1/namespaces/rbac-b/configmaps", configMap("c")).code());
    assertEquals(200, as(BOB, "GET", "/api/v1/namespaces/rbac-b/configmaps/c", null).code());
    forbidden(as(BOB, "POST", "/api/v1/namespaces/rbac-b2/configmaps", configMap("c")),
        "configmaps is forbidden: User \"bob\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"rbac-b2\"");
    forbidden(as(BOB, "GET", "/api/v1/configmaps", null),
        "configmaps is forbidden: User \"bob\" cannot list resource \"configmaps\" in API group \"\" at the cluster scope");
    // edit does not reach RBAC itself
    forbidden(as(BOB, "GET", rbac("rbac-b", "roles"), null), "roles.rbac.authorization.k8s.io is forbidden: User \"bob\""
        + " cannot list resource \"roles\" in API group \"rbac.authorization.k8s.io\" in the namespace \"rbac-b\"");
  }

  @Test
  void nobodyGrantsWhatTheyDoNotHold() {
    namespace("rbac-c");
    ok(as(ADMIN, "POST", rbac("rbac-c", "rolebindings"), binding("alice-admin", "ClusterRole", "admin", "alice")));
    // admin holds pods: alice may write a role of them, and bind view (which admin covers)
    ok(as(ALICE, "POST", rbac("rbac-c", "roles"), "{\"metadata\":{\"name\":\"pods\"},\"rules\":[{\"verbs\":[\"get\"],"
        + "\"apiGroups\":[\"\"],\"resources\":[\"pods\"]}]}"));
    ok(as(ALICE, "POST", rbac("rbac-c", "rolebindings"), binding("bob-views", "ClusterRole", "view", "bob")));
    Api.Reply nodes = as(ALICE, "POST", rbac("rbac-c", "roles"), "{\"metadata\":{\"name\":\"nodes\"},\"rules\":[{\"verbs\":"
        + "[\"list\"],\"apiGroups\":[\"\"],\"resources\":[\"nodes\"]}]}");
    forbidden(nodes, "roles.rbac.authorization.k8s.io \"nodes\" is forbidden: user \"alice\" (groups=[\"dev\",\"qa\","
        + "\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
        + "{APIGroups:[\"\"], Resources:[\"nodes\"], Verbs:[\"list\"]}");
    Api.Reply root = as(ALICE, "POST", rbac("rbac-c", "rolebindings"), binding("alice-root", "ClusterRole", "cluster-admin", "alice"));
    assertEquals(403, root.code(), root.body());
    assertTrue(root.at("/message").contains("is attempting to grant RBAC permissions not currently held"), root.body());
    // a patch that widens her own role is checked on the object it would leave
    Api.Reply widened = api.send(HttpRequest.newBuilder(api.uri(rbac("rbac-c", "roles") + "/pods"))
        .header("Authorization", "Bearer " + ALICE).header("Content-Type", "application/json-patch+json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(
            "[{\"op\":\"add\",\"path\":\"/rules/-\",\"value\":{\"verbs\":[\"*\"],\"apiGroups\":[\"*\"],\"resources\":[\"*\"]}}]")));
    assertEquals(403, widened.code(), widened.body());
    assertEquals("[\"get\"]", as(ADMIN, "GET", rbac("rbac-c", "roles") + "/pods", null).json().at("/rules/0/verbs").toString());
    assertEquals(1, as(ADMIN, "GET", rbac("rbac-c", "roles") + "/pods", null).json().at("/rules").size());
    // the roleRef of a binding never changes
    Api.Reply moved = api.send(HttpRequest.newBuilder(api.uri(rbac("rbac-c", "rolebindings") + "/bob-views"))
        .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/merge-patch+json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"roleRef\":{\"name\":\"edit\"}}")));
    assertEquals(422, moved.code(), moved.body());
    assertTrue(moved.at("/message").contains("roleRef: Invalid value"), moved.body());
  }

  @Test
  void aggregationFillsTheDefaultRolesFromLabelledOnes() {
    ok(as(ADMIN, "POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles", "{\"metadata\":{\"name\":\"crontab-viewer\","
        + "\"labels\":{\"rbac.authorization.k8s.io/aggregate-to-view\":\"true\"}},\"rules\":[{\"verbs\":[\"get\"],"
        + "\"apiGroups\":[\"stable.example.com\"],\"resources\":[\"crontabs\"]}]}"));
    // view gets it, then edit (labelled to aggregate view's rules), then admin
    for (String role : List.of("view", "edit", "admin")) {
      Await.until(role + " holds the crontabs rule", SETTLE, () ->
          as(ADMIN, "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/" + role, null).body().contains("crontabs"));
    }
    JsonNode admin = as(ADMIN, "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/admin", null).json();
    assertTrue(admin.at("/aggregationRule/clusterRoleSelectors/0/matchLabels").has("rbac.authorization.k8s.io/aggregate-to-admin"));
    assertTrue(admin.get("rules").toString().contains("\"rolebindings\""), admin.toString());
  }

  /**
   * kubectl with a token over TLS, trusting the cluster CA and presenting no certificate (client-go
   * sends no bearer token over plain HTTP, and a certificate would win over the token).
   */
  @Test
  void kubectlAuthCanIWithAToken() throws Exception {
    namespace("rbac-d");
    ok(as(ADMIN, "POST", rbac("rbac-d", "rolebindings"), binding("alice-views", "ClusterRole", "view", "alice")));
    List<Kubectl> kubectls = List.of(Kubectl.v133(work).orElseThrow(() -> new AssertionError("kubectl 1.33 is missing")),
        Kubectl.v120(work));
    for (Kubectl k : kubectls) {
      k.configureWithoutCertificate(tugboat, "rbac-d");
      Kubectl.Result yes = k.run("--token", ALICE, "auth", "can-i", "list", "pods");
      assertEquals(0, yes.exit(), k + ": " + yes);
      assertEquals("yes", yes.out().strip(), k + ": " + yes);
      Kubectl.Result no = k.run("--token", ALICE, "auth", "can-i", "create", "configmaps");
      assertEquals(1, no.exit(), k + ": " + no);
      assertEquals("no", no.out().strip(), k + ": " + no);
      Kubectl.Result elsewhere = k.run("--token", ALICE, "auth", "can-i", "list", "pods", "-n", "default");
      assertEquals("no", elsewhere.out().strip(), k + ": " + elsewhere);
      Kubectl.Result root = k.run("--token", ADMIN, "auth", "can-i", "delete", "nodes");
      assertEquals("yes", root.out().strip(), k + ": " + root);
      Kubectl.Result list = k.run("--token", ALICE, "auth", "can-i", "--list");
      assertEquals(0, list.exit(), k + ": " + list);
      assertTrue(list.out().contains("deployments.apps") && list.out().contains("selfsubjectaccessreviews"), k + ": " + list);
      Kubectl.Result refused = k.run("--token", ALICE, "get", "pods", "-n", "default");
      assertTrue(refused.err().contains("pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\""
          + " in the namespace \"default\""), k + ": " + refused);
      Kubectl.Result unknown = k.run("--token", "n0-such-token", "get", "pods");
      assertTrue(unknown.err().contains("Unauthorized") || unknown.err().contains("must be logged in"), k + ": " + unknown);
      // the generators (protobuf bodies from 1.33) and kubectl's columns
      String role = "reader-" + k.version().replace(".", "");
      Kubectl.Result created = k.run("--token", ADMIN, "create", "role", role,
          "--verb=get,list", "--resource=pods,configmaps");
      assertEquals(0, created.exit(), k + ": " + created);
      Kubectl.Result bound = k.run("--token", ADMIN, "create", "rolebinding", role,
          "--role=" + role, "--user=bob", "--group=qa");
      assertEquals(0, bound.exit(), k + ": " + bound);
      JsonNode rules = as(ADMIN, "GET", rbac("rbac-d", "roles") + "/" + role, null).json().get("rules");
      assertEquals("[{\"verbs\":[\"get\",\"list\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\",\"configmaps\"]}]",
          rules.toString(), k.toString());
      Kubectl.Result table = k.run("--token", ADMIN, "get", "rolebindings", role, "-o", "wide");
      assertTrue(table.out().lines().findFirst().orElse("").matches("NAME\\s+ROLE\\s+AGE\\s+USERS\\s+GROUPS\\s+SERVICEACCOUNTS\\s*"),
          k + ": " + table);
      assertTrue(table.out().contains("Role/" + role) && table.out().contains("bob") && table.out().contains("qa"), k + ": " + table);
      Kubectl.Result bobCan = k.run("--token", BOB, "auth", "can-i", "get", "configmaps");
      assertEquals("yes", bobCan.out().strip(), k + ": " + bobCan);
    }
  }

  @Test
  void subjectAccessReviewsAnswerForOthers() {
    namespace("rbac-f");
    ok(as(ADMIN, "POST", rbac("rbac-f", "rolebindings"), binding("alice-views", "ClusterRole", "view", "alice")));
    String review = "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\",\"spec\":{\"user\":"
        + "\"alice\",\"resourceAttributes\":{\"namespace\":\"rbac-f\",\"verb\":\"list\",\"resource\":\"pods\"}}}";
    Api.Reply allowed = as(ADMIN, "POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", review);
    assertEquals(201, allowed.code(), allowed.body());
    assertEquals(true, allowed.json().at("/status/allowed").asBoolean(), allowed.body());
    Api.Reply denied = as(ADMIN, "POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", review.replace("list", "delete"));
    assertEquals(false, denied.json().at("/status/allowed").asBoolean(), denied.body());
    // asking about others takes the right to: alice has not got it
    forbidden(as(ALICE, "POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", review),
        "subjectaccessreviews.authorization.k8s.io is forbidden: User \"alice\" cannot create resource"
            + " \"subjectaccessreviews\" in API group \"authorization.k8s.io\" at the cluster scope");
    Api.Reply local = as(ADMIN, "POST", "/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews",
        review.replace("\"SubjectAccessReview\"", "\"LocalSubjectAccessReview\""));
    assertEquals(422, local.code(), local.body());
    assertTrue(local.at("/message").contains("spec.resourceAttributes.namespace"), local.body());
    Api.Reply neither = as(ALICE, "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\",\"spec\":{}}");
    assertEquals(422, neither.code(), neither.body());
  }

  @Test
  void fabric8WithAToken() {
    namespace("rbac-e");
    ok(as(ADMIN, "POST", rbac("rbac-e", "rolebindings"), binding("bob-edits", "ClusterRole", "edit", "bob")));
    Config config = Fabric8.configWithoutCertificate(tugboat).withOauthToken(BOB).build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      client.configMaps().inNamespace("rbac-e").resource(new ConfigMapBuilder().withNewMetadata().withName("f8")
          .endMetadata().addToData("k", "v").build()).create();
      assertEquals("v", client.configMaps().inNamespace("rbac-e").withName("f8").get().getData().get("k"));
      KubernetesClientException refused = assertThrows(KubernetesClientException.class,
          () -> client.configMaps().inNamespace("default").list());
      assertEquals(403, refused.getCode());
      assertTrue(refused.getMessage().contains("User \"bob\" cannot list resource \"configmaps\""), refused.getMessage());
    }
  }
}
