package dev.tugboat.controller.cronjob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CronJobs on the real clock and real containers: three CronJobs every minute, watched over two
 * schedule times. One runs a quick Job each time, on time; one whose Job outlasts the minute
 * forbids the second run; one replaces its running Job with the new one.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// It waits for two minutes of the real clock to turn: beside the other classes, not after them
// (src/test/resources/junit-platform.properties).
@Execution(ExecutionMode.CONCURRENT)
class CronJobsIT {
  private static final String CRONJOBS = "/apis/batch/v1/namespaces/default/cronjobs";
  private static final String JOBS = "/apis/batch/v1/namespaces/default/jobs";
  private final String node = "cronjobs-it-" + ProcessHandle.current().pid();
  private Tugboat tugboat;
  private Api api;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) {
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    config.put("tugboat.node-name", node);
    config.putAll(TestTugboat.BESIDE_OTHERS); // its worker runs beside other classes' members
    tugboat = TestTugboat.start(cassandra, "cronjobs_it_" + ProcessHandle.current().pid(), config);
    api = Api.of(tugboat);
    Await.until("node " + node + " registered", Duration.ofSeconds(60), () -> api.get("/api/v1/nodes/" + node).code() == 200);
  }

  @AfterAll
  void stop() {
    if (tugboat != null) tugboat.close();
    NodeContainers.removeAll(node);
  }

  private void create(String name, String policy, String script) {
    Api.Reply r = api.post(CRONJOBS, """
        {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"%s"},
         "spec":{"schedule":"* * * * *","concurrencyPolicy":"%s","jobTemplate":{"spec":{"template":{"spec":{
           "restartPolicy":"Never","terminationGracePeriodSeconds":1,
           "containers":[{"name":"work","image":"tugboat/busybox:1.0","command":["sh","-c","%s"]}]}}}}}}
        """.formatted(name, policy, script));
    assertEquals(201, r.code(), r.body());
  }

  private List<JsonNode> jobs(String cronJob) {
    List<JsonNode> jobs = new ArrayList<>();
    for (JsonNode job : api.get(JOBS).json().path("items")) {
      if (job.at("/metadata/ownerReferences/0/name").asText().equals(cronJob)) jobs.add(job);
    }
    jobs.sort((a, b) -> a.at("/metadata/name").asText().compareTo(b.at("/metadata/name").asText()));
    return jobs;
  }

  private static Instant scheduled(JsonNode job) {
    return Instant.parse(job.at("/metadata/annotations").path("batch.kubernetes.io/cronjob-scheduled-timestamp").asText());
  }

  @Test
  void everyMinuteOnTimeForbiddingOrReplacingWhatStillRuns() {
    create("allow", "Allow", "echo tick");
    create("forbid", "Forbid", "sleep 100");
    create("replace", "Replace", "sleep 100");
    // Two schedule times: at most two minutes and a little.
    List<JsonNode> ticks = Await.until("two schedule times of allow", Duration.ofSeconds(150), () -> {
      List<JsonNode> jobs = jobs("allow");
      return jobs.size() >= 2 ? jobs : null;
    });
    for (JsonNode job : ticks) {
      Instant at = scheduled(job);
      assertEquals(0, at.getEpochSecond() % 60, "a minute's start: " + at);
      assertEquals("allow-" + at.getEpochSecond() / 60, job.at("/metadata/name").asText());
      Instant created = Instant.parse(job.at("/metadata/creationTimestamp").asText());
      long late = Duration.between(at, created).getSeconds();
      assertTrue(late >= 0 && late <= 10, "made " + late + " s after its time");
    }
    assertEquals(60, Duration.between(scheduled(ticks.get(0)), scheduled(ticks.get(1))).getSeconds());
    Await.until("allow's first Job complete and its success recorded", Duration.ofSeconds(60), () -> {
      JsonNode cronJob = api.get(CRONJOBS + "/allow").json();
      return cronJob.at("/status/lastSuccessfulTime").isTextual()
          && cronJob.at("/status/lastScheduleTime").asText().equals(scheduled(ticks.get(1)).toString());
    });

    // Forbid: the first Job still runs, so the second time made nothing. Once failed (under a load
    // average of about 8, with the multi-JVM classes beside it) with no word of why: the failure now
    // says what forbid's CronJob, Jobs and Events were.
    try {
      Await.until("forbid's second time passed", Duration.ofSeconds(60),
          () -> api.get("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dforbid").body()
              .contains("JobAlreadyActive"));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; forbid: " + api.get(CRONJOBS + "/forbid").json().path("status")
          + ", its Jobs: " + jobs("forbid").stream().map(j -> j.at("/metadata/name").asText() + " " + j.path("status")).toList()
          + ", its Events: " + api.get("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dforbid").body(), e);
    }
    List<JsonNode> forbidden = jobs("forbid");
    assertEquals(1, forbidden.size(), forbidden.toString());
    assertEquals(1, api.get(CRONJOBS + "/forbid").json().at("/status/active").size());

    // Replace: the first Job was deleted for the second.
    List<JsonNode> replaced = Await.until("replace's first Job replaced", Duration.ofSeconds(60), () -> {
      List<JsonNode> jobs = jobs("replace");
      boolean firstGone = jobs.stream().noneMatch(j -> scheduled(j).equals(scheduled(ticks.get(0)))
          && !j.at("/metadata/deletionTimestamp").isTextual());
      return firstGone && jobs.stream().anyMatch(j -> !scheduled(j).isBefore(scheduled(ticks.get(1)))) ? jobs : null;
    });
    assertTrue(replaced.stream().allMatch(j -> !scheduled(j).isBefore(scheduled(ticks.get(0)))), replaced.toString());

    for (String name : List.of("allow", "forbid", "replace")) {
      assertEquals(200, api.delete(CRONJOBS + "/" + name).code());
    }
    Await.until("the CronJobs' Jobs and pods gone with them", Duration.ofSeconds(90), () ->
        api.get(JOBS).json().path("items").isEmpty()
            && api.get("/api/v1/namespaces/default/pods").json().path("items").isEmpty());
  }
}
