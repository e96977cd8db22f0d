package dev.tugboat.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.model.Codec;
import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.DockerRuntime;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real kubectl binaries (Debian's 1.20, and the machine's 1.33 where it has one) against a real
 * Tugboat with nothing but a kubeconfig: every command of the compatibility issue, asserted on its
 * exit code and output and on the objects read back over HTTP. Each kubectl works in a namespace of
 * its own that it creates itself.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlIT {
  private static final String IMAGE = "tugboat/busybox:1.0";
  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        labels: {app: web}
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: httpd
              image: %s
              ports: [{name: http, containerPort: 80}]
      """;
  private static final String SERVICE = """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        selector: {app: web}
        ports: [{name: http, port: 80, targetPort: http}]
      """;

  private final String node = "kubectl-it-" + ProcessHandle.current().pid();
  private Tugboat tugboat;
  private Api api;
  private Path work;
  private DockerRuntime docker;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) throws Exception {
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    config.put("tugboat.node-name", node);
    tugboat = TestTugboat.start(cassandra, "kubectl_it_" + ProcessHandle.current().pid(), config);
    api = Api.of(tugboat);
    work = Files.createDirectories(SharedCassandra.itDir().resolve("kubectl-" + ProcessHandle.current().pid()));
    docker = new DockerRuntime("unix:///var/run/docker.sock", IMAGE);
    Serving.await(api);
    Await.until("node " + node + " registered", Duration.ofSeconds(60), () -> api.get("/api/v1/nodes/" + node).code() == 200);
  }

  @AfterAll
  void stop() {
    if (tugboat != null) tugboat.close();
    if (docker != null) {
      for (var c : docker.listContainers(Map.of(ContainerRuntime.NODE, node))) docker.removeContainer(c.id());
      assertEquals(List.of(), docker.listContainers(Map.of(ContainerRuntime.NODE, node)), "no container left behind");
      docker.close();
    }
  }

  Stream<Kubectl> kubectls() {
    List<Kubectl> all = new ArrayList<>();
    all.add(Kubectl.v120(work));
    all.add(Kubectl.v133(work).orElse(null));
    return all.stream().map(k -> k == null ? null : k.configure(tugboat, namespaceOf(k)));
  }

  private static String namespaceOf(Kubectl k) {
    return "k" + k.version().replace(".", "");
  }

  private static void present(Kubectl k) {
    Assumptions.assumeTrue(k != null, "this machine has no kubectl 1.33 (the Google Cloud CLI's kubectl.1.33)");
  }

  private void namespace(Kubectl k) {
    if (api.get("/api/v1/namespaces/" + namespaceOf(k)).code() == 404) {
      Kubectl.Result r = k.run("create", "namespace", namespaceOf(k));
      assertEquals(0, r.exit(), r.toString());
      assertEquals("namespace/" + namespaceOf(k) + " created\n", r.out());
    }
  }

  private Path file(Kubectl k, String name, String text) throws Exception {
    return Files.writeString(k.home().resolve(name), text);
  }

  private static Kubectl.Result ok(Kubectl.Result r) {
    assertEquals(0, r.exit(), r.toString());
    return r;
  }

  private JsonNode deployment(Kubectl k) {
    return api.get("/apis/apps/v1/namespaces/" + namespaceOf(k) + "/deployments/web").json();
  }

  /** kubectl's generators: 1.33 sends them as protobuf, which the server reads for every built-in kind. */
  @Order(20)
  @ParameterizedTest(name = "{0}")
  @MethodSource("kubectls")
  void generatorsCreateDeploymentsAndServices(Kubectl k) {
    present(k);
    namespace(k);
    assertEquals("deployment.apps/gen created\n", ok(k.run("create", "deployment", "gen",
        "--image=tugboat/busybox:1.0", "--replicas=2", "--port=8080", "--", "sleep", "600")).out());
    JsonNode d = api.get("/apis/apps/v1/namespaces/" + namespaceOf(k) + "/deployments/gen").json();
    assertEquals(2, d.at("/spec/replicas").asInt(), d.toString());
    assertEquals("gen", d.at("/spec/selector/matchLabels/app").asText());
    assertEquals(8080, d.at("/spec/template/spec/containers/0/ports/0/containerPort").asInt());
    assertEquals("sleep", d.at("/spec/template/spec/containers/0/command/0").asText());
    assertEquals("service/gen created\n", ok(k.run("create", "service", "clusterip", "gen", "--tcp=80:8080")).out());
    JsonNode svc = api.get("/api/v1/namespaces/" + namespaceOf(k) + "/services/gen").json();
    assertEquals(8080, svc.at("/spec/ports/0/targetPort").asInt(), svc.toString());
    assertTrue(svc.at("/spec/ports/0/targetPort").isInt(), "an IntOrString's int stays a number");
    ok(k.run("delete", "service", "gen"));
    ok(k.run("delete", "deployment", "gen"));
  }

  /**
   * kubectl 1.27 and later read /openapi/v3: explain walks a kind's schema, and apply sends
   * fieldValidation=Strict (its default) because the documents name that parameter, so an unknown
   * field is refused where it used to be dropped with a warning. kubectl 1.20 reads v2 as protobuf
   * only, gets the empty document and validates nothing, as before.
   */
  @Order(30)
  @ParameterizedTest(name = "{0}")
  @MethodSource("kubectls")
  void explainReadsTheSchemasAndStrictValidationRefusesAnUnknownField(Kubectl k) throws Exception {
    present(k);
    Assumptions.assumeFalse(k.version().startsWith("1.20"), "kubectl 1.20 reads no OpenAPI v3");
    namespace(k);
    Kubectl.Result explain = ok(k.run("explain", "deploy.spec.strategy"));
    assertTrue(explain.out().contains("KIND:") && explain.out().contains("Deployment"), explain.out());
    assertTrue(explain.out().contains("rollingUpdate") && explain.out().contains("type"), explain.out());
    Kubectl.Result fields = ok(k.run("explain", "pods.spec.containers"));
    assertTrue(fields.out().contains("image") && fields.out().contains("readinessProbe"), fields.out());

    Path unknown = file(k, "unknown.yaml", DEPLOYMENT.formatted(IMAGE).replace("name: web", "name: strict")
        .replace("  replicas: 2", "  replicaz: 2"));
    Kubectl.Result refused = k.run("apply", "--validate=strict", "-f", unknown.toString());
    assertTrue(refused.exit() != 0, refused.toString());
    assertTrue(refused.err().contains("unknown field \"spec.replicaz\""), refused.toString());
    assertEquals(404, api.get("/apis/apps/v1/namespaces/" + namespaceOf(k) + "/deployments/strict").code(), "nothing written");
    Kubectl.Result warned = ok(k.run("apply", "--validate=warn", "-f", unknown.toString()));
    assertTrue(warned.err().contains("unknown field \"spec.replicaz\""), warned.toString());
    ok(k.run("delete", "deployment", "strict"));
    // the project's own manifests pass strict validation: the records know every field they use
    Path examples = Path.of("examples").toAbsolutePath();
    for (String manifest : List.of("web.yaml", "node-agent.yaml", "crd/crontab-crd.yaml")) {
      Kubectl.Result r = k.run("apply", "--dry-run=server", "--validate=strict", "-f", examples.resolve(manifest).toString());
      assertEquals(0, r.exit(), manifest + ": " + r);
      assertTrue(r.err().isEmpty() || !r.err().contains("unknown field"), manifest + ": " + r);
    }
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("kubectls")
  void applyCreateGetAndTables(Kubectl k) throws Exception {
    present(k);
    namespace(k);
    String ns = namespaceOf(k);
    Path v1 = file(k, "web.yaml", DEPLOYMENT.formatted(IMAGE));
    assertEquals("deployment.apps/web created\n", ok(k.run("apply", "-f", v1.toString())).out());
    assertEquals("deployment.apps/web unchanged\n", ok(k.run("apply", "-f", v1.toString())).out());
    assertTrue(deployment(k).at("/metadata/annotations").has("kubectl.kubernetes.io/last-applied-configuration"));
    Path v2 = file(k, "web2.yaml", DEPLOYMENT.formatted("tugboat/busybox:1.1").replace("replicas: 2", "replicas: 1"));
    assertEquals("deployment.apps/web configured\n", ok(k.run("apply", "-f", v2.toString())).out());
    assertEquals("tugboat/busybox:1.1", deployment(k).at("/spec/template/spec/containers/0/image").asText());
    assertEquals(1, deployment(k).at("/spec/replicas").asInt());

    Path svc = file(k, "svc.yaml", SERVICE);
    assertEquals("service/web created\n", ok(k.run("create", "-f", svc.toString())).out());
    Kubectl.Result again = k.run("create", "-f", svc.toString());
    assertEquals(1, again.exit());
    assertTrue(again.err().contains("Error from server (AlreadyExists)") && again.err().contains("services \"web\" already exists"),
        again.toString());

    List<String> deploys = ok(k.run("get", "deploy")).out().lines().toList();
    assertEquals(List.of("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"), List.of(deploys.get(0).split("\\s+")));
    // the deployment controller may already have created its ReplicaSet and pod
    assertTrue(deploys.get(1).matches("web\\s+[01]/1\\s+[01]\\s+[01]\\s+\\d+s"), deploys.toString());
    String wide = ok(k.run("get", "deploy", "-o", "wide")).out();
    assertTrue(wide.contains("CONTAINERS") && wide.contains("IMAGES") && wide.contains("SELECTOR")
        && wide.contains("tugboat/busybox:1.1") && wide.contains("app=web"), wide);
    String all = ok(k.run("get", "all")).out();
    assertTrue(all.contains("deployment.apps/web") && all.contains("service/web") && all.contains("ClusterIP")
        && all.contains("80/TCP"), all);
    String allNamespaces = ok(k.run("get", "deploy", "-A")).out();
    assertTrue(allNamespaces.startsWith("NAMESPACE") && allNamespaces.lines().anyMatch(l -> l.startsWith(ns + " ")), allNamespaces);
    assertTrue(ok(k.run("get", "deploy", "--show-labels")).out().contains("app=web"));
    assertTrue(ok(k.run("get", "deploy", "web", "-o", "yaml")).out().contains("kind: Deployment"));
    JsonNode list = Codec.parseTree(ok(k.run("get", "deploy", "-o", "json")).out().getBytes(), false);
    assertEquals("web", list.at("/items/0/metadata/name").asText());
    assertEquals("deployment.apps/web\n", ok(k.run("get", "deploy", "-o", "name")).out());
    assertTrue(ok(k.run("get", "ns")).out().lines().anyMatch(l -> l.matches(ns + "\\s+Active\\s+\\S+")));
    String nodes = ok(k.run("get", "nodes", "-o", "wide")).out();
    assertTrue(nodes.contains("INTERNAL-IP") && nodes.lines().anyMatch(l -> l.startsWith(node) && l.contains("Ready")), nodes);

    // Endpoints and Events, as the endpoints and deployment controllers write them.
    Await.until("the Endpoints of web in kubectl get ep", Duration.ofSeconds(30),
        () -> ok(k.run("get", "ep")).out().lines().anyMatch(l -> l.startsWith("web ")));
    Await.until("the deployment controller's ScalingReplicaSet in kubectl get events", Duration.ofSeconds(30), () -> {
      String events = ok(k.run("get", "events")).out();
      return events.startsWith("LAST SEEN") && events.contains("deployment/web") && events.contains("ScalingReplicaSet");
    });
  }

  private void postEvent(String ns, JsonNode about, String reason, String message) {
    String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    assertEquals(201, api.post("/api/v1/namespaces/" + ns + "/events", """
        {"apiVersion":"v1","kind":"Event","metadata":{"generateName":"web-"},
         "involvedObject":{"kind":"%s","apiVersion":"%s","namespace":"%s","name":"%s","uid":"%s"},
         "reason":"%s","message":"%s","type":"Normal","source":{"component":"deployment-controller"},
         "firstTimestamp":"%s","lastTimestamp":"%s","count":1}""".formatted(about.path("kind").asText(),
        about.path("apiVersion").asText(), ns, about.at("/metadata/name").asText(), about.at("/metadata/uid").asText(),
        reason, message, now, now)).code());
  }

  @Order(2)
  @ParameterizedTest(name = "{0}")
  @MethodSource("kubectls")
  void changeVerbs(Kubectl k) throws Exception {
    present(k);
    namespace(k);
    ensureDeployment(k);
    assertEquals("deployment.apps/web scaled\n", ok(k.run("scale", "deploy", "web", "--replicas=3")).out());
    assertEquals(3, deployment(k).at("/spec/replicas").asInt());
    ok(k.run("label", "deploy", "web", "tier=front"));
    assertEquals("front", deployment(k).at("/metadata/labels/tier").asText());
    ok(k.run("patch", "deploy", "web", "-p", "{\"spec\":{\"minReadySeconds\":1}}"));
    assertEquals(1, deployment(k).at("/spec/minReadySeconds").asInt());
    ok(k.run("patch", "deploy", "web", "--type=merge", "-p", "{\"spec\":{\"minReadySeconds\":2}}"));
    assertEquals(2, deployment(k).at("/spec/minReadySeconds").asInt());
    ok(k.run("patch", "deploy", "web", "--type=json", "-p", "[{\"op\":\"replace\",\"path\":\"/spec/minReadySeconds\",\"value\":3}]"));
    assertEquals(3, deployment(k).at("/spec/minReadySeconds").asInt());
    ok(k.run("set", "image", "deploy/web", "httpd=tugboat/busybox:1.2"));
    assertEquals("tugboat/busybox:1.2", deployment(k).at("/spec/template/spec/containers/0/image").asText());
    assertEquals("deployment.apps/web restarted\n", ok(k.run("rollout", "restart", "deploy/web")).out());
    assertTrue(deployment(k).at("/spec/template/metadata/annotations").has("kubectl.kubernetes.io/restartedAt"));
    Kubectl.Result missing = k.run("get", "deploy", "nosuch");
    assertEquals(1, missing.exit());
    assertEquals("Error from server (NotFound): deployments.apps \"nosuch\" not found\n", missing.err());
    String version = ok(k.run("version")).out();
    assertTrue(version.contains("Server Version") && version.contains("v1.33.0"), version);
  }

  private void ensureDeployment(Kubectl k) throws Exception {
    if (api.get("/apis/apps/v1/namespaces/" + namespaceOf(k) + "/deployments/web").code() == 404) {
      ok(k.run("apply", "-f", file(k, "web.yaml", DEPLOYMENT.formatted(IMAGE)).toString()));
    }
  }

  @Order(3)
  @ParameterizedTest(name = "{0}")
  @MethodSource("kubectls")
  void rolloutStatusWaitsForTheControllerAndDescribeShowsEvents(Kubectl k) throws Exception {
    present(k);
    namespace(k);
    ensureDeployment(k);
    String ns = namespaceOf(k);
    Process status = k.builder("rollout", "status", "deploy/web", "--timeout=60s").redirectErrorStream(true).start();
    List<String> lines = Streams.collect(status.getInputStream());
    Await.until("rollout status to wait", Duration.ofSeconds(30), () -> lines.stream().anyMatch(l -> l.startsWith("Waiting")));
    assertTrue(status.isAlive(), "rollout status must wait while the rollout is not observed: " + lines);
    // The deployment controller's part: observe the generation and report every replica available.
    JsonNode d = deployment(k);
    int replicas = d.at("/spec/replicas").asInt();
    assertEquals(200, api.patch("/apis/apps/v1/namespaces/" + ns + "/deployments/web/status",
        "{\"status\":{\"observedGeneration\":%d,\"replicas\":%d,\"updatedReplicas\":%d,\"readyReplicas\":%d,\"availableReplicas\":%d}}"
            .formatted(d.at("/metadata/generation").asLong(), replicas, replicas, replicas, replicas),
        "application/merge-patch+json").code());
    Await.until("rollout status to finish", Duration.ofSeconds(30), () -> !status.isAlive());
    assertEquals(0, status.exitValue(), lines.toString());
    Await.until("the last line", Duration.ofSeconds(5), () -> lines.contains("deployment \"web\" successfully rolled out"));

    postEvent(ns, deployment(k), "ScalingReplicaSet", "Scaled up replica set web-xyz to " + replicas);
    String describe = ok(k.run("describe", "deploy", "web")).out();
    assertTrue(describe.contains("Name:") && describe.contains("web") && describe.contains("Events:")
        && describe.contains("ScalingReplicaSet") && describe.contains("deployment-controller"), describe);
  }

  @Order(4)
  @ParameterizedTest(name = "{0}")
  @MethodSource("kubectls")
  void watchPrintsATableRowPerChange(Kubectl k) throws Exception {
    present(k);
    namespace(k);
    ensureDeployment(k);
    Process watch = k.builder("get", "deploy", "-w").redirectErrorStream(true).start();
    try {
      List<String> lines = Streams.collect(watch.getInputStream());
      Await.until("the table", Duration.ofSeconds(30), () -> lines.size() >= 2);
      assertTrue(lines.get(0).startsWith("NAME") && lines.get(0).contains("UP-TO-DATE"), lines.toString());
      assertEquals(200, api.patch("/apis/apps/v1/namespaces/" + namespaceOf(k) + "/deployments/web",
          "{\"spec\":{\"replicas\":5}}", "application/merge-patch+json").code());
      Await.until("a row for the change", Duration.ofSeconds(30), () -> lines.stream().skip(2).anyMatch(l -> l.matches("web\\s+\\d+/5\\s+.*")));
      assertTrue(lines.stream().noneMatch(l -> l.startsWith("NAME") && lines.indexOf(l) > 0), "one header only: " + lines);
    } finally {
      watch.destroy();
      watch.waitFor();
    }
  }

  @Order(5)
  @ParameterizedTest(name = "{0}")
  @MethodSource("kubectls")
  void podLogsAndDeleteWaitsUntilGone(Kubectl k) throws Exception {
    present(k);
    namespace(k);
    String ns = namespaceOf(k);
    Path pod = file(k, "pod.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: talker, labels: {app: talker}}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: main
            image: %s
            command: ["sh", "-c", "echo one; echo two; echo three; sleep 3600"]
        """.formatted(IMAGE));
    assertEquals("pod/talker created\n", ok(k.run("apply", "-f", pod.toString())).out());
    Await.until("the pod to run and be ready", Duration.ofSeconds(60), () ->
        api.get("/api/v1/namespaces/" + ns + "/pods/talker").at("/status/containerStatuses/0/ready").equals("true"));
    Await.until("its log", Duration.ofSeconds(30), () -> k.run("logs", "talker").out().contains("three"));
    assertEquals("two\nthree\n", ok(k.run("logs", "talker", "--tail=2")).out());
    String pods = ok(k.run("get", "pods", "-o", "wide")).out();
    assertTrue(pods.lines().anyMatch(l -> l.matches("talker\\s+1/1\\s+Running\\s+0\\s+.*" + node + ".*")), pods);
    Process follow = k.builder("logs", "-f", "talker").redirectErrorStream(true).start();
    try {
      List<String> lines = Streams.collect(follow.getInputStream());
      Await.until("the followed log", Duration.ofSeconds(30), () -> lines.contains("three"));
      assertTrue(follow.isAlive(), "-f keeps following while the container runs");
    } finally {
      follow.destroy();
      follow.waitFor();
    }
    Kubectl.Result deleted = ok(k.run("delete", "pod", "talker"));
    assertEquals("pod \"talker\" deleted\n", deleted.out());
    assertEquals(404, api.get("/api/v1/namespaces/" + ns + "/pods/talker").code(), "kubectl delete returns once the pod is gone");
    ok(k.run("delete", "deploy", "web"));
    assertEquals(404, api.get("/apis/apps/v1/namespaces/" + ns + "/deployments/web").code());
  }
}
