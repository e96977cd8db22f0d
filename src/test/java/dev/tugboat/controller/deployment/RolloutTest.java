package dev.tugboat.controller.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  private static ObjectNode deployment(int replicas, Object surge, Object unavailable, String image) {
    ObjectNode d = JSON.createObjectNode().put("kind", "Deployment");
    d.putObject("metadata").put("name", "web").put("uid", "d-1").put("generation", 2);
    ObjectNode spec = d.putObject("spec").put("replicas", replicas).put("progressDeadlineSeconds", 60);
    ObjectNode rolling = spec.putObject("strategy").put("type", "RollingUpdate").putObject("rollingUpdate");
    rolling.set("maxSurge", JSON.valueToTree(surge));
    rolling.set("maxUnavailable", JSON.valueToTree(unavailable));
    spec.set("template", template(image));
    return d;
  }

  private static ObjectNode template(String image) {
    ObjectNode t = JSON.createObjectNode();
    t.putObject("metadata").putObject("labels").put("app", "web");
    t.putObject("spec").putArray("containers").addObject().put("name", "c").put("image", image);
    return t;
  }

  /** A ReplicaSet of the given template with spec and status counts. */
  private static ObjectNode rs(String name, String image, int revision, int replicas, int available, String created) {
    ObjectNode rs = JSON.createObjectNode().put("kind", "ReplicaSet");
    ObjectNode meta = rs.putObject("metadata").put("name", name).put("uid", name).put("creationTimestamp", created);
    meta.putObject("annotations").put(Rollout.REVISION, Integer.toString(revision))
        .put(Rollout.DESIRED_REPLICAS, "4").put(Rollout.MAX_REPLICAS, "5");
    ObjectNode template = template(image);
    ((ObjectNode) template.path("metadata").path("labels")).put(Rollout.HASH_LABEL, name);
    rs.putObject("spec").put("replicas", replicas).set("template", template);
    rs.putObject("status").put("replicas", replicas).put("readyReplicas", available).put("availableReplicas", available);
    return rs;
  }

  @Test
  void fencepostsRoundSurgeUpAndUnavailableDownAndNeverBothZero() {
    assertEquals(new Rollout.Fenceposts(1, 0), Rollout.fenceposts(deployment(2, "25%", "25%", "a")));
    assertEquals(new Rollout.Fenceposts(3, 2), Rollout.fenceposts(deployment(10, "25%", "25%", "a")));
    assertEquals(new Rollout.Fenceposts(0, 1), Rollout.fenceposts(deployment(3, 0, 0, "a")));
    assertEquals(new Rollout.Fenceposts(2, 1), Rollout.fenceposts(deployment(4, 2, 1, "a")));
  }

  @Test
  void theNewReplicaSetIsTheOneWithTheTemplateWhateverItsHash() {
    ObjectNode d = deployment(4, 1, 1, "v2");
    ObjectNode old = rs("web-a", "v1", 1, 4, 4, "2026-01-01T00:00:00Z");
    ObjectNode current = rs("web-b", "v2", 2, 0, 0, "2026-01-02T00:00:00Z");
    assertSame(current, Rollout.newReplicaSet(d, List.of(old, current)));
    assertEquals(null, Rollout.newReplicaSet(deployment(4, 1, 1, "v3"), List.of(old, current)));
  }

  @Test
  void theTemplateHashIsStableAndSensitiveToTheTemplateAndCollisions() {
    String h = Rollout.templateHash(template("v1"), 0);
    assertEquals(h, Rollout.templateHash(template("v1"), 0));
    assertNotEquals(h, Rollout.templateHash(template("v2"), 0));
    assertNotEquals(h, Rollout.templateHash(template("v1"), 1));
    assertTrue(h.matches("[bcdfghjklmnpqrstvwxz2456789]+"), h);
  }

  @Test
  void aRollingUpdateGrowsTheNewReplicaSetWithinMaxSurge() {
    ObjectNode d = deployment(4, 1, 1, "v2");
    ObjectNode old = rs("web-a", "v1", 1, 4, 4, "2026-01-01T00:00:00Z");
    ObjectNode fresh = rs("web-b", "v2", 2, 0, 0, "2026-01-02T00:00:00Z");
    assertEquals(1, Rollout.newReplicaSetSize(d, fresh, List.of(old, fresh)), "4 + maxSurge 1 = 5 pods at most");
    ObjectNode grown = rs("web-b", "v2", 2, 1, 0, "2026-01-02T00:00:00Z");
    assertEquals(1, Rollout.newReplicaSetSize(d, grown, List.of(old, grown)), "at 5 already");
  }

  @Test
  void oldReplicaSetsShrinkWithinMaxUnavailableCountingTheNewOnesUnavailablePods() {
    ObjectNode d = deployment(4, 1, 1, "v2");
    ObjectNode old = rs("web-a", "v1", 1, 4, 4, "2026-01-01T00:00:00Z");
    ObjectNode fresh = rs("web-b", "v2", 2, 1, 0, "2026-01-02T00:00:00Z");
    // 5 pods, 3 must stay available, the new one is not: 5 - 3 - 1 = 1 may go
    assertEquals(Map.of(old, 3), Rollout.oldReplicaSetSizes(d, fresh, List.of(old)));
    ObjectNode freshReady = rs("web-b", "v2", 2, 1, 1, "2026-01-02T00:00:00Z");
    assertEquals(Map.of(old, 2), Rollout.oldReplicaSetSizes(d, freshReady, List.of(old)));
    // old pods that are not available go even though only 2 of the 3 required are: they count for nothing
    ObjectNode sick = rs("web-a", "v1", 1, 4, 1, "2026-01-01T00:00:00Z");
    assertEquals(Map.of(sick, 2), Rollout.oldReplicaSetSizes(d, freshReady, List.of(sick)));
  }

  @Test
  void scalingMidRolloutIsSpreadInProportion() {
    ObjectNode d = deployment(8, 1, 1, "v2"); // was 4 (max-replicas 5), now 8: allowed 9
    ObjectNode old = rs("web-a", "v1", 1, 3, 3, "2026-01-01T00:00:00Z");
    ObjectNode fresh = rs("web-b", "v2", 2, 2, 2, "2026-01-02T00:00:00Z");
    assertTrue(Rollout.isScalingEvent(d, List.of(old, fresh)));
    Map<ObjectNode, Integer> sizes = Rollout.proportionalSizes(d, List.of(old, fresh));
    int oldSize = sizes.getOrDefault(old, 3);
    int newSize = sizes.getOrDefault(fresh, 2);
    assertEquals(9, oldSize + newSize, "all of the allowed size is used");
    assertTrue(oldSize > 3 && newSize > 2, "both grow: " + sizes);
    assertFalse(Rollout.isScalingEvent(deployment(4, 1, 1, "v2"), List.of(old, fresh)));
  }

  @Test
  void historyBeyondTheLimitGoesOldestFirst() {
    ObjectNode d = deployment(1, 1, 1, "v9");
    ((ObjectNode) d.path("spec")).put("revisionHistoryLimit", 1);
    ObjectNode r1 = rs("web-1", "v1", 1, 0, 0, "2026-01-01T00:00:00Z");
    ObjectNode r2 = rs("web-2", "v2", 2, 0, 0, "2026-01-02T00:00:00Z");
    ObjectNode busy = rs("web-3", "v3", 3, 1, 1, "2026-01-03T00:00:00Z");
    assertEquals(List.of(r1), Rollout.historyToDelete(d, List.of(r2, r1, busy)));
  }

  @Test
  void rollbackToZeroMeansThePreviousRevision() {
    ObjectNode r1 = rs("web-1", "v1", 1, 0, 0, "2026-01-01T00:00:00Z");
    ObjectNode r2 = rs("web-2", "v2", 2, 0, 0, "2026-01-02T00:00:00Z");
    ObjectNode r3 = rs("web-3", "v3", 3, 1, 1, "2026-01-03T00:00:00Z");
    assertSame(r2, Rollout.rollbackTarget(List.of(r1, r2, r3), r3, 0));
    assertSame(r1, Rollout.rollbackTarget(List.of(r1, r2, r3), r3, 1));
    assertEquals(null, Rollout.rollbackTarget(List.of(r1, r2, r3), r3, 7));
  }

  @Test
  void statusSumsTheReplicaSetsAndReportsCompletion() {
    ObjectNode d = deployment(4, 1, 1, "v2");
    ObjectNode fresh = rs("web-b", "v2", 2, 4, 4, "2026-01-02T00:00:00Z");
    ObjectNode status = Rollout.status(d, fresh, List.of(fresh), NOW);
    assertEquals(4, status.path("availableReplicas").asInt());
    assertEquals(0, status.path("unavailableReplicas").asInt());
    assertEquals(2, status.path("observedGeneration").asInt());
    assertEquals("NewReplicaSetAvailable", Rollout.find(status, "Progressing").path("reason").asText());
    assertEquals("True", Rollout.find(status, "Available").path("status").asText());
  }

  @Test
  void noProgressPastTheDeadlineIsReportedOnce() {
    ObjectNode d = deployment(4, 1, 1, "v2");
    ObjectNode old = rs("web-a", "v1", 1, 4, 4, "2026-01-01T00:00:00Z");
    ObjectNode fresh = rs("web-b", "v2", 2, 1, 0, "2026-01-02T00:00:00Z");
    ObjectNode first = Rollout.status(d, fresh, List.of(old, fresh), NOW);
    assertEquals("NewReplicaSetCreated", Rollout.find(first, "Progressing").path("reason").asText());
    d.set("status", first);
    ObjectNode later = Rollout.status(d, fresh, List.of(old, fresh), NOW.plusSeconds(30));
    assertEquals("NewReplicaSetCreated", Rollout.find(later, "Progressing").path("reason").asText(), "within the deadline");
    ObjectNode past = Rollout.status(d, fresh, List.of(old, fresh), NOW.plusSeconds(61));
    JsonNode progressing = Rollout.find(past, "Progressing");
    assertEquals("False", progressing.path("status").asText());
    assertEquals("ProgressDeadlineExceeded", progressing.path("reason").asText());
    assertEquals("ReplicaSet \"web-b\" has timed out progressing.", progressing.path("message").asText());
  }

  @Test
  void aRolloutStillProgressingIsLookedAtAgainWhenItsDeadlineFalls() {
    ObjectNode d = deployment(4, 1, 1, "v2");
    ObjectNode old = rs("web-a", "v1", 1, 4, 4, "2026-01-01T00:00:00Z");
    ObjectNode fresh = rs("web-b", "v2", 2, 1, 0, "2026-01-02T00:00:00Z");
    ObjectNode first = Rollout.status(d, fresh, List.of(old, fresh), NOW);
    assertEquals(java.time.Duration.ofSeconds(61), Rollout.untilDeadline(d, first, NOW), "the deadline and a second");
    assertEquals(java.time.Duration.ofSeconds(31), Rollout.untilDeadline(d, first, NOW.plusSeconds(30)));
    d.set("status", first);
    ObjectNode past = Rollout.status(d, fresh, List.of(old, fresh), NOW.plusSeconds(61));
    assertEquals(null, Rollout.untilDeadline(d, past, NOW.plusSeconds(61)), "past it: nothing more to wait for");
    ObjectNode done = rs("web-b", "v2", 2, 4, 4, "2026-01-02T00:00:00Z");
    ObjectNode complete = Rollout.status(d, done, List.of(done), NOW);
    assertEquals(null, Rollout.untilDeadline(d, complete, NOW), "complete");
    ((ObjectNode) d.path("spec")).remove("progressDeadlineSeconds");
    assertEquals(null, Rollout.untilDeadline(d, first, NOW), "no deadline");
  }
}
