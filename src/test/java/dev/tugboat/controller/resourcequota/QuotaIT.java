package dev.tugboat.controller.resourcequota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.compat.Kubectl;
import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.DockerRuntime;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.Holds;
import dev.tugboat.testing.NodeContainers;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ResourceQuota and LimitRange on one member (control plane and worker), real Cassandra, real
 * Docker, kubectl 1.33 as a process: a Deployment of 4 in a namespace whose quota fits 2 pods runs
 * exactly 2 containers, its ReplicaSet's ReplicaFailure condition and FailedCreate Event say why;
 * raising the quota lets the other two come and clears the condition; LimitRange defaults are on the
 * created pods; kubectl's {@code get quota} and {@code describe quota}; a LimitRange's max and a
 * quota's missing limits refuse a pod with a 403 in Kubernetes' words; 12 creates racing for one
 * ConfigMap's room get one 201; bad quotas and ranges are 422s naming the field.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuotaIT {
  private static final String NS = "quota";
  private final String node = "quota-" + ProcessHandle.current().pid();
  private Tugboat tugboat;
  private Api api;
  private Path work;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) throws Exception {
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    config.put("tugboat.node-name", node);
    config.put("tugboat.proxy.ingress.enabled", false); // not under test: its ports stay free for the tests that are
    tugboat = TestTugboat.start(cassandra, "quota_" + ProcessHandle.current().pid(), config);
    api = Api.of(tugboat);
    work = Files.createDirectories(SharedCassandra.itDir().resolve("quota-" + ProcessHandle.current().pid()));
    Await.until("node " + node + " registered", Duration.ofSeconds(60), () -> api.get("/api/v1/nodes/" + node).code() == 200);
  }

  @AfterAll
  void stop() {
    if (tugboat != null) tugboat.close();
    NodeContainers.removeAll(node);
  }

  private static String base(String namespace) {
    return "/api/v1/namespaces/" + namespace;
  }

  private void namespace(String name) {
    assertEquals(201, api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + name + "\"}}").code());
  }

  /** Waits until the quota controller has counted the quota (admission refuses until then, as Kubernetes). */
  private void counted(String namespace, String quota) {
    Await.until("quota " + quota + " counted", Duration.ofSeconds(20), () ->
        api.get(base(namespace) + "/resourcequotas/" + quota).json().at("/status/used").size() > 0);
  }

  private List<JsonNode> pods() {
    return StreamSupport.stream(api.get(base(NS) + "/pods?labelSelector=app%3Dweb").json().path("items").spliterator(), false)
        .toList();
  }

  private long runningContainers(DockerRuntime docker) {
    return docker.listContainers(Map.of(ContainerRuntime.POD_NAMESPACE, NS, ContainerRuntime.ROLE, "container")).stream()
        .filter(c -> c.state() == ContainerRuntime.ContainerInfo.State.RUNNING).count();
  }

  private JsonNode replicaFailure() {
    JsonNode sets = api.get("/apis/apps/v1/namespaces/" + NS + "/replicasets").json().path("items");
    for (JsonNode c : sets.path(0).path("status").path("conditions")) {
      if (c.path("type").asText().equals("ReplicaFailure")) return c;
    }
    return null;
  }

  @Test
  void aDeploymentGetsWhatTheQuotaAllowsAndTheRestOnceItIsRaised() throws Exception {
    namespace(NS);
    assertEquals(201, api.post(base(NS) + "/limitranges", """
        {"metadata": {"name": "defaults"}, "spec": {"limits": [{"type": "Container",
          "max": {"cpu": "1"}, "default": {"cpu": "100m", "memory": "64Mi"},
          "defaultRequest": {"cpu": "50m", "memory": "32Mi"}}]}}""").code());
    assertEquals(201, api.post(base(NS) + "/resourcequotas", """
        {"metadata": {"name": "pods"}, "spec": {"hard": {"pods": "2", "requests.cpu": "1", "limits.memory": "1Gi"}}}""")
        .code());
    counted(NS, "pods");
    assertEquals(201, api.post("/apis/apps/v1/namespaces/" + NS + "/deployments", """
        {"metadata": {"name": "web"}, "spec": {"replicas": 4, "selector": {"matchLabels": {"app": "web"}},
          "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"terminationGracePeriodSeconds": 1,
            "containers": [{"name": "app", "image": "tugboat/busybox:1.0", "command": ["sleep", "3600"]}]}}}}""").code());

    JsonNode failure = Await.until("the ReplicaSet's ReplicaFailure", Duration.ofSeconds(30), this::replicaFailure);
    assertEquals("True", failure.path("status").asText());
    assertEquals("FailedCreate", failure.path("reason").asText());
    assertTrue(Pattern.matches("pods \"web-[a-z0-9]+-[a-z0-9]{5}\" is forbidden: exceeded quota: pods, requested: pods=1, "
        + "used: pods=2, limited: pods=2", failure.path("message").asText()), failure.toString());
    try (DockerRuntime docker = new DockerRuntime("unix:///var/run/docker.sock", "tugboat/busybox:1.0")) {
      Await.until("2 containers running", Duration.ofSeconds(30), () -> runningContainers(docker) == 2);
      Holds.during("only the 2 pods that fit", Duration.ofSeconds(2), () -> pods().size() == 2 && runningContainers(docker) == 2
          ? null : pods().size() + " pods, " + runningContainers(docker) + " containers");

      // LimitRange's defaults, and what they say they set
      JsonNode pod = pods().get(0);
      assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
          "{\"limits\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"},\"requests\":{\"cpu\":\"50m\",\"memory\":\"32Mi\"}}"),
          pod.at("/spec/containers/0/resources"));
      assertEquals("LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app",
          pod.at("/metadata/annotations").path("kubernetes.io/limit-ranger").asText());
      JsonNode events = api.get(base(NS) + "/events?fieldSelector=reason%3DFailedCreate").json().path("items");
      assertTrue(events.size() > 0 && events.path(0).path("message").asText().startsWith("Error creating: pods \"web-")
          && events.path(0).path("message").asText().contains("exceeded quota: pods"), events.toString());

      // the same refusal over HTTP: 403 with Kubernetes' words
      Api.Reply extra = api.post(base(NS) + "/pods", """
          {"metadata": {"name": "extra"}, "spec": {"containers": [{"name": "app", "image": "tugboat/busybox:1.0"}]}}""");
      assertEquals(403, extra.code(), extra.body());
      assertEquals("Forbidden", extra.json().path("reason").asText());
      assertEquals("pods \"extra\" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2",
          extra.json().path("message").asText());
      Api.Reply greedy = api.post(base(NS) + "/pods", """
          {"metadata": {"name": "greedy"}, "spec": {"containers": [{"name": "app", "image": "tugboat/busybox:1.0",
            "resources": {"limits": {"cpu": "2"}}}]}}""");
      assertEquals(403, greedy.code(), greedy.body());
      assertEquals("pods \"greedy\" is forbidden: maximum cpu usage per Container is 1, but limit is 2",
          greedy.json().path("message").asText());

      kubectlShowsTheQuota();

      // raised: the ReplicaSet (woken by the quota's change) creates the other two; the condition goes
      assertEquals(200, api.patch(base(NS) + "/resourcequotas/pods", "{\"spec\":{\"hard\":{\"pods\":\"5\"}}}",
          "application/merge-patch+json").code());
      Await.until("4 containers running", Duration.ofSeconds(30), () -> runningContainers(docker) == 4);
      Await.until("ReplicaFailure cleared", Duration.ofSeconds(20), () -> replicaFailure() == null);
      Await.until("the quota counts 4 pods", Duration.ofSeconds(20), () -> {
        JsonNode used = api.get(base(NS) + "/resourcequotas/pods").json().at("/status/used");
        return used.path("pods").asText().equals("4") && used.path("requests.cpu").asText().equals("200m")
            && used.path("limits.memory").asText().equals("256Mi");
      });
      assertEquals(4, pods().size());
    }
  }

  private void kubectlShowsTheQuota() {
    Kubectl k = Kubectl.v133(work).orElse(null);
    Assumptions.assumeTrue(k != null, "this machine has no kubectl 1.33");
    k = k.configure(tugboat, NS);
    Kubectl.Result get = k.run("get", "quota");
    assertEquals(0, get.exit(), get.toString());
    List<String> lines = get.out().lines().toList();
    assertTrue(lines.get(0).matches("NAME\\s+AGE\\s+REQUEST\\s+LIMIT\\s*"), get.out());
    assertTrue(lines.get(1).matches("pods\\s+\\d+s\\s+pods: 2/2, requests.cpu: 100m/1\\s+limits.memory: 128Mi/1Gi\\s*"),
        get.out());
    Kubectl.Result describe = k.run("describe", "quota", "pods");
    assertEquals(0, describe.exit(), describe.toString());
    assertTrue(describe.out().contains("Name:") && describe.out().lines().anyMatch(l -> l.matches("Resource\\s+Used\\s+Hard\\s*")),
        describe.out());
    assertTrue(describe.out().lines().anyMatch(l -> l.matches("pods\\s+2\\s+2\\s*")), describe.out());
    assertTrue(describe.out().lines().anyMatch(l -> l.matches("requests.cpu\\s+100m\\s+1\\s*")), describe.out());
    // kubectl 1.33's generator sends the quota in protobuf
    Kubectl.Result created = k.run("create", "quota", "objects", "--hard=count/secrets=3,services=1");
    assertEquals("resourcequota/objects created\n", created.out(), created.toString());
    assertEquals("3", api.get(base(NS) + "/resourcequotas/objects").json().at("/spec/hard/count~1secrets").asText());
    Kubectl.Result refused = k.run("create", "quota", "typo", "--hard=cpus=1");
    assertTrue(refused.exit() != 0 && refused.err().contains("spec.hard[cpus]: Invalid value: \"cpus\": must be a standard "
        + "resource for quota"), refused.toString());
    Kubectl.Result limits = k.run("get", "limits");
    assertTrue(limits.exit() == 0 && limits.out().lines().anyMatch(l -> l.matches("defaults\\s+\\d{4}-\\d\\d-\\d\\dT\\S+Z\\s*")),
        limits.toString());
  }

  @Test
  void createsRacingForTheLastRoomGetOneAndPodsMustSayTheirLimits() {
    String ns = "quota-race";
    namespace(ns);
    assertEquals(201, api.post(base(ns) + "/resourcequotas", """
        {"metadata": {"name": "small"}, "spec": {"hard": {"configmaps": "1", "limits.memory": "1Gi"}}}""").code());
    counted(ns, "small");
    List<CompletableFuture<Integer>> creates = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String body = "{\"metadata\":{\"name\":\"c" + i + "\"},\"data\":{\"k\":\"v\"}}";
      creates.add(CompletableFuture.supplyAsync(() -> api.post(base(ns) + "/configmaps", body).code()));
    }
    List<Integer> codes = creates.stream().map(CompletableFuture::join).toList();
    assertEquals(1, codes.stream().filter(c -> c == 201).count(), codes.toString());
    assertEquals(11, codes.stream().filter(c -> c == 403).count(), codes.toString());
    assertEquals(1, api.get(base(ns) + "/configmaps").json().path("items").size());
    assertEquals("1", api.get(base(ns) + "/resourcequotas/small").json().at("/status/used/configmaps").asText());

    Api.Reply bare = api.post(base(ns) + "/pods", """
        {"metadata": {"name": "bare"}, "spec": {"containers": [{"name": "app", "image": "tugboat/busybox:1.0"}]}}""");
    assertEquals(403, bare.code(), bare.body());
    assertEquals("pods \"bare\" is forbidden: failed quota: small: must specify limits.memory for: app",
        bare.json().path("message").asText());
  }

  @Test
  void badQuotasAndRangesAreRefusedNamingTheField() {
    Api.Reply unknown = api.post(base("default") + "/resourcequotas", """
        {"metadata": {"name": "bad"}, "spec": {"hard": {"cpus": "1", "pods": "many"}}}""");
    assertEquals(422, unknown.code(), unknown.body());
    String message = unknown.json().path("message").asText();
    assertTrue(message.contains("spec.hard[cpus]: Invalid value: \"cpus\": must be a standard resource for quota")
        && message.contains("spec.hard[pods]: Invalid value: \"many\""), message);
    Api.Reply scope = api.post(base("default") + "/resourcequotas", """
        {"metadata": {"name": "bad"}, "spec": {"hard": {"pods": "1"}, "scopes": ["Always"]}}""");
    assertEquals(422, scope.code(), scope.body());
    assertTrue(scope.json().path("message").asText().contains("spec.scopes[0]"), scope.body());
    Api.Reply range = api.post(base("default") + "/limitranges", """
        {"metadata": {"name": "bad"}, "spec": {"limits": [{"type": "Container", "min": {"cpu": "2"}, "max": {"cpu": "1"}}]}}""");
    assertEquals(422, range.code(), range.body());
    assertTrue(range.json().path("message").asText().contains("spec.limits[0].min[cpu]"), range.body());
    assertEquals(404, api.get(base("default") + "/resourcequotas/bad").code());
  }
}
