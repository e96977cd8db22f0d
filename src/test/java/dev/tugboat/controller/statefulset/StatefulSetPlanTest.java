package dev.tugboat.controller.statefulset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The StatefulSet controller's decisions: order, partitions, parallelism, identity. */
class StatefulSetPlanTest {
  private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
  private static final String UID = "sts-uid";

  private static ObjectNode sts(int replicas, String policy, int partition) {
    return (ObjectNode) Codec.parseTree("""
        {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"web","namespace":"ns","uid":"%s","generation":3},
         "spec":{"replicas":%d,"podManagementPolicy":"%s","serviceName":"web",
          "updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":%d}},
          "selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}}}
        """.formatted(UID, replicas, policy, partition).getBytes(), false);
  }

  private static ObjectNode pod(int ordinal, String revision, String phase, boolean ready) {
    return (ObjectNode) Codec.parseTree("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-%d","namespace":"ns","uid":"p%d",
          "labels":{"app":"web","controller-revision-hash":"%s"},
          "ownerReferences":[{"apiVersion":"apps/v1","kind":"StatefulSet","name":"web","uid":"%s","controller":true}]},
         "spec":{"nodeName":"n"},
         "status":{"phase":"%s","conditions":[{"type":"Ready","status":"%s","lastTransitionTime":"2026-12-04T09:00:00Z"}]}}
        """.formatted(ordinal, ordinal, revision, UID, phase, ready ? "True" : "False").getBytes(), false);
  }

  private static List<Integer> created(StatefulSetPlan plan) {
    return plan.create().stream().map(StatefulSetPlan.Create::ordinal).toList();
  }

  private static List<String> deleted(StatefulSetPlan plan) {
    return plan.delete().stream().map(p -> p.at("/metadata/name").asText()).toList();
  }

  @Test
  void orderedReadyCreatesOneAtATimeWaitingForReadiness() {
    assertEquals(List.of(0), created(StatefulSetPlan.of(sts(3, "OrderedReady", 0), List.of(), "r1", "r1", NOW)));
    // web-0 exists but is not ready yet: nothing more
    StatefulSetPlan waiting = StatefulSetPlan.of(sts(3, "OrderedReady", 0), List.of(pod(0, "r1", "Running", false)), "r1", "r1", NOW);
    assertEquals(List.of(), created(waiting));
    StatefulSetPlan next = StatefulSetPlan.of(sts(3, "OrderedReady", 0), List.of(pod(0, "r1", "Running", true)), "r1", "r1", NOW);
    assertEquals(List.of(1), created(next));
    assertEquals(1, next.status().path("readyReplicas").asInt());
  }

  @Test
  void parallelCreatesEveryMissingPodAtOnce() {
    StatefulSetPlan plan = StatefulSetPlan.of(sts(3, "Parallel", 0), List.of(pod(1, "r1", "Pending", false)), "r1", "r1", NOW);
    assertEquals(List.of(0, 2), created(plan));
  }

  @Test
  void scaleDownGoesFromTheHighestOrdinalOneAtATime() {
    List<ObjectNode> pods = List.of(pod(0, "r1", "Running", true), pod(1, "r1", "Running", true),
        pod(2, "r1", "Running", true), pod(3, "r1", "Running", true));
    assertEquals(List.of("web-3"), deleted(StatefulSetPlan.of(sts(2, "OrderedReady", 0), pods, "r1", "r1", NOW)));
    assertEquals(List.of("web-3", "web-2"), deleted(StatefulSetPlan.of(sts(2, "Parallel", 0), pods, "r1", "r1", NOW)));
    // not while a remaining pod is unhealthy
    List<ObjectNode> unhealthy = List.of(pod(0, "r1", "Running", false), pod(1, "r1", "Running", true), pod(2, "r1", "Running", true));
    assertEquals(List.of(), deleted(StatefulSetPlan.of(sts(2, "OrderedReady", 0), unhealthy, "r1", "r1", NOW)));
  }

  @Test
  void aFailedPodIsDeletedToBeCreatedAgain() {
    List<ObjectNode> pods = List.of(pod(0, "r1", "Failed", false), pod(1, "r1", "Running", true));
    StatefulSetPlan plan = StatefulSetPlan.of(sts(2, "OrderedReady", 0), pods, "r1", "r1", NOW);
    assertEquals(List.of("web-0"), deleted(plan));
  }

  @Test
  void aRollingUpdateGoesDownFromTheTopToThePartition() {
    List<ObjectNode> pods = new ArrayList<>(List.of(pod(0, "r1", "Running", true), pod(1, "r1", "Running", true),
        pod(2, "r1", "Running", true)));
    StatefulSetPlan plan = StatefulSetPlan.of(sts(3, "OrderedReady", 1), pods, "r1", "r2", NOW);
    assertEquals(List.of("web-2"), deleted(plan));
    assertEquals("r1", plan.status().path("currentRevision").asText());
    assertEquals("r2", plan.status().path("updateRevision").asText());

    pods.set(2, pod(2, "r2", "Running", true));
    plan = StatefulSetPlan.of(sts(3, "OrderedReady", 1), pods, "r1", "r2", NOW);
    assertEquals(List.of("web-1"), deleted(plan));

    // below the partition: a missing pod comes back at the current revision, and nothing more is updated
    pods.set(1, pod(1, "r2", "Running", true));
    pods.remove(0);
    plan = StatefulSetPlan.of(sts(3, "OrderedReady", 1), pods, "r1", "r2", NOW);
    assertEquals(List.of(new StatefulSetPlan.Create(0, "r1")), plan.create());
    pods.add(0, pod(0, "r1", "Running", true));
    plan = StatefulSetPlan.of(sts(3, "OrderedReady", 1), pods, "r1", "r2", NOW);
    assertEquals(List.of(), deleted(plan));
    assertEquals(2, plan.status().path("updatedReplicas").asInt());
    assertEquals("r1", plan.status().path("currentRevision").asText(), "a partitioned update is not complete");

    // partition 0: the last one goes, and once all are at r2 it is the current revision
    plan = StatefulSetPlan.of(sts(3, "OrderedReady", 0), pods, "r1", "r2", NOW);
    assertEquals(List.of("web-0"), deleted(plan));
    pods.set(0, pod(0, "r2", "Running", true));
    plan = StatefulSetPlan.of(sts(3, "OrderedReady", 0), pods, "r1", "r2", NOW);
    assertEquals("r2", plan.status().path("currentRevision").asText());
    assertEquals(3, plan.status().path("currentReplicas").asInt());
  }

  @Test
  void identityAndClaims() {
    ObjectNode set = sts(2, "OrderedReady", 0);
    set.with("spec").putArray("volumeClaimTemplates").addObject().putObject("metadata").put("name", "data");
    ObjectNode pod = StatefulSetController.newPod(set, 1, "web-r1", (ObjectNode) set.at("/spec/template"));
    assertEquals("web-1", pod.at("/metadata/name").asText());
    assertEquals("web-1", pod.at("/spec/hostname").asText());
    assertEquals("web", pod.at("/spec/subdomain").asText());
    assertEquals("1", pod.at("/metadata/labels/apps.kubernetes.io~1pod-index").asText());
    assertEquals("web-1", pod.at("/metadata/labels/statefulset.kubernetes.io~1pod-name").asText());
    assertEquals("data-web-1", pod.at("/spec/volumes/0/persistentVolumeClaim/claimName").asText());
    assertEquals(1, StatefulSetPlan.ordinal("web", "web-1"));
    assertNull(StatefulSetPlan.ordinal("web", "web-01"));
    assertNull(StatefulSetPlan.ordinal("web", "web-x"));
    assertNull(StatefulSetPlan.ordinal("web", "webby-1"));
  }
}
