package dev.tugboat.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.compat.Kubectl;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.Fabric8;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ServiceAccounts on one Tugboat with TLS and RBAC on, over real HTTPS, kubectl 1.33 and 1.20 and
 * fabric8: every namespace gets a {@code default} account (again after its deletion); {@code kubectl
 * create token} prints a token kubectl and fabric8 then use, refused (403) until a RoleBinding names
 * the account and allowed after; a pod-bound token stops working with its pod, any token with its
 * account (401); TokenRequest's bad input is a 422 naming the field; pods default to the
 * {@code default} account and are refused one that does not exist. The API alone (no scheduler):
 * pods stay Pending, no container runs.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceAccountsIT {
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private Tugboat tugboat;
  private Api admin;
  private Path work;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) throws Exception {
    work = Files.createDirectories(SharedCassandra.itDir().resolve("sa-it-" + ProcessHandle.current().pid()));
    tugboat = TestTugboat.start(cassandra, "sa_it_" + ProcessHandle.current().pid(), Map.of(
        "tugboat.controllers.run", List.of("namespace", "serviceaccount"),
        "tugboat.api.tls.enabled", true,
        "tugboat.api.authorization-mode", "RBAC"));
    ClusterCa ca = tugboat.tls().orElseThrow().ca();
    admin = new Api(tugboat.apiUrl(), ClusterCa.clientContext(ca.caPem(), ca.admin()));
    Await.until("the default namespace has its default ServiceAccount", SETTLE,
        () -> admin.get("/api/v1/namespaces/default/serviceaccounts/default").code() == 200);
  }

  @AfterAll
  void stop() {
    if (tugboat != null) tugboat.close();
  }

  private Api.Reply as(String token, String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(admin.uri(path));
    b.header("Authorization", "Bearer " + token);
    if (body != null) b.header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    // a client trusting the CA without a certificate of its own: the token alone says who it is
    ClusterCa ca = tugboat.tls().orElseThrow().ca();
    return new Api(tugboat.apiUrl(), ClusterCa.clientContext(ca.caPem(), null)).send(b);
  }

  private Api.Reply tokenReview(String token) {
    Api.Reply r = admin.post("/apis/authentication.k8s.io/v1/tokenreviews",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\"" + token + "\"}}");
    assertEquals(201, r.code(), r.body());
    return r;
  }

  private static void ok(Api.Reply reply) {
    assertTrue(reply.code() == 200 || reply.code() == 201, reply.code() + " " + reply.body());
  }

  private void namespace(String name) {
    ok(admin.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + name + "\"}}"));
  }

  private String token(String ns, String account, String spec) {
    Api.Reply r = admin.post("/api/v1/namespaces/" + ns + "/serviceaccounts/" + account + "/token",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":" + spec + "}");
    assertEquals(201, r.code(), r.body());
    return r.at("/status/token");
  }

  @Test
  void everyNamespaceGetsADefaultAccountAgainAfterItsDeletion() {
    namespace("sa-a");
    Await.until("sa-a has a default ServiceAccount", SETTLE,
        () -> admin.get("/api/v1/namespaces/sa-a/serviceaccounts/default").code() == 200);
    String uid = admin.get("/api/v1/namespaces/sa-a/serviceaccounts/default").at("/metadata/uid");
    ok(admin.delete("/api/v1/namespaces/sa-a/serviceaccounts/default"));
    String again = Await.until("the default ServiceAccount is made again", SETTLE, () -> {
      Api.Reply r = admin.get("/api/v1/namespaces/sa-a/serviceaccounts/default");
      return r.code() == 200 && !r.at("/metadata/uid").equals(uid) ? r.at("/metadata/uid") : null;
    });
    assertNotEquals(uid, again);
    Api.Reply list = admin.get("/api/v1/namespaces/sa-a/serviceaccounts");
    assertEquals(1, list.json().path("items").size(), list.body());
  }

  @Test
  void kubectlCreateTokenThenKubectlAndFabric8WithItUnderRbac() throws Exception {
    namespace("sa-b");
    ok(admin.post("/api/v1/namespaces/sa-b/serviceaccounts", "{\"metadata\":{\"name\":\"reader\"}}"));
    Kubectl k133 = Kubectl.v133(work).orElseThrow(() -> new AssertionError("kubectl 1.33 is missing"))
        .configureWithoutCertificate(tugboat, "sa-b");
    Kubectl k120 = Kubectl.v120(work).configureWithoutCertificate(tugboat, "sa-b");
    // kubectl 1.33 as the admin: the written kubeconfig holds the admin's certificate
    Kubectl asAdmin = Kubectl.v133(Files.createDirectories(work.resolve("admin"))).orElseThrow()
        .useKubeconfig(tugboat.settings().dataDir().resolve("kubeconfig"));
    Kubectl.Result created = asAdmin.run("-n", "sa-b", "create", "token", "reader", "--duration", "15m");
    assertEquals(0, created.exit(), created.toString());
    String token = created.out().strip();
    assertEquals(3, token.split("\\.").length, "a JWS: " + created.out().length() + " characters");

    for (Kubectl k : List.of(k133, k120)) {
      Kubectl.Result who = k.run("--token", token, "get", "pods");
      assertTrue(who.exit() != 0, k + ": " + who);
      assertTrue(who.err().contains("User \"system:serviceaccount:sa-b:reader\" cannot list resource \"pods\""),
          k + ": " + who);
    }
    try (KubernetesClient client = Fabric8.withToken(tugboat, "sa-b", token)) {
      KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> client.pods().list());
      assertEquals(403, e.getCode());
    }

    ok(admin.post("/apis/rbac.authorization.k8s.io/v1/namespaces/sa-b/roles", """
        {"metadata":{"name":"pod-reader"},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list","watch"]}]}"""));
    ok(admin.post("/apis/rbac.authorization.k8s.io/v1/namespaces/sa-b/rolebindings", """
        {"metadata":{"name":"reader-reads"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"pod-reader"},
         "subjects":[{"kind":"ServiceAccount","name":"reader","namespace":"sa-b"}]}"""));
    for (Kubectl k : List.of(k133, k120)) {
      Kubectl.Result listed = Await.until(k + " lists pods with the token", SETTLE, () -> {
        Kubectl.Result r = k.run("--token", token, "get", "pods");
        return r.exit() == 0 ? r : null;
      });
      assertTrue(listed.err().contains("No resources found"), k + ": " + listed);
      Kubectl.Result other = k.run("--token", token, "get", "configmaps");
      assertTrue(other.exit() != 0 && other.err().contains("cannot list resource \"configmaps\""), k + ": " + other);
    }
    try (KubernetesClient client = Fabric8.withToken(tugboat, "sa-b", token)) {
      assertEquals(0, client.pods().list().getItems().size());
    }
    Api.Reply whoami = as(token, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}");
    assertEquals(201, whoami.code(), whoami.body());
    assertEquals("system:serviceaccount:sa-b:reader", whoami.at("/status/userInfo/username"));
    assertEquals("[\"system:serviceaccounts\",\"system:serviceaccounts:sa-b\",\"system:authenticated\"]",
        whoami.json().at("/status/userInfo/groups").toString());

    // the account deleted: its tokens are refused, and one of an account made again under its name too
    ok(admin.delete("/api/v1/namespaces/sa-b/serviceaccounts/reader"));
    Await.until("the deleted account's token is refused", SETTLE,
        () -> as(token, "GET", "/api/v1/namespaces/sa-b/pods", null).code() == 401);
    ok(admin.post("/api/v1/namespaces/sa-b/serviceaccounts", "{\"metadata\":{\"name\":\"reader\"}}"));
    Await.until("the new account is in the index", SETTLE,
        () -> as(token(("sa-b"), "reader", "{}"), "GET", "/api/v1/namespaces/sa-b/pods", null).code() == 200);
    Api.Reply stale = as(token, "GET", "/api/v1/namespaces/sa-b/pods", null);
    assertEquals(401, stale.code(), stale.body());
    assertEquals("Unauthorized", stale.at("/reason"));
  }

  @Test
  void aPodBoundTokenDiesWithItsPod() {
    namespace("sa-c");
    Await.until("sa-c has a default ServiceAccount", SETTLE,
        () -> admin.get("/api/v1/namespaces/sa-c/serviceaccounts/default").code() == 200);
    ok(admin.post("/apis/rbac.authorization.k8s.io/v1/namespaces/sa-c/roles", """
        {"metadata":{"name":"pod-reader"},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list"]}]}"""));
    ok(admin.post("/apis/rbac.authorization.k8s.io/v1/namespaces/sa-c/rolebindings", """
        {"metadata":{"name":"default-reads"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"pod-reader"},
         "subjects":[{"kind":"ServiceAccount","name":"default"}]}"""));
    Api.Reply pod = admin.post("/api/v1/namespaces/sa-c/pods",
        "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"tugboat/busybox:1.0\"}]}}");
    ok(pod);
    assertEquals("default", pod.at("/spec/serviceAccountName"));
    assertEquals("default", pod.at("/spec/serviceAccount"));
    String token = token("sa-c", "default",
        "{\"boundObjectRef\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"name\":\"p\",\"uid\":\"" + pod.at("/metadata/uid") + "\"}}");
    Await.until("the pod-bound token reads pods", SETTLE,
        () -> as(token, "GET", "/api/v1/namespaces/sa-c/pods", null).code() == 200);
    // a TokenReview (what kube-rbac-proxy asks) says who the token is
    Api.Reply review = tokenReview(token);
    assertEquals("true", review.at("/status/authenticated"), review.body());
    assertEquals("system:serviceaccount:sa-c:default", review.at("/status/user/username"));
    assertEquals(admin.get("/api/v1/namespaces/sa-c/serviceaccounts/default").at("/metadata/uid"), review.at("/status/user/uid"));
    assertEquals("[\"system:serviceaccounts\",\"system:serviceaccounts:sa-c\",\"system:authenticated\"]",
        review.json().at("/status/user/groups").toString());
    assertEquals("[\"https://kubernetes.default.svc.cluster.local\"]", review.json().at("/status/audiences").toString());
    ok(admin.delete("/api/v1/namespaces/sa-c/pods/p"));
    Await.until("the pod's token is refused once the pod is gone", SETTLE, () -> {
      Api.Reply r = as(token, "GET", "/api/v1/namespaces/sa-c/pods", null);
      return r.code() == 401 && r.at("/message").contains("pod sa-c/p");
    });
    Api.Reply gone = tokenReview(token);
    assertEquals("false", gone.at("/status/authenticated"), gone.body());
    assertTrue(gone.at("/status/error").contains("pod sa-c/p"), gone.body());
    Api.Reply forged = tokenReview(token.substring(0, token.lastIndexOf('.') + 1) + "AAAA");
    assertEquals("false", forged.at("/status/authenticated"), forged.body());
    assertTrue(!forged.at("/status/error").isEmpty() && forged.json().at("/status/user").isMissingNode(), forged.body());
    // a token bound to a pod uid that is not the pod's is a conflict
    ok(admin.post("/api/v1/namespaces/sa-c/pods",
        "{\"metadata\":{\"name\":\"q\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"tugboat/busybox:1.0\"}]}}"));
    Api.Reply wrongUid = admin.post("/api/v1/namespaces/sa-c/serviceaccounts/default/token",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":{\"boundObjectRef\":"
            + "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"name\":\"q\",\"uid\":\"not-its-uid\"}}}");
    assertEquals(409, wrongUid.code(), wrongUid.body());
  }

  @Test
  void badTokenRequestsAndMissingAccountsAreRefusedNamingTheField() {
    namespace("sa-d");
    Api.Reply tooShort = admin.post("/api/v1/namespaces/sa-d/serviceaccounts/default/token",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":{\"expirationSeconds\":60}}");
    assertEquals(422, tooShort.code(), tooShort.body());
    assertEquals("spec.expirationSeconds", tooShort.at("/details/causes/0/field"));
    Api.Reply node = admin.post("/api/v1/namespaces/sa-d/serviceaccounts/default/token",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":{\"boundObjectRef\":{\"kind\":\"Node\",\"name\":\"n\"}}}");
    assertEquals(422, node.code(), node.body());
    assertEquals("spec.boundObjectRef.kind", node.at("/details/causes/0/field"));
    Api.Reply noAccount = admin.post("/api/v1/namespaces/sa-d/serviceaccounts/ghost/token",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":{}}");
    assertEquals(404, noAccount.code(), noAccount.body());
    Api.Reply pod = admin.post("/api/v1/namespaces/sa-d/pods", "{\"metadata\":{\"name\":\"p\"},\"spec\":{"
        + "\"serviceAccountName\":\"ghost\",\"containers\":[{\"name\":\"c\",\"image\":\"tugboat/busybox:1.0\"}]}}");
    assertEquals(403, pod.code(), pod.body());
    assertTrue(pod.at("/message").contains("serviceaccount \"ghost\" not found (spec.serviceAccountName)"), pod.body());
    Api.Reply garbage = as("eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2t1YmVybmV0ZXMuZGVmYXVsdC5zdmMuY2x1c3Rlci5sb2NhbCJ9.AAAA",
        "GET", "/api/v1/namespaces/sa-d/pods", null);
    assertEquals(401, garbage.code(), garbage.body());
  }

  /** The history's entries of an object, each with {@code by}. */
  private com.fasterxml.jackson.databind.JsonNode history(String path) {
    Api.Reply r = admin.get(path + "/history");
    assertEquals(200, r.code(), r.body());
    return r.json().path("items");
  }

  @Test
  void historyShowsWhoMadeEachChangeAndNoSecretValue() throws Exception {
    namespace("sa-e");
    // a controller's change: the serviceaccount controller made the namespace's default account
    Await.until("sa-e has a default ServiceAccount", SETTLE,
        () -> admin.get("/api/v1/namespaces/sa-e/serviceaccounts/default").code() == 200);
    var made = history("/api/v1/namespaces/sa-e/serviceaccounts/default").get(0);
    assertEquals("Created", made.path("type").asText());
    assertEquals("system:serviceaccount:kube-system:serviceaccount-controller", made.at("/by/username").asText(), made.toString());
    assertEquals("tugboat", made.at("/by/userAgent").asText());

    // the admin's certificate creates; a ServiceAccount's token changes it with kubectl
    ok(admin.post("/api/v1/namespaces/sa-e/serviceaccounts", "{\"metadata\":{\"name\":\"writer\"}}"));
    ok(admin.post("/apis/rbac.authorization.k8s.io/v1/namespaces/sa-e/roles", """
        {"metadata":{"name":"labeller"},"rules":[{"apiGroups":[""],"resources":["configmaps","secrets"],"verbs":["get","patch"]}]}"""));
    ok(admin.post("/apis/rbac.authorization.k8s.io/v1/namespaces/sa-e/rolebindings", """
        {"metadata":{"name":"writer-labels"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"labeller"},
         "subjects":[{"kind":"ServiceAccount","name":"writer","namespace":"sa-e"}]}"""));
    ok(admin.post("/api/v1/namespaces/sa-e/configmaps", "{\"metadata\":{\"name\":\"settings\"},\"data\":{\"k\":\"v\"}}"));
    ok(admin.post("/api/v1/namespaces/sa-e/secrets",
        "{\"metadata\":{\"name\":\"db\"},\"data\":{\"password\":\"aHVudGVyMg==\"}}"));
    String token = token("sa-e", "writer", "{}");
    Kubectl k133 = Kubectl.v133(Files.createDirectories(work.resolve("audit"))).orElseThrow(
        () -> new AssertionError("kubectl 1.33 is missing")).configureWithoutCertificate(tugboat, "sa-e");
    Await.until("the writer's token labels the configmap", SETTLE,
        () -> k133.run("--token", token, "label", "configmap", "settings", "team=a").exit() == 0);
    Kubectl.Result labelled = k133.run("--token", token, "label", "secret", "db", "team=a");
    assertEquals(0, labelled.exit(), labelled.toString());

    com.fasterxml.jackson.databind.JsonNode items = history("/api/v1/namespaces/sa-e/configmaps/settings");
    assertEquals(2, items.size(), items.toString());
    assertEquals(ClusterCa.ADMIN_USER, items.get(0).at("/by/username").asText(), items.toString());
    assertTrue(items.get(0).at("/by/groups").toString().contains("system:masters"), items.toString());
    assertEquals("Updated", items.get(1).path("type").asText());
    assertEquals("system:serviceaccount:sa-e:writer", items.get(1).at("/by/username").asText(), items.toString());
    assertEquals("[\"system:serviceaccounts\",\"system:serviceaccounts:sa-e\",\"system:authenticated\"]",
        items.get(1).at("/by/groups").toString());
    assertTrue(items.get(1).at("/by/userAgent").asText().startsWith("kubectl"), items.toString());
    assertTrue(items.get(1).path("changes").toString().contains("\"team\":\"a\""), items.toString());
    // a Secret's journal keeps its last change only (encrypted at rest): who made it, and no value
    com.fasterxml.jackson.databind.JsonNode secret = history("/api/v1/namespaces/sa-e/secrets/db");
    com.fasterxml.jackson.databind.JsonNode last = secret.get(secret.size() - 1);
    assertEquals("system:serviceaccount:sa-e:writer", last.at("/by/username").asText(), secret.toString());
    assertTrue(last.at("/by/userAgent").asText().startsWith("kubectl"), secret.toString());
    assertTrue(secret.toString().contains("<redacted "), secret.toString());
    // the secret's value stays hidden in its history, whoever changed it
    assertTrue(!secret.toString().contains("aHVudGVyMg==") && !secret.toString().contains("hunter2"), secret.toString());
  }
}
