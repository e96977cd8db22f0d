package dev.tugboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.model.Codec;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code tug} against a real Tugboat: each command run as the command line runs it (picocli, the
 * same error handling), asserted on its exit code, its output, and the objects read back over HTTP.
 * The control plane runs without controllers: their part of a rollout (status, ReplicaSets with
 * revisions) is written here over HTTP as the deployment controller writes it, so every state the
 * commands print is known. KubectlIT follows the real controllers.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TugCliIT {
  private static final String NS = "tug";
  private Tugboat tugboat;
  private Api api;
  private Path dir;

  /** One finished tug command. */
  record Run(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  @BeforeAll
  void start(EmbeddedCassandra cassandra) throws Exception {
    // API only: the test writes the controllers' part itself, so each state tug shows is exact.
    tugboat = TestTugboat.startApiOnly(cassandra, "tug_cli_it");
    api = Api.of(tugboat);
    dir = Files.createDirectories(SharedCassandra.itDir().resolve("tug-cli-" + ProcessHandle.current().pid()));
    dev.tugboat.compat.Serving.await(api);
    assertEquals(201, api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + NS + "\"}}").code());
  }

  @AfterAll
  void stop() {
    if (tugboat != null) tugboat.close();
  }

  private Run tug(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    if (!all.isEmpty() && !all.get(0).equals("up")) {
      all.add(TestTugboat.tugServerOption(tugboat));
      if (!all.contains("-A") && !all.contains("--namespace")) all.add("--namespace=" + NS);
    }
    int exit = TugCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  private Run ok(String... args) {
    Run r = tug(args);
    assertEquals(0, r.exit(), String.join(" ", args) + "\n" + r);
    return r;
  }

  private JsonNode deployment() {
    return api.get("/apis/apps/v1/namespaces/" + NS + "/deployments/web").json();
  }

  private static final String MANIFESTS = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, labels: {app: web}}
      spec:
        replicas: %d
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers: [{name: httpd, image: "%s", ports: [{containerPort: 80}]}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        selector: {app: web}
        ports: [{port: 80}]
      """;

  @Test
  @Order(1)
  void applyCreatesLeavesUnchangedAndConfigures() throws Exception {
    Path v1 = Files.writeString(dir.resolve("web.yaml"), MANIFESTS.formatted(2, "busybox:1"));
    assertEquals("deployment.apps/web created\nservice/web created\n", ok("apply", "-f", v1.toString()).out());
    assertEquals("deployment.apps/web unchanged\nservice/web unchanged\n", ok("apply", "-f", v1.toString()).out());
    Path folder = Files.createDirectories(dir.resolve("v2"));
    Files.writeString(folder.resolve("web.yaml"), MANIFESTS.formatted(3, "busybox:2"));
    assertEquals("deployment.apps/web configured\nservice/web unchanged\n", ok("apply", "-f", folder.toString()).out());
    assertEquals(3, deployment().at("/spec/replicas").asInt());
    assertEquals("busybox:2", deployment().at("/spec/template/spec/containers/0/image").asText());
    String lastApplied = deployment().at("/metadata/annotations").path(ApplyCommand.LAST_APPLIED).asText();
    assertEquals("busybox:2", Codec.parseTree(lastApplied.getBytes(), false).at("/spec/template/spec/containers/0/image").asText());

    Run bad = tug("apply", "-f", Files.writeString(dir.resolve("bad.yaml"), """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: broken}
        spec: {replicas: -1, selector: {matchLabels: {app: b}}, template: {metadata: {labels: {app: b}}, spec: {containers: [{name: c, image: x}]}}}
        """).toString());
    assertEquals(1, bad.exit());
    assertTrue(bad.err().startsWith("Error from server (Invalid)") && bad.err().contains("spec.replicas"), bad.toString());
    assertTrue(!bad.err().contains("Exception") && !bad.err().contains("\tat "), "no stack trace: " + bad);
  }

  @Test
  @Order(2)
  void getPrintsTheServersTablesAligned() {
    List<String> lines = ok("get", "deploy").out().lines().toList();
    assertEquals(2, lines.size(), lines.toString());
    assertTrue(lines.get(0).matches("NAME   READY   UP-TO-DATE   AVAILABLE   AGE"), lines.get(0));
    assertTrue(lines.get(1).matches("web    0/3     0            0           \\d+s"), lines.get(1));
    String wide = ok("get", "deployments", "-o", "wide").out();
    assertTrue(wide.contains("CONTAINERS   IMAGES") && wide.contains("busybox:2") && wide.contains("app=web"), wide);
    String all = ok("get", "all").out();
    assertTrue(all.contains("service/web") && all.contains("deployment.apps/web"), all);
    String everywhere = ok("get", "svc", "-A").out();
    assertTrue(everywhere.startsWith("NAMESPACE   NAME") && everywhere.contains(NS + "         web"), everywhere);
    assertTrue(ok("get", "deploy", "--show-labels").out().lines().toList().get(1).endsWith("app=web"));
    assertTrue(ok("get", "deploy", "web", "-o", "yaml").out().contains("kind: Deployment"));
    JsonNode list = Codec.parseTree(ok("get", "svc", "-o", "json").out().getBytes(), false);
    assertEquals("web", list.at("/items/0/metadata/name").asText());
    assertEquals("deployment.apps/web\n", ok("get", "deploy", "-l", "app=web", "-o", "name").out());
    assertEquals("", ok("get", "deploy", "-l", "app=none", "-o", "name").out());
    assertTrue(ok("get", "ns").out().lines().anyMatch(l -> l.matches(NS + "\\s+Active\\s+\\S+")));

    Run missing = tug("get", "deploy", "nosuch");
    assertEquals(1, missing.exit());
    assertEquals("Error from server (NotFound): deployments.apps \"nosuch\" not found\n", missing.err());
    Run unknownKind = tug("get", "gizmos");
    assertEquals(1, unknownKind.exit());
    assertEquals("error: the server doesn't have a resource type \"gizmos\"\n", unknownKind.err());
    Run noServer = TugCliIT.this.tugNoServer("get", "pods");
    assertEquals(1, noServer.exit());
    assertTrue(noServer.err().startsWith("error: cannot reach the Tugboat API at http://127.0.0.1:1"), noServer.toString());
  }

  private Run tugNoServer(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--server=http://127.0.0.1:1");
    int exit = TugCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  @Order(3)
  void getWatchPrintsARowPerChange() throws Exception {
    CompletableFuture<Run> watch = CompletableFuture.supplyAsync(() -> tug("get", "deploy", "web", "-w", "--watch-timeout=8"));
    Await.until("the watch to open", Duration.ofSeconds(30), () -> api.openWatches("Deployment") > 0);
    ok("scale", "deploy", "web", "--replicas", "4");
    Run r = watch.get(30, TimeUnit.SECONDS);
    assertEquals(0, r.exit(), r.toString());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.get(0).startsWith("NAME") && lines.get(1).startsWith("web    0/3"), lines.toString());
    assertTrue(lines.stream().skip(2).anyMatch(l -> l.startsWith("web    0/4")), lines.toString());
  }


  @Test
  @Order(4)
  void scaleDescribeAndHistory() {
    assertEquals("deployment.apps/web scaled\n", ok("scale", "deploy/web", "--replicas=5").out());
    assertEquals(5, deployment().at("/spec/replicas").asInt());
    JsonNode d = deployment();
    String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    assertEquals(201, api.post("/api/v1/namespaces/" + NS + "/events", """
        {"metadata":{"generateName":"web-"},"involvedObject":{"kind":"Deployment","namespace":"%s","name":"web","uid":"%s"},
         "reason":"ScalingReplicaSet","message":"Scaled up replica set web-1 to 5","type":"Normal",
         "source":{"component":"deployment-controller"},"firstTimestamp":"%s","lastTimestamp":"%s","count":1}"""
        .formatted(NS, d.at("/metadata/uid").asText(), now, now)).code());
    String describe = ok("describe", "deploy", "web").out();
    assertTrue(describe.startsWith("Name:               web\nNamespace:          " + NS + "\n"), describe);
    assertTrue(describe.contains("Labels:             app=web") && describe.contains("replicas: 5"), describe);
    assertTrue(describe.lines().anyMatch(l -> l.matches("\\s+Normal\\s+ScalingReplicaSet\\s+\\S+\\s+deployment-controller\\s+Scaled up replica set web-1 to 5")),
        describe);

    String history = ok("history", "deploy", "web").out();
    List<String> lines = history.lines().toList();
    assertTrue(lines.get(0).matches("SEQ\\s+TIME\\s+EVENT\\s+RESOURCEVERSION\\s+GEN\\s+BY\\s+AGENT\\s+CHANGE"), history);
    // who made each change: the admin's certificate, through tug (its User-Agent)
    assertTrue(lines.get(1).matches("1\\s+\\S+Z\\s+Created\\s+\\d+\\s+1\\s+tugboat-admin\\s+tug\\s+created \\(uid "
        + d.at("/metadata/uid").asText() + "\\)"), history);
    // tug scale writes the scale subresource: its change is the admin's too
    assertTrue(history.lines().anyMatch(l -> l.matches("4\\s+\\S+Z\\s+Updated\\s+\\d+\\s+4\\s+tugboat-admin\\s+tug\\s+metadata.generation: 3 -> 4")),
        history);
    assertTrue(history.contains("spec.replicas: 2 -> 3"), history);
    assertTrue(history.contains("spec.template.spec.containers[0].image: busybox:1 -> busybox:2"), history);
    assertTrue(history.contains("spec.replicas: 4 -> 5"), history);
    assertEquals(1, tug("history", "deploy", "nosuch").exit());
  }

  @Test
  @Order(5)
  void rolloutStatusFollowsTheControllerAndFailsOnItsDeadline() throws Exception {
    CompletableFuture<Run> status = CompletableFuture.supplyAsync(() -> tug("rollout", "status", "deploy/web", "--timeout=60"));
    Await.until("rollout status to watch", Duration.ofSeconds(30), () -> api.openWatches("Deployment") > 0);
    long generation = deployment().at("/metadata/generation").asLong();
    writeStatus(generation, 5, 2, 1, 1);
    writeStatus(generation, 5, 5, 5, 5);
    Run r = status.get(30, TimeUnit.SECONDS);
    assertEquals(0, r.exit(), r.toString());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.contains("Waiting for deployment \"web\" rollout to finish: 2 out of 5 new replicas have been updated..."), r.toString());
    assertEquals("deployment \"web\" successfully rolled out", lines.get(lines.size() - 1));

    ok("scale", "deploy", "web", "--replicas=6");
    long next = deployment().at("/metadata/generation").asLong();
    assertEquals(200, api.patch("/apis/apps/v1/namespaces/" + NS + "/deployments/web/status", """
        {"status":{"observedGeneration":%d,"replicas":5,"updatedReplicas":5,"availableReplicas":5,
          "conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded",
                         "message":"ReplicaSet \\"web-1\\" has timed out progressing."}]}}""".formatted(next),
        "application/merge-patch+json").code());
    Run failed = tug("rollout", "status", "deploy/web", "--timeout=30");
    assertEquals(1, failed.exit(), failed.toString());
    assertTrue(failed.out().contains("deployment \"web\" exceeded its progress deadline"), failed.toString());
  }

  private void writeStatus(long generation, int replicas, int updated, int ready, int available) {
    assertEquals(200, api.patch("/apis/apps/v1/namespaces/" + NS + "/deployments/web/status",
        "{\"status\":{\"observedGeneration\":%d,\"replicas\":%d,\"updatedReplicas\":%d,\"readyReplicas\":%d,\"availableReplicas\":%d,\"conditions\":null}}"
            .formatted(generation, replicas, updated, ready, available), "application/merge-patch+json").code());
  }

  @Test
  @Order(6)
  void rolloutHistoryAndUndo() {
    JsonNode d = deployment();
    String uid = d.at("/metadata/uid").asText();
    // Two revisions, as the deployment controller leaves them: one ReplicaSet each, owned by the Deployment.
    for (int revision = 1; revision <= 2; revision++) {
      String image = revision == 1 ? "busybox:1" : "busybox:2";
      assertEquals(201, api.post("/apis/apps/v1/namespaces/" + NS + "/replicasets", """
          {"metadata":{"name":"web-r%d","labels":{"app":"web","pod-template-hash":"r%d"},
            "annotations":{"deployment.kubernetes.io/revision":"%d"},
            "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"web","uid":"%s","controller":true}]},
           "spec":{"replicas":0,"selector":{"matchLabels":{"app":"web","pod-template-hash":"r%d"}},
            "template":{"metadata":{"labels":{"app":"web","pod-template-hash":"r%d"}},
             "spec":{"containers":[{"name":"httpd","image":"%s","ports":[{"containerPort":80}]}]}}}}"""
          .formatted(revision, revision, revision, uid, revision, revision, image)).code());
    }
    List<String> history = ok("rollout", "history", "deploy/web").out().lines().toList();
    assertEquals("deployment.apps/web", history.get(0));
    assertTrue(history.get(1).matches("REVISION\\s+CHANGE-CAUSE"), history.toString());
    assertTrue(history.get(2).matches("1\\s+<none>") && history.get(3).matches("2\\s+<none>"), history.toString());

    assertEquals("deployment.apps/web rolled back\n", ok("rollout", "undo", "deploy/web").out());
    assertEquals("busybox:1", deployment().at("/spec/template/spec/containers/0/image").asText());
    assertTrue(deployment().at("/spec/template/metadata/labels").path("pod-template-hash").isMissingNode());
    Run none = tug("rollout", "undo", "deploy/web", "--to-revision=7");
    assertEquals(1, none.exit());
    assertEquals("error: unable to find specified revision 7 in history\n", none.err());
  }

  @Test
  @Order(7)
  void clusterShowsMembersSingletonsAndShards() {
    String out = ok("cluster").out();
    List<String> lines = out.lines().toList();
    assertTrue(lines.get(0).startsWith("MEMBER"), out);
    assertTrue(lines.get(1).matches("pekko://tugboat@\\S+\\s+Up\\s+control-plane\\s+yes\\s+\\*\\s+\\*"), out);
    assertTrue(lines.stream().anyMatch(l -> l.matches("namespace-controller\\s+pekko://tugboat@\\S+")), out);
    // Entities live for every name asked about (also the missing ones tried above), so at least one.
    assertTrue(lines.stream().anyMatch(l -> l.matches("Deployment\\s+[1-9]\\d*\\s+[1-9]\\d*\\s+pekko://tugboat@\\S+: \\d+/\\d+")), out);
  }

  @Test
  @Order(8)
  void deleteWaitsUntilGone() {
    assertEquals("deployment.apps \"web\" deleted\n", ok("delete", "deploy", "web").out());
    assertEquals(404, api.get("/apis/apps/v1/namespaces/" + NS + "/deployments/web").code());
    Run again = tug("delete", "deploy", "web");
    assertEquals(1, again.exit());
    assertEquals("Error from server (NotFound): deployments.apps \"web\" not found\n", again.err());
    // From the manifest: the Service goes; the Deployment, gone already, is reported and fails the command.
    Run fromFile = tug("delete", "-f", dir.resolve("web.yaml").toString());
    assertEquals(1, fromFile.exit());
    assertEquals("service \"web\" deleted\n", fromFile.out());
    assertEquals("Error from server (NotFound): deployments.apps \"web\" not found\n", fromFile.err());
    assertEquals(404, api.get("/api/v1/namespaces/" + NS + "/services/web").code());
  }

  /** The verbs kubectl users reach for besides apply: create, patch, label, set image, rollout restart, edit. */
  @Test
  @Order(9)
  void createPatchLabelSetImageRestartAndEdit() throws Exception {
    Path manifest = Files.writeString(dir.resolve("verbs.yaml"), MANIFESTS.formatted(1, "busybox:1")
        .replace("name: web", "name: verbs").replace("app: web", "app: verbs"));
    assertEquals("deployment.apps/verbs created\nservice/verbs created\n", ok("create", "-f", manifest.toString()).out());
    Run again = tug("create", "-f", manifest.toString());
    assertEquals(1, again.exit());
    assertTrue(again.err().contains("(AlreadyExists)"), again.toString());
    assertEquals("namespace/tug-verbs created\n", ok("create", "namespace", "tug-verbs").out());
    assertEquals(200, api.get("/api/v1/namespaces/tug-verbs").code());

    String path = "/apis/apps/v1/namespaces/" + NS + "/deployments/verbs";
    assertEquals("deployment.apps/verbs patched\n", ok("patch", "deploy", "verbs", "-p", "{\"spec\":{\"replicas\":3}}").out());
    assertEquals(3, api.get(path).json().at("/spec/replicas").asInt());
    assertEquals("deployment.apps/verbs patched (no change)\n",
        ok("patch", "deploy/verbs", "--type", "merge", "-p", "spec: {replicas: 3}").out());
    ok("patch", "deploy", "verbs", "--type", "json", "-p", "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":2}]");
    assertEquals(2, api.get(path).json().at("/spec/replicas").asInt());

    assertEquals("deployment.apps/verbs labeled\n", ok("label", "deploy", "verbs", "tier=front", "team=a").out());
    Run refused = tug("label", "deploy", "verbs", "tier=back");
    assertEquals(1, refused.exit());
    assertTrue(refused.err().contains("'tier' already has a value (front), and --overwrite is false"), refused.toString());
    ok("label", "deploy/verbs", "tier=back", "--overwrite");
    assertEquals("deployment.apps/verbs unlabeled\n", ok("label", "deploy", "verbs", "team-").out());
    JsonNode labels = api.get(path).json().at("/metadata/labels");
    assertEquals("back", labels.path("tier").asText());
    assertTrue(labels.path("team").isMissingNode(), labels.toString());

    assertEquals("deployment.apps/verbs image updated\n", ok("set", "image", "deploy/verbs", "httpd=busybox:2").out());
    assertEquals("busybox:2", api.get(path).json().at("/spec/template/spec/containers/0/image").asText());
    Run noSuch = tug("set", "image", "deploy/verbs", "nosuch=x");
    assertEquals(1, noSuch.exit());
    assertTrue(noSuch.err().contains("unable to find container named \"nosuch\""), noSuch.toString());

    assertEquals("deployment.apps/verbs restarted\n", ok("rollout", "restart", "deploy/verbs").out());
    assertTrue(api.get(path).json().at("/spec/template/metadata/annotations").has("kubectl.kubernetes.io/restartedAt"));

    // the editor: a shell command given the file, here one that changes the replicas in place
    assertEquals("deployment.apps/verbs edited\n",
        ok("edit", "deploy", "verbs", "--editor", "sed -i 's/replicas: 2/replicas: 4/'").out());
    assertEquals(4, api.get(path).json().at("/spec/replicas").asInt());
    assertEquals("Edit cancelled, no changes made.\n", ok("edit", "deploy", "verbs", "--editor", "true").out());
    ok("delete", "-f", manifest.toString());
  }

  /** -o jsonpath, custom-columns and indented json, and the server's warnings on stderr. */
  @Test
  @Order(10)
  void outputFormatsAndWarnings() throws Exception {
    Path manifest = Files.writeString(dir.resolve("formats.yaml"), MANIFESTS.formatted(1, "busybox:1")
        .replace("name: web", "name: formats").replace("app: web", "app: formats")
        .replace("ports: [{containerPort: 80}]", "ports: [{containerPort: 80}], securityContext: {privileged: true}"));
    Run created = ok("create", "-f", manifest.toString());
    assertTrue(created.err().contains("Warning: would violate PodSecurity"), "admission's warning shown: " + created);
    assertEquals("formats busybox:1", ok("get", "deploy", "formats",
        "-o", "jsonpath={.metadata.name} {.spec.template.spec.containers[*].image}").out());
    assertEquals("formats\n", ok("get", "deploy", "-o", "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}",
        "-l", "app=formats").out());
    assertEquals("NAME      REPLICAS\nformats   1\n", ok("get", "deploy", "-l", "app=formats",
        "-o", "custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas").out());
    String json = ok("get", "svc", "formats", "-o", "json").out();
    assertTrue(json.startsWith("{\n    \"apiVersion\": \"v1\",\n"), json);
    Run bad = tug("get", "deploy", "-o", "jsonpath={.items[*]");
    assertEquals(1, bad.exit());
    assertTrue(bad.err().contains("unclosed"), bad.toString());
    ok("delete", "-f", manifest.toString());
  }
}
