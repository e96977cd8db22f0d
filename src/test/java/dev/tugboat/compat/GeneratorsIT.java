package dev.tugboat.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.model.Codec;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kubectl generator of a kind Tugboat serves, with the kubectl versions whose generators send
 * protobuf bodies and ask for protobuf answers (1.33, the machine's, and 1.35.2, installed by
 * deploy/kubectl-1.35.sh): each object read back as JSON carries every field the generator set.
 * And the review APIs: {@code kubectl auth whoami}, and a TokenReview over HTTP.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeneratorsIT {
  private Tugboat tugboat;
  private Api api;
  private Path work;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) throws Exception {
    tugboat = TestTugboat.startApiOnly(cassandra, "generators");
    api = Api.of(tugboat);
    work = Files.createDirectories(SharedCassandra.itDir().resolve("generators-" + ProcessHandle.current().pid()));
    Serving.await(api);
  }

  @AfterAll
  void stop() {
    if (tugboat != null) tugboat.close();
  }

  Stream<Kubectl> kubectls() {
    return Stream.of(Kubectl.v133(work).orElse(null), Kubectl.v135(work))
        .map(k -> k == null ? null : k.configure(tugboat, namespace(k)));
  }

  private static String namespace(Kubectl k) {
    return "gen" + k.version().replace(".", "");
  }

  private static Kubectl.Result ok(Kubectl.Result r) {
    assertEquals(0, r.exit(), r.toString());
    return r;
  }

  private JsonNode get(Kubectl k, String path) {
    Api.Reply r = api.get(path.startsWith("/") ? path : "/api/v1/namespaces/" + namespace(k) + "/" + path);
    assertEquals(200, r.code(), r.body());
    return r.json();
  }

  private JsonNode getApps(Kubectl k, String group, String path) {
    return get(k, "/apis/" + group + "/namespaces/" + namespace(k) + "/" + path);
  }

  @ParameterizedTest(name = "kubectl {0}")
  @MethodSource("kubectls")
  void everyGeneratorOfAServedKind(Kubectl k) throws Exception {
    Assumptions.assumeTrue(k != null, "this machine has no kubectl 1.33 (the Google Cloud CLI's kubectl.1.33)");
    String ns = namespace(k);
    assertEquals("namespace/" + ns + " created\n", ok(k.run("create", "namespace", ns, "--namespace=default")).out());
    assertEquals("Active", get(k, "/api/v1/namespaces/" + ns).at("/status/phase").asText());

    // Deployment: image, replicas, port, command
    assertEquals("deployment.apps/web created\n", ok(k.run("create", "deployment", "web", "--image=tugboat/busybox:1.0",
        "--replicas=3", "--port=8080", "--", "httpd", "-f", "-p", "8080")).out());
    JsonNode d = getApps(k, "apps/v1", "deployments/web");
    assertEquals(3, d.at("/spec/replicas").asInt());
    assertEquals("web", d.at("/spec/selector/matchLabels/app").asText());
    assertEquals("web", d.at("/spec/template/metadata/labels/app").asText());
    assertEquals("tugboat/busybox:1.0", d.at("/spec/template/spec/containers/0/image").asText());
    assertEquals("busybox", d.at("/spec/template/spec/containers/0/name").asText());
    assertEquals(8080, d.at("/spec/template/spec/containers/0/ports/0/containerPort").asInt());
    assertEquals(List.of("httpd", "-f", "-p", "8080"), strings(d.at("/spec/template/spec/containers/0/command")));

    // Services: clusterip and nodeport, each with its tcp ports; an IntOrString targetPort stays a number
    assertEquals("service/web created\n", ok(k.run("create", "service", "clusterip", "web", "--tcp=80:8080", "--tcp=443:8443")).out());
    JsonNode svc = get(k, "services/web");
    assertEquals("ClusterIP", svc.at("/spec/type").asText());
    assertEquals(80, svc.at("/spec/ports/0/port").asInt());
    assertTrue(svc.at("/spec/ports/0/targetPort").isInt(), svc.toString());
    assertEquals(8443, svc.at("/spec/ports/1/targetPort").asInt());
    assertEquals("80-8080", svc.at("/spec/ports/0/name").asText());
    assertEquals("web", svc.at("/spec/selector/app").asText());
    assertEquals("service/edge created\n", ok(k.run("create", "service", "nodeport", "edge", "--tcp=80:8080",
        "--node-port=30" + (k.version().equals("1.33") ? "133" : "135"))).out());
    JsonNode edge = get(k, "services/edge");
    assertEquals("NodePort", edge.at("/spec/type").asText());
    assertEquals(k.version().equals("1.33") ? 30133 : 30135, edge.at("/spec/ports/0/nodePort").asInt());

    // ConfigMap from literals and a file
    Path file = k.home().resolve("app.properties");
    Files.writeString(file, "mode=fast\n");
    assertEquals("configmap/settings created\n", ok(k.run("create", "configmap", "settings", "--from-literal=a=1",
        "--from-literal=b=two", "--from-file=" + file)).out());
    JsonNode cm = get(k, "configmaps/settings");
    assertEquals("1", cm.at("/data/a").asText());
    assertEquals("two", cm.at("/data/b").asText());
    assertEquals("mode=fast\n", cm.at("/data/app.properties").asText());
    // An empty value is an empty string in protobuf, and must stay one (not a missing or null value).
    assertEquals("configmap/empty created\n", ok(k.run("create", "configmap", "empty", "--from-literal=EMPTY=")).out());
    assertTrue(get(k, "configmaps/empty").at("/data/EMPTY").isTextual(), get(k, "configmaps/empty").toString());
    assertEquals("", get(k, "configmaps/empty").at("/data/EMPTY").asText());

    // Secrets: generic, tls and docker-registry
    assertEquals("secret/db created\n", ok(k.run("create", "secret", "generic", "db", "--from-literal=password=hunter2")).out());
    JsonNode db = get(k, "secrets/db");
    assertEquals("Opaque", db.at("/type").asText());
    assertEquals(Base64.getEncoder().encodeToString("hunter2".getBytes(StandardCharsets.UTF_8)), db.at("/data/password").asText());
    Path cert = k.home().resolve("tls.crt");
    Path key = k.home().resolve("tls.key");
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=web.example.com", "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
    String opensslOut = new String(openssl.getInputStream().readAllBytes());
    assertTrue(openssl.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && openssl.exitValue() == 0, opensslOut);
    assertEquals("secret/web-tls created\n", ok(k.run("create", "secret", "tls", "web-tls", "--cert=" + cert, "--key=" + key)).out());
    JsonNode tls = get(k, "secrets/web-tls");
    assertEquals("kubernetes.io/tls", tls.at("/type").asText());
    assertEquals(Base64.getEncoder().encodeToString(Files.readAllBytes(cert)), tls.at("/data/tls.crt").asText());
    assertEquals("secret/registry created\n", ok(k.run("create", "secret", "docker-registry", "registry",
        "--docker-server=registry.example.com", "--docker-username=me", "--docker-password=pw")).out());
    JsonNode reg = get(k, "secrets/registry");
    assertEquals("kubernetes.io/dockerconfigjson", reg.at("/type").asText());
    assertTrue(new String(Base64.getDecoder().decode(reg.at("/data/.dockerconfigjson").asText()), StandardCharsets.UTF_8)
        .contains("registry.example.com"));

    // CronJob (schedule, restart policy, command), then a Job from it and a Job of its own
    assertEquals("cronjob.batch/tick created\n", ok(k.run("create", "cronjob", "tick", "--image=tugboat/busybox:1.0",
        "--schedule=*/5 * * * *", "--restart=OnFailure", "--", "date")).out());
    JsonNode cj = getApps(k, "batch/v1", "cronjobs/tick");
    assertEquals("*/5 * * * *", cj.at("/spec/schedule").asText());
    assertEquals("OnFailure", cj.at("/spec/jobTemplate/spec/template/spec/restartPolicy").asText());
    assertEquals(List.of("date"), strings(cj.at("/spec/jobTemplate/spec/template/spec/containers/0/command")));
    assertEquals("job.batch/once created\n", ok(k.run("create", "job", "once", "--from=cronjob/tick")).out());
    JsonNode fromCron = getApps(k, "batch/v1", "jobs/once");
    assertEquals("CronJob", fromCron.at("/metadata/ownerReferences/0/kind").asText());
    assertEquals("manual", fromCron.at("/metadata/annotations/cronjob.kubernetes.io~1instantiate").asText());
    assertEquals(List.of("date"), strings(fromCron.at("/spec/template/spec/containers/0/command")));
    assertEquals("job.batch/pi created\n", ok(k.run("create", "job", "pi", "--image=tugboat/busybox:1.0", "--", "echo", "3.14")).out());
    JsonNode job = getApps(k, "batch/v1", "jobs/pi");
    assertEquals("Never", job.at("/spec/template/spec/restartPolicy").asText());
    assertEquals(List.of("echo", "3.14"), strings(job.at("/spec/template/spec/containers/0/command")));

    // The generators speak protobuf both ways: the body sent, and the answer asked for and given.
    Kubectl.Result verbose = ok(k.run("create", "configmap", "wire", "--from-literal=k=v", "-v=8"));
    assertTrue(verbose.err().contains("Content-Type: application/vnd.kubernetes.protobuf"), verbose.err());
    assertTrue(verbose.err().lines().anyMatch(l -> l.contains("Response") || l.contains("response"))
        && verbose.err().lines().filter(l -> l.contains("Content-Type: application/vnd.kubernetes.protobuf")).count() >= 2,
        "the request's and the response's Content-Type are protobuf: " + verbose.err());
    assertEquals("v", get(k, "configmaps/wire").at("/data/k").asText());

    // Reading back with the same kubectl: its protobuf answers decode
    String names = ok(k.run("get", "deploy,svc,cm,secret,cronjob,job", "-o", "name")).out();
    for (String id : List.of("deployment.apps/web", "service/web", "service/edge", "configmap/settings", "secret/db",
        "cronjob.batch/tick", "job.batch/once", "job.batch/pi")) {
      assertTrue(names.contains(id + "\n"), names);
    }
    ok(k.run("delete", "namespace", ns, "--wait=false"));
  }

  @ParameterizedTest(name = "kubectl {0}")
  @MethodSource("kubectls")
  void whoami(Kubectl k) throws Exception {
    Assumptions.assumeTrue(k != null, "this machine has no kubectl 1.33 (the Google Cloud CLI's kubectl.1.33)");
    String table = ok(k.run("auth", "whoami")).out();
    assertTrue(table.lines().anyMatch(l -> l.matches("Username\\s+tugboat-admin")), table);
    assertTrue(table.lines().anyMatch(l -> l.matches("Groups\\s+\\[system:masters system:authenticated]")), table);
    JsonNode review = Codec.parseTree(ok(k.run("auth", "whoami", "-o", "json")).out().getBytes(), false);
    assertEquals("SelfSubjectReview", review.path("kind").asText());
    assertEquals("authentication.k8s.io/v1", review.path("apiVersion").asText());
    assertEquals("tugboat-admin", review.at("/status/userInfo/username").asText());
  }

  @Test
  void tokenReviewsOverHttp() {
    String reviews = "/apis/authentication.k8s.io/v1/tokenreviews";
    Api.Reply answered = api.post(reviews, """
        {"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"abc","audiences":["x"]}}""");
    assertEquals(201, answered.code(), answered.body());
    assertEquals(false, answered.json().at("/status/authenticated").asBoolean(true));
    // ServiceAccount tokens are always checked: a token neither they nor a token file know is invalid
    assertEquals("invalid bearer token", answered.json().at("/status/error").asText(), answered.body());
    assertEquals("x", answered.json().at("/spec/audiences/0").asText(), "the spec is echoed");
    Api.Reply missing = api.post(reviews, "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{}}");
    assertEquals(422, missing.code(), missing.body());
    assertTrue(missing.body().contains("spec.token"), missing.body());
    Api.Reply wrongKind = api.post(reviews, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}");
    assertEquals(400, wrongKind.code(), wrongKind.body());
    Api.Reply get = api.get(reviews);
    assertEquals(405, get.code(), get.body());
    assertEquals("Status", get.json().path("kind").asText());
    JsonNode discovery = api.get("/apis/authentication.k8s.io/v1").json();
    assertEquals(Optional.of("create"), Optional.ofNullable(discovery.at("/resources/0/verbs/0").asText(null)));
    assertTrue(api.get("/apis").body().contains("\"authentication.k8s.io\""));
  }

  private static List<String> strings(JsonNode array) {
    return Codec.json().convertValue(array, new com.fasterxml.jackson.core.type.TypeReference<List<String>>() {});
  }
}
