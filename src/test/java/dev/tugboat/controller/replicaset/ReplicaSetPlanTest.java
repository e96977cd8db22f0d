package dev.tugboat.controller.replicaset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaSetPlanTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  private static ObjectNode replicaSet(int replicas, int minReadySeconds) {
    ObjectNode rs = JSON.createObjectNode().put("apiVersion", "apps/v1").put("kind", "ReplicaSet");
    rs.putObject("metadata").put("name", "web-h").put("namespace", "default").put("uid", "rs-1").put("generation", 3);
    ObjectNode spec = rs.putObject("spec").put("replicas", replicas).put("minReadySeconds", minReadySeconds);
    spec.putObject("selector").putObject("matchLabels").put("app", "web");
    ObjectNode template = spec.putObject("template");
    template.putObject("metadata").putObject("labels").put("app", "web").put("tier", "front");
    template.putObject("spec").putArray("containers").addObject().put("name", "c").put("image", "i");
    return rs;
  }

  /** A pod; owner null for an orphan; readySince null for not ready. */
  private static ObjectNode pod(String name, String owner, String app, String node, String readySince, String created) {
    ObjectNode p = JSON.createObjectNode();
    ObjectNode meta = p.putObject("metadata").put("name", name).put("uid", name).put("creationTimestamp", created);
    meta.putObject("labels").put("app", app).put("tier", "front");
    if (owner != null) meta.putArray("ownerReferences").addObject().put("kind", "ReplicaSet").put("uid", owner).put("controller", true);
    if (node != null) p.putObject("spec").put("nodeName", node);
    ObjectNode status = p.putObject("status").put("phase", node == null ? "Pending" : "Running");
    if (readySince != null) {
      status.putArray("conditions").addObject().put("type", "Ready").put("status", "True").put("lastTransitionTime", readySince);
    }
    return p;
  }

  @Test
  void missingReplicasAreCreated() {
    ReplicaSetPlan plan = ReplicaSetPlan.of(replicaSet(3, 0), List.of(pod("a", "rs-1", "web", "n", "2026-11-23T11:00:00Z", "2026-11-23T10:00:00Z")), NOW);
    assertEquals(2, plan.create());
    assertEquals(List.of(), plan.delete());
    assertEquals(1, plan.status().path("replicas").asInt());
    assertEquals(1, plan.status().path("availableReplicas").asInt());
    assertEquals(3, plan.status().path("observedGeneration").asInt());
  }

  @Test
  void scalingDownGivesUpUnscheduledThenNotReadyThenNewestFirst() {
    ObjectNode oldReady = pod("old-ready", "rs-1", "web", "n", "2026-11-23T11:00:00Z", "2026-11-23T09:00:00Z");
    ObjectNode newReady = pod("new-ready", "rs-1", "web", "n", "2026-11-23T11:00:00Z", "2026-11-23T10:00:00Z");
    ObjectNode notReady = pod("not-ready", "rs-1", "web", "n", null, "2026-11-23T08:00:00Z");
    ObjectNode unscheduled = pod("unscheduled", "rs-1", "web", null, null, "2026-11-23T07:00:00Z");
    ReplicaSetPlan plan = ReplicaSetPlan.of(replicaSet(1, 0), List.of(oldReady, newReady, notReady, unscheduled), NOW);
    assertEquals(List.of(unscheduled, notReady, newReady), plan.delete());
    assertEquals(0, plan.create());
  }

  @Test
  void matchingOrphansAreAdoptedAndPodsThatNoLongerMatchReleased() {
    ObjectNode orphan = pod("orphan", null, "web", "n", null, "2026-11-23T10:00:00Z");
    ObjectNode relabelled = pod("relabelled", "rs-1", "other", "n", null, "2026-11-23T10:00:00Z");
    ObjectNode someoneElses = pod("theirs", "rs-2", "web", "n", null, "2026-11-23T10:00:00Z");
    ReplicaSetPlan plan = ReplicaSetPlan.of(replicaSet(1, 0), List.of(orphan, relabelled, someoneElses), NOW);
    assertEquals(List.of(orphan), plan.adopt());
    assertEquals(List.of(relabelled), plan.release());
    assertEquals(0, plan.create(), "the adopted orphan counts");
  }

  @Test
  void terminatingAndFinishedPodsDoNotCount() {
    ObjectNode terminating = pod("terminating", "rs-1", "web", "n", "2026-11-23T11:00:00Z", "2026-11-23T10:00:00Z");
    ((ObjectNode) terminating.path("metadata")).put("deletionTimestamp", "2026-11-23T12:00:30Z");
    ObjectNode failed = pod("failed", "rs-1", "web", "n", null, "2026-11-23T10:00:00Z");
    ((ObjectNode) failed.path("status")).put("phase", "Failed");
    assertEquals(2, ReplicaSetPlan.of(replicaSet(2, 0), List.of(terminating, failed), NOW).create());
  }

  @Test
  void availableMeansReadyForMinReadySeconds() {
    ObjectNode justReady = pod("just", "rs-1", "web", "n", "2026-11-23T11:59:50Z", "2026-11-23T10:00:00Z");
    ObjectNode longReady = pod("long", "rs-1", "web", "n", "2026-11-23T11:00:00Z", "2026-11-23T10:00:00Z");
    ObjectNode status = ReplicaSetPlan.of(replicaSet(2, 30), List.of(justReady, longReady), NOW).status();
    assertEquals(2, status.path("readyReplicas").asInt());
    assertEquals(1, status.path("availableReplicas").asInt());
    assertEquals(2, status.path("fullyLabeledReplicas").asInt());
  }

  @Test
  void aNewPodCarriesTheTemplateAndItsController() {
    ObjectNode pod = ReplicaSetPlan.newPod(replicaSet(1, 0), "b2c4d");
    assertEquals("web-h-b2c4d", pod.path("metadata").path("name").asText());
    assertEquals("front", pod.path("metadata").path("labels").path("tier").asText());
    assertEquals("rs-1", pod.path("metadata").path("ownerReferences").get(0).path("uid").asText());
    assertEquals(true, pod.path("metadata").path("ownerReferences").get(0).path("controller").asBoolean());
    assertEquals("i", pod.path("spec").path("containers").get(0).path("image").asText());
  }

  @Test
  void replicaFailureIsSetOnceWithTheFirstRefusalAndClearedWhenNothingIsRefused() {
    ObjectNode status = JSON.createObjectNode().put("replicas", 2);
    String refusal = "pods \"web-h-x\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2";
    ObjectNode failing = ReplicaSetPlan.withReplicaFailure(status, "FailedCreate", refusal, NOW);
    assertEquals("[{\"type\":\"ReplicaFailure\",\"status\":\"True\",\"lastTransitionTime\":\"2026-11-23T12:00:00Z\","
        + "\"reason\":\"FailedCreate\",\"message\":\"" + refusal.replace("\"", "\\\"") + "\"}]",
        failing.path("conditions").toString());
    ObjectNode rs = replicaSet(4, 0);
    rs.set("status", failing);
    assertEquals(true, ReplicaSetPlan.failing(rs));
    // a later refusal keeps the first condition (and its time), as Kubernetes sets it only when absent
    assertEquals(failing, ReplicaSetPlan.withReplicaFailure(failing, "FailedCreate", "another", NOW.plusSeconds(9)));
    ObjectNode cleared = ReplicaSetPlan.withReplicaFailure(failing, "FailedCreate", null, NOW);
    assertEquals(JSON.createObjectNode().put("replicas", 2), cleared);
  }
}
