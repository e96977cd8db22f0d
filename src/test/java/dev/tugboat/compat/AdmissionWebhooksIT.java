package dev.tugboat.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.SelfSigned;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Admission webhooks against a live, API-only Tugboat, served by a real HTTPS server the test
 * starts (a self-signed certificate for {@code localhost}, given as the configurations' caBundle):
 * one that denies (kubectl 1.33 prints its message), one that mutates (the stored object has its
 * label), a down webhook under Fail (nothing written) and Ignore (written), one slower than its
 * timeout, a dry run, and bad configurations refused naming the field. Each scenario has its own
 * namespace, chosen by the webhooks' namespaceSelector.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdmissionWebhooksIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private Tugboat tugboat;
  private Api api;
  private Path work;
  private HttpsServer webhooks;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final List<JsonNode> reviews = new CopyOnWriteArrayList<>();
  private String caBundle;
  private int port;
  private int downPort;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) throws Exception {
    SelfSigned cert = SelfSigned.rsa("localhost");
    caBundle = Base64.getEncoder().encodeToString(cert.certificate().getBytes(StandardCharsets.US_ASCII));
    webhooks = HttpsServer.create(new InetSocketAddress("localhost", 0), 16);
    webhooks.setHttpsConfigurator(new HttpsConfigurator(serverTls(cert)));
    webhooks.setExecutor(Executors.newFixedThreadPool(4));
    webhooks.createContext("/deny", x -> answer(x, (uid, req) -> """
        {"uid":"%s","allowed":false,"status":{"code":403,"message":"configmaps are not made here"}}""".formatted(uid)));
    webhooks.createContext("/mutate", x -> answer(x, (uid, req) -> {
      boolean hasLabels = req.at("/object/metadata/labels").isObject();
      String patch = hasLabels ? "[{\"op\":\"add\",\"path\":\"/metadata/labels/mutated\",\"value\":\"yes\"}]"
          : "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"mutated\":\"yes\"}}]";
      return """
          {"uid":"%s","allowed":true,"patchType":"JSONPatch","patch":"%s","warnings":["labelled by the webhook"]}"""
          .formatted(uid, Base64.getEncoder().encodeToString(patch.getBytes(StandardCharsets.UTF_8)));
    }));
    webhooks.createContext("/slow", x -> answer(x, (uid, req) -> {
      try {
        // the webhook under test is slow: the API must give up on it after its 1 s timeout
        stop.await(4, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "{\"uid\":\"" + uid + "\",\"allowed\":true}";
    }));
    webhooks.start();
    port = webhooks.getAddress().getPort();
    try (ServerSocket s = new ServerSocket(0)) {
      downPort = s.getLocalPort(); // closed again: nothing listens there
    }
    tugboat = TestTugboat.startApiOnly(cassandra, "webhooks");
    api = Api.of(tugboat);
    work = Files.createDirectories(SharedCassandra.itDir().resolve("webhooks-" + ProcessHandle.current().pid()));
    Serving.await(api);
    for (String scenario : List.of("deny", "mutate", "down-fail", "down-ignore", "slow")) {
      assertEquals(201, api.post("/api/v1/namespaces", """
          {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"wh-%s","labels":{"scenario":"%s"}}}"""
          .formatted(scenario, scenario)).code());
    }
    // Validating configurations: one each, the deny one last (the informer sees them in order).
    created(configuration("Validating", "down-ignore", "https://localhost:" + downPort + "/", "Ignore", 10));
    created(configuration("Validating", "down-fail", "https://localhost:" + downPort + "/", "Fail", 10));
    created(configuration("Validating", "slow", "https://localhost:" + port + "/slow", "Fail", 1));
    created(configuration("Validating", "deny", "https://localhost:" + port + "/deny", "Fail", 10));
    created(configuration("Mutating", "mutate", "https://localhost:" + port + "/mutate", "Fail", 10));
    // In effect once this member's informers have them: the last of each kind answers.
    Await.until("the deny webhook is in effect", Duration.ofSeconds(15),
        () -> configMap("wh-deny", "probe", "").code() == 403);
    Await.until("the mutating webhook is in effect", Duration.ofSeconds(15), () -> {
      Api.Reply r = configMap("wh-mutate", "probe-" + System.nanoTime(), "");
      return r.code() == 201 && "yes".equals(r.at("/metadata/labels/mutated"));
    });
  }

  @AfterAll
  void stop() {
    stop.countDown();
    if (webhooks != null) webhooks.stop(0);
    if (tugboat != null) tugboat.close();
  }

  private static SSLContext serverTls(SelfSigned cert) throws Exception {
    var key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(
        cert.pkcs8().replaceAll("-----[A-Z ]+-----", ""))));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("webhook", key, new char[0], new Certificate[] {cert.x509()});
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, new char[0]);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    return tls;
  }

  interface Handler {
    String respond(String uid, JsonNode request) throws IOException;
  }

  /** Answers an AdmissionReview, echoing its uid; every review received is kept for the assertions. */
  private void answer(HttpExchange exchange, Handler handler) throws IOException {
    try (exchange) {
      JsonNode review = JSON.readTree(exchange.getRequestBody());
      reviews.add(review);
      String response = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":"
          + handler.respond(review.at("/request/uid").asText(), review.path("request")) + "}";
      byte[] body = response.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private String configuration(String type, String scenario, String url, String failurePolicy, int timeoutSeconds) {
    // the mutating webhook is skipped for one name by a CEL matchCondition
    String conditions = scenario.equals("mutate")
        ? ",\"matchConditions\":[{\"name\":\"not-skipped\",\"expression\":\"object.metadata.name != 'skip-me'\"}]" : "";
    return """
        {"apiVersion":"admissionregistration.k8s.io/v1","kind":"%sWebhookConfiguration",
         "metadata":{"name":"%s"},
         "webhooks":[{"name":"%s.example.com","clientConfig":{"url":"%s","caBundle":"%s"},
           "rules":[{"operations":["CREATE","UPDATE"],"apiGroups":[""],"apiVersions":["v1"],"resources":["configmaps"]}],
           "namespaceSelector":{"matchLabels":{"scenario":"%s"}},
           "failurePolicy":"%s","timeoutSeconds":%d,"sideEffects":"None","admissionReviewVersions":["v1"]%s}]}"""
        .formatted(type, scenario, scenario, url, caBundle, scenario, failurePolicy, timeoutSeconds, conditions);
  }

  private void created(String configuration) throws Exception {
    String plural = JSON.readTree(configuration).path("kind").asText().toLowerCase() + "s";
    Api.Reply r = api.post("/apis/admissionregistration.k8s.io/v1/" + plural, configuration);
    assertEquals(201, r.code(), r.body());
    assertEquals("Equivalent", r.at("/webhooks/0/matchPolicy"), r.body()); // Kubernetes' default, set
  }

  private Api.Reply configMap(String namespace, String name, String query) {
    return api.post("/api/v1/namespaces/" + namespace + "/configmaps" + query, """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s"},"data":{"a":"b"}}""".formatted(name));
  }

  @Test
  void aDenyingWebhookRefusesWithItsMessageAndKubectlPrintsIt() {
    Api.Reply denied = configMap("wh-deny", "refused", "");
    assertEquals(403, denied.code(), denied.body());
    assertEquals("admission webhook \"deny.example.com\" denied the request: configmaps are not made here",
        denied.at("/message"));
    assertEquals(404, api.get("/api/v1/namespaces/wh-deny/configmaps/refused").code());
    JsonNode review = reviews.stream().filter(r -> "refused".equals(r.at("/request/name").asText())).findFirst().orElseThrow();
    assertEquals("CREATE", review.at("/request/operation").asText());
    assertEquals("configmaps", review.at("/request/resource/resource").asText());
    assertEquals("wh-deny", review.at("/request/namespace").asText());
    // the user the API authenticated (the harness is the cluster admin, by its client certificate)
    assertEquals("tugboat-admin", review.at("/request/userInfo/username").asText(), review.toString());
    assertEquals("b", review.at("/request/object/data/a").asText());

    Optional<Kubectl> kubectl = Kubectl.v133(work);
    if (kubectl.isPresent()) {
      Kubectl k = kubectl.get().configure(tugboat, "wh-deny");
      Kubectl.Result r = k.run("create", "configmap", "by-kubectl", "--from-literal=a=b");
      assertNotEquals(0, r.exit(), r.toString());
      assertTrue(r.err().contains("admission webhook \"deny.example.com\" denied the request: configmaps are not made here"),
          r.toString());
    }
  }

  @Test
  void aMutatingWebhooksPatchIsStoredAndItsWarningReachesTheClient() {
    Api.Reply created = configMap("wh-mutate", "mutated", "");
    assertEquals(201, created.code(), created.body());
    assertEquals("yes", created.at("/metadata/labels/mutated"));
    assertTrue(created.raw().headers().allValues("Warning").stream().anyMatch(w -> w.contains("labelled by the webhook")),
        created.raw().headers().map().toString());
    Api.Reply stored = api.get("/api/v1/namespaces/wh-mutate/configmaps/mutated");
    assertEquals("yes", stored.at("/metadata/labels/mutated"));
    // an update that drops the label gets it back, written over the version that was reviewed
    ObjectNode update = (ObjectNode) stored.json();
    ((ObjectNode) update.get("metadata")).remove("labels");
    Api.Reply updated = api.put("/api/v1/namespaces/wh-mutate/configmaps/mutated", update.toString());
    assertEquals(200, updated.code(), updated.body());
    assertEquals("yes", api.get("/api/v1/namespaces/wh-mutate/configmaps/mutated").at("/metadata/labels/mutated"));
    // a merge patch: the webhook sees the patched object, and it is stored with the label
    Api.Reply patched = api.patch("/api/v1/namespaces/wh-mutate/configmaps/mutated",
        "{\"data\":{\"a\":\"patched\"}}", "application/merge-patch+json");
    assertEquals(200, patched.code(), patched.body());
    Api.Reply after = api.get("/api/v1/namespaces/wh-mutate/configmaps/mutated");
    assertEquals("patched", after.at("/data/a"));
    assertEquals("yes", after.at("/metadata/labels/mutated"));
    assertTrue(reviews.stream().anyMatch(r -> "UPDATE".equals(r.at("/request/operation").asText())
        && "patched".equals(r.at("/request/object/data/a").asText())
        && "b".equals(r.at("/request/oldObject/data/a").asText())));
  }

  @Test
  void aWebhookWhoseMatchConditionDoesNotHoldIsNotCalled() {
    Api.Reply created = configMap("wh-mutate", "skip-me", "");
    assertEquals(201, created.code(), created.body());
    assertTrue(created.json().at("/metadata/labels/mutated").isMissingNode(), created.body());
    assertTrue(reviews.stream().noneMatch(r -> "skip-me".equals(r.at("/request/name").asText())));
  }

  @Test
  void aDryRunIsReviewedAsOneAndWritesNothing() {
    Api.Reply tried = configMap("wh-mutate", "dry", "?dryRun=All");
    assertEquals(201, tried.code(), tried.body());
    assertEquals("yes", tried.at("/metadata/labels/mutated"));
    assertEquals(404, api.get("/api/v1/namespaces/wh-mutate/configmaps/dry").code());
    assertTrue(reviews.stream().anyMatch(r -> "dry".equals(r.at("/request/name").asText())
        && r.at("/request/dryRun").asBoolean()));
  }

  @Test
  void aDownWebhookRefusesUnderFailNamingItAndIsSkippedUnderIgnore() {
    Api.Reply refused = configMap("wh-down-fail", "not-written", "");
    assertEquals(500, refused.code(), refused.body());
    assertTrue(refused.at("/message").startsWith("Internal error occurred: failed calling webhook \"down-fail.example.com\""),
        refused.body());
    assertEquals(404, api.get("/api/v1/namespaces/wh-down-fail/configmaps/not-written").code());

    Api.Reply ignored = configMap("wh-down-ignore", "written", "");
    assertEquals(201, ignored.code(), ignored.body());
    assertEquals(200, api.get("/api/v1/namespaces/wh-down-ignore/configmaps/written").code());
  }

  @Test
  void aWebhookSlowerThanItsTimeoutFailsTheWriteInTime() {
    long t0 = System.nanoTime();
    Api.Reply refused = configMap("wh-slow", "late", "");
    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(500, refused.code(), refused.body());
    assertTrue(refused.at("/message").contains("\"slow.example.com\"") && refused.at("/message").contains("timeoutSeconds"),
        refused.body());
    assertTrue(millis < 3500, "answered after " + millis + " ms, the webhook's timeout is 1 s");
    assertEquals(404, api.get("/api/v1/namespaces/wh-slow/configmaps/late").code());
  }

  @Test
  void badConfigurationsAreRefusedNamingTheField() {
    String base = configuration("Validating", "bad", "https://localhost:" + port + "/deny", "Fail", 10);
    assertInvalid(base.replace(caBundle, Base64.getEncoder().encodeToString("not a certificate".getBytes())),
        "webhooks[0].clientConfig.caBundle");
    assertInvalid(base.replace("https://localhost", "http://localhost"), "webhooks[0].clientConfig.url");
    assertInvalid(base.replace("\"timeoutSeconds\":10", "\"timeoutSeconds\":31"), "webhooks[0].timeoutSeconds");
    assertInvalid(base.replace("\"failurePolicy\":\"Fail\"", "\"failurePolicy\":\"Sometimes\""), "webhooks[0].failurePolicy");
    assertInvalid(base.replace("\"url\":\"https://localhost:" + port + "/deny\",", ""), "webhooks[0].clientConfig");
    assertInvalid(base.replace("\"url\":", "\"service\":{\"namespace\":\"default\",\"name\":\"hooks\"},\"url\":"),
        "webhooks[0].clientConfig");
    assertInvalid(base.replace("[\"CREATE\",\"UPDATE\"]", "[\"EXPLODE\"]"), "webhooks[0].rules[0].operations[0]");
  }

  private void assertInvalid(String configuration, String field) {
    Api.Reply r = api.post("/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations", configuration);
    assertEquals(422, r.code(), r.body());
    boolean named = false;
    for (JsonNode cause : r.json().at("/details/causes")) named |= field.equals(cause.path("field").asText());
    assertTrue(named, field + " in " + r.body());
  }
}
