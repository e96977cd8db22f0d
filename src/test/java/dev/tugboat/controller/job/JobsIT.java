package dev.tugboat.controller.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.runtime.ContainerRuntime.ContainerInfo;
import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.DockerRuntime;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.NodeContainers;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Jobs on the real Docker engine, resting on real container exits: containers exit 0 or non-zero
 * on purpose, and every check is on what the API reports, what the containers printed, or what
 * Docker holds.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsIT {
  private static final String JOBS = "/apis/batch/v1/namespaces/default/jobs";
  private static final String PODS = "/api/v1/namespaces/default/pods";
  private static final String IMAGE = "tugboat/busybox:1.0";
  private final String node = "jobs-it-" + ProcessHandle.current().pid();
  private Tugboat tugboat;
  private Api api;
  private DockerRuntime docker;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) {
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    config.put("tugboat.node-name", node);
    // Kubernetes' 10 s would make the failure tests slow; the doubling is what they check.
    config.put("tugboat.controllers.job-backoff-base", "2s");
    tugboat = TestTugboat.start(cassandra, "jobs_it_" + ProcessHandle.current().pid(), config);
    api = Api.of(tugboat);
    docker = new DockerRuntime("unix:///var/run/docker.sock", IMAGE);
    Await.until("node " + node + " registered", Duration.ofSeconds(60), () -> api.get("/api/v1/nodes/" + node).code() == 200);
  }

  @AfterAll
  void stop() throws Exception {
    if (tugboat != null) tugboat.close();
    NodeContainers.removeAll(node);
    if (docker != null) docker.close();
  }

  private static String job(String name, String spec, String restartPolicy, String script) {
    return """
        {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"%s"},
         "spec":{%s"template":{"spec":{"restartPolicy":"%s","terminationGracePeriodSeconds":1,
           "containers":[{"name":"work","image":"%s","command":["sh","-c",%s]}]}}}}
        """.formatted(name, spec.isEmpty() ? "" : spec + ",", restartPolicy, IMAGE, quote(script));
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private void create(String json) {
    Api.Reply r = api.post(JOBS, json);
    assertEquals(201, r.code(), r.body());
  }

  private JsonNode awaitCondition(String name, String type, Duration timeout) {
    return Await.until("job " + name + " " + type, timeout, () -> {
      Api.Reply r = api.get(JOBS + "/" + name);
      if (r.code() != 200) return null;
      for (JsonNode c : r.json().path("status").path("conditions")) {
        if (type.equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) return r.json();
      }
      return null;
    });
  }

  private List<JsonNode> pods(String job) {
    List<JsonNode> pods = new ArrayList<>();
    api.get(PODS + "?labelSelector=batch.kubernetes.io/job-name%3D" + job).json().path("items").forEach(pods::add);
    return pods;
  }

  private static long phase(List<JsonNode> pods, String phase) {
    return pods.stream().filter(p -> phase.equals(p.path("status").path("phase").asText())).count();
  }

  private String log(JsonNode pod) {
    Api.Reply r = api.get(PODS + "/" + pod.path("metadata").path("name").asText() + "/log");
    return r.code() == 200 ? r.body().trim() : "";
  }

  private List<ContainerInfo> containers(JsonNode pod) {
    return docker.listContainers(Map.of(ContainerRuntime.POD_UID, pod.path("metadata").path("uid").asText())).stream()
        .filter(c -> "container".equals(c.labels().get(ContainerRuntime.ROLE))).toList();
  }

  private void cleanUp(String name) {
    api.delete(JOBS + "/" + name + "?propagationPolicy=Background");
  }

  @Test
  void completionsFiveParallelismTwoCompleteWithExactlyFiveSuccesses() {
    String name = "five";
    AtomicInteger mostActive = new AtomicInteger();
    create(job(name, "\"completions\":5,\"parallelism\":2", "Never", "sleep 1; echo done"));
    JsonNode done = Await.until("five successes", Duration.ofSeconds(120), () -> {
      List<JsonNode> pods = pods(name);
      long active = pods.stream().filter(p -> List.of("Pending", "Running").contains(p.path("status").path("phase").asText())
          && !p.path("metadata").has("deletionTimestamp")).count();
      mostActive.accumulateAndGet((int) active, Math::max);
      JsonNode job = api.get(JOBS + "/" + name).json();
      return "Complete".equals(job.at("/status/conditions/0/type").asText()) ? job : null;
    });
    assertTrue(mostActive.get() <= 2, "at most parallelism pods at once, saw " + mostActive.get());
    assertEquals(5, done.path("status").path("succeeded").asInt(), done.toString());
    assertEquals(0, done.path("status").path("failed").asInt());
    assertEquals(0, done.path("status").path("active").asInt());
    assertTrue(done.path("status").path("uncountedTerminatedPods").isEmpty(), done.toString());
    assertTrue(done.path("status").hasNonNull("completionTime"));
    assertEquals("CompletionsReached", done.at("/status/conditions/0/reason").asText());
    Await.until("every finished pod released", Duration.ofSeconds(30),
        () -> pods(name).stream().noneMatch(p -> p.path("metadata").path("finalizers").size() > 0));
    List<JsonNode> pods = pods(name);
    assertEquals(5, pods.size(), "no pod more than needed");
    assertEquals(5, phase(pods, "Succeeded"));
    for (JsonNode pod : pods) {
      assertEquals("done", log(pod));
      List<ContainerInfo> exited = containers(pod);
      assertEquals(1, exited.size(), pod.toString());
      assertEquals(0, exited.get(0).exitCode());
    }
    cleanUp(name);
  }

  @Test
  void aJobThatAlwaysFailsStopsAtItsBackoffLimitBackingOffBetweenPods() {
    String name = "always-fails";
    create(job(name, "\"backoffLimit\":2", "Never", "echo failing; exit 1"));
    JsonNode failed = awaitCondition(name, "Failed", Duration.ofSeconds(120));
    JsonNode condition = failed.at("/status/conditions/0");
    assertEquals("BackoffLimitExceeded", condition.path("reason").asText(), failed.toString());
    assertEquals("Job has reached the specified backoff limit", condition.path("message").asText());
    assertEquals(3, failed.path("status").path("failed").asInt(), failed.toString());
    List<JsonNode> pods = pods(name);
    assertEquals(3, pods.size());
    assertEquals(3, phase(pods, "Failed"));
    // Each replacement waited for the back-off after the failure before it (2 s, then 4 s).
    List<Instant> created = pods.stream().map(p -> Instant.parse(p.at("/metadata/creationTimestamp").asText())).sorted().toList();
    assertTrue(Duration.between(created.get(0), created.get(1)).getSeconds() >= 2, created.toString());
    assertTrue(Duration.between(created.get(1), created.get(2)).getSeconds() >= 4, created.toString());
    for (JsonNode pod : pods) assertEquals(1, containers(pod).get(0).exitCode());
    JsonNode events = api.get("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D" + name).json();
    assertTrue(events.toString().contains("BackoffLimitExceeded"), events.toString());
    cleanUp(name);
  }

  @Test
  void anIndexedJobRunsEachIndexOnce() {
    String name = "indexed";
    create(job(name, "\"completions\":3,\"parallelism\":3,\"completionMode\":\"Indexed\"", "Never",
        "echo index=$JOB_COMPLETION_INDEX"));
    JsonNode done = awaitCondition(name, "Complete", Duration.ofSeconds(120));
    assertEquals("0-2", done.path("status").path("completedIndexes").asText());
    List<JsonNode> pods = pods(name);
    assertEquals(3, pods.size());
    TreeSet<String> seen = new TreeSet<>();
    for (JsonNode pod : pods) {
      String index = pod.at("/metadata/annotations").path("batch.kubernetes.io/job-completion-index").asText();
      assertEquals("index=" + index, log(pod));
      assertTrue(pod.at("/metadata/name").asText().startsWith(name + "-" + index + "-"));
      seen.add(index);
    }
    assertEquals(new TreeSet<>(List.of("0", "1", "2")), seen);
    cleanUp(name);
  }

  @Test
  void onFailureRestartsTheContainerInPlaceUntilItSucceeds() {
    String name = "on-failure";
    String spec = job(name, "", "OnFailure", "if [ -f /data/ran ]; then echo second; exit 0; fi; touch /data/ran; exit 1")
        .replace("\"command\"", "\"volumeMounts\":[{\"name\":\"data\",\"mountPath\":\"/data\"}],\"command\"")
        .replace("\"containers\"", "\"volumes\":[{\"name\":\"data\",\"emptyDir\":{}}],\"containers\"");
    create(spec);
    JsonNode done = awaitCondition(name, "Complete", Duration.ofSeconds(120));
    assertEquals(1, done.path("status").path("succeeded").asInt());
    assertEquals(0, done.path("status").path("failed").asInt());
    List<JsonNode> pods = pods(name);
    assertEquals(1, pods.size(), "the same pod, restarted");
    assertEquals("Succeeded", pods.get(0).at("/status/phase").asText());
    assertEquals(1, pods.get(0).at("/status/containerStatuses/0/restartCount").asInt(), pods.get(0).toString());
    cleanUp(name);
  }

  @Test
  void aPodFailurePolicyFailsTheJobOnItsExitCode() {
    String name = "policy";
    create(job(name, """
        "backoffLimit":6,"podFailurePolicy":{"rules":[{"action":"FailJob","onExitCodes":{"operator":"In","values":[3]}}]}""",
        "Never", "exit 3"));
    JsonNode failed = awaitCondition(name, "Failed", Duration.ofSeconds(60));
    assertEquals("PodFailurePolicy", failed.at("/status/conditions/0/reason").asText());
    assertTrue(failed.at("/status/conditions/0/message").asText().contains("failed with exit code 3"), failed.toString());
    assertEquals(1, pods(name).size(), "no retry after FailJob");
    cleanUp(name);
  }

  @Test
  void theActiveDeadlineStopsARunningJobAndItsContainers() {
    String name = "deadline";
    create(job(name, "\"activeDeadlineSeconds\":3", "Never", "sleep 600"));
    JsonNode pod = Await.until("the pod running", Duration.ofSeconds(60), () -> {
      List<JsonNode> pods = pods(name);
      return pods.size() == 1 && "Running".equals(pods.get(0).at("/status/phase").asText()) ? pods.get(0) : null;
    });
    JsonNode failed = awaitCondition(name, "Failed", Duration.ofSeconds(30));
    assertEquals("DeadlineExceeded", failed.at("/status/conditions/0/reason").asText());
    Await.until("the pod's container stopped", Duration.ofSeconds(30),
        () -> containers(pod).stream().noneMatch(c -> c.state() == ContainerInfo.State.RUNNING));
    cleanUp(name);
  }

  @Test
  void aSuspendedJobStartsNothingUntilResumed() {
    String name = "suspended";
    create(job(name, "\"suspend\":true", "Never", "echo resumed"));
    awaitCondition(name, "Suspended", Duration.ofSeconds(30));
    assertTrue(pods(name).isEmpty());
    Api.Reply r = api.patch(JOBS + "/" + name, "{\"spec\":{\"suspend\":false}}", "application/merge-patch+json");
    assertEquals(200, r.code(), r.body());
    JsonNode done = awaitCondition(name, "Complete", Duration.ofSeconds(60));
    assertTrue(done.path("status").path("conditions").toString().contains("JobResumed"), done.toString());
    cleanUp(name);
  }

  @Test
  void aFinishedJobGoesAfterItsTtlWithItsPods() {
    String name = "ttl";
    create(job(name, "\"ttlSecondsAfterFinished\":2", "Never", "true"));
    awaitCondition(name, "Complete", Duration.ofSeconds(60));
    Await.until("the job deleted after its TTL", Duration.ofSeconds(30), () -> api.get(JOBS + "/" + name).code() == 404);
    Await.until("its pod deleted after it", Duration.ofSeconds(30), () -> pods(name).isEmpty());
  }

  @Test
  void deletingCascadesOrOrphansAsAsked() {
    create(job("cascade", "", "Never", "sleep 600"));
    create(job("orphan", "", "Never", "sleep 600"));
    for (String name : List.of("cascade", "orphan")) {
      Await.until(name + " running", Duration.ofSeconds(60), () -> phase(pods(name), "Running") == 1);
    }
    assertEquals(200, api.delete(JOBS + "/cascade?propagationPolicy=Background").code());
    Await.until("the cascaded job's pod gone", Duration.ofSeconds(60), () -> pods("cascade").isEmpty());
    // No policy: Kubernetes keeps a Job's pods, free of it and of its finalizer.
    Api.Reply deleted = api.delete(JOBS + "/orphan");
    assertEquals(200, deleted.code());
    assertEquals("orphan", deleted.json().at("/metadata/finalizers/0").asText(), deleted.body());
    Await.until("the orphaned job gone", Duration.ofSeconds(30), () -> api.get(JOBS + "/orphan").code() == 404);
    JsonNode orphan = Await.until("its pod freed", Duration.ofSeconds(30), () -> {
      List<JsonNode> pods = pods("orphan");
      return pods.size() == 1 && pods.get(0).at("/metadata/ownerReferences").isEmpty()
          && pods.get(0).at("/metadata/finalizers").isEmpty() ? pods.get(0) : null;
    });
    assertEquals("Running", orphan.at("/status/phase").asText());
    assertEquals(200, api.delete(PODS + "/" + orphan.at("/metadata/name").asText()).code());
  }

  @Test
  void badJobsAreRefusedNamingTheField() {
    Api.Reply r = api.post(JOBS, job("bad", "\"completions\":-1,\"parallelism\":1000000", "Never", "true"));
    assertEquals(422, r.code(), r.body());
    assertTrue(r.body().contains("spec.completions") && r.body().contains("spec.parallelism"), r.body());
    Api.Reply always = api.post(JOBS, job("bad", "", "Always", "true"));
    assertEquals(422, always.code());
    assertTrue(always.body().contains("spec.template.spec.restartPolicy"), always.body());
    create(job("immutable", "\"suspend\":true", "Never", "true"));
    Api.Reply changed = api.patch(JOBS + "/immutable",
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"work\",\"image\":\"busybox:2\"}]}}}}",
        "application/strategic-merge-patch+json");
    assertEquals(422, changed.code(), changed.body());
    assertTrue(changed.body().contains("spec.template") && changed.body().contains("field is immutable"), changed.body());
    assertFalse(api.get(JOBS + "/bad").code() == 200);
    cleanUp("immutable");
  }
}
