package dev.tugboat.controller.daemonset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DaemonSet controller's decisions, on nodes and pods written as JSON. */
class DaemonSetPlanTest {
  private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
  private static final String UID = "ds-uid";

  private static ObjectNode json(String text) {
    return (ObjectNode) Codec.parseTree(text.getBytes(), false);
  }

  private static ObjectNode daemonSet(String strategy, String extraTemplateSpec) {
    return json("""
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agent","namespace":"ns","uid":"%s","generation":2},
         "spec":{"selector":{"matchLabels":{"app":"agent"}},"updateStrategy":%s,"minReadySeconds":0,
          "template":{"metadata":{"labels":{"app":"agent"}},"spec":{%s"containers":[{"name":"a","image":"busybox"}]}}}}
        """.formatted(UID, strategy, extraTemplateSpec));
  }

  private static final String ROLLING = "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":1,\"maxSurge\":0}}";

  private static ObjectNode node(String name, String labels, String taints) {
    return json("""
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":{%s}},"spec":{"taints":[%s]},
         "status":{"conditions":[{"type":"Ready","status":"True"}]}}
        """.formatted(name, labels, taints));
  }

  private static ObjectNode pod(String name, String node, String hash, boolean ready, String created) {
    return json("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"ns","uid":"%s-uid","creationTimestamp":"%s",
          "labels":{"app":"agent","controller-revision-hash":"%s"},
          "ownerReferences":[{"apiVersion":"apps/v1","kind":"DaemonSet","name":"agent","uid":"%s","controller":true}]},
         "spec":{"nodeName":"%s","containers":[{"name":"a","image":"busybox"}]},
         "status":{"phase":"Running","conditions":[{"type":"Ready","status":"%s","lastTransitionTime":"2026-12-04T09:00:00Z"}]}}
        """.formatted(name, name, created, hash, UID, node, ready ? "True" : "False"));
  }

  private static List<String> names(List<ObjectNode> pods) {
    return pods.stream().map(p -> p.at("/metadata/name").asText()).sorted().toList();
  }

  @Test
  void onePodPerEligibleNode() {
    ObjectNode ds = daemonSet(ROLLING, "\"nodeSelector\":{\"disk\":\"ssd\"},");
    List<ObjectNode> nodes = List.of(
        node("a", "\"disk\":\"ssd\"", ""),
        node("b", "\"disk\":\"ssd\"", "{\"key\":\"dedicated\",\"value\":\"db\",\"effect\":\"NoSchedule\"}"),
        node("c", "\"disk\":\"hdd\"", ""),
        // the daemon tolerations: a node that is not ready or cordoned still gets its daemon
        node("d", "\"disk\":\"ssd\"", "{\"key\":\"node.kubernetes.io/not-ready\",\"effect\":\"NoExecute\"},"
            + "{\"key\":\"node.kubernetes.io/unschedulable\",\"effect\":\"NoSchedule\"}"));
    DaemonSetPlan plan = DaemonSetPlan.of(ds, nodes, List.of(), "h1", NOW);
    assertEquals(List.of("a", "d"), plan.createOn());
    assertEquals(2, plan.status().path("desiredNumberScheduled").asInt());
    assertEquals(0, plan.status().path("currentNumberScheduled").asInt());
    assertEquals(2, plan.status().path("numberUnavailable").asInt());
  }

  @Test
  void taintsDecideWhetherAPodMayStay() {
    ObjectNode ds = daemonSet(ROLLING, "");
    List<ObjectNode> nodes = List.of(
        node("a", "", "{\"key\":\"dedicated\",\"effect\":\"NoSchedule\"}"),
        node("b", "", "{\"key\":\"evict\",\"effect\":\"NoExecute\"}"));
    List<ObjectNode> pods = List.of(pod("on-a", "a", "h1", true, "2026-12-04T08:00:00Z"),
        pod("on-b", "b", "h1", true, "2026-12-04T08:00:00Z"));
    DaemonSetPlan plan = DaemonSetPlan.of(ds, nodes, pods, "h1", NOW);
    // NoSchedule: no new daemon, but the running one stays; NoExecute: it goes.
    assertEquals(List.of("on-b"), names(plan.delete()));
    assertEquals(List.of(), plan.createOn());
    assertEquals(2, plan.status().path("numberMisscheduled").asInt());
    assertEquals(0, plan.status().path("desiredNumberScheduled").asInt());
  }

  @Test
  void duplicatesFailedPodsAndPodsOfGoneNodesGo() {
    ObjectNode ds = daemonSet(ROLLING, "");
    ObjectNode failed = pod("failed", "a", "h1", false, "2026-12-04T07:00:00Z");
    failed.with("status").put("phase", "Failed");
    List<ObjectNode> pods = List.of(pod("first", "a", "h1", true, "2026-12-04T08:00:00Z"),
        pod("second", "a", "h1", true, "2026-12-04T09:00:00Z"), failed,
        pod("ghost", "gone", "h1", true, "2026-12-04T08:00:00Z"));
    DaemonSetPlan plan = DaemonSetPlan.of(ds, List.of(node("a", "", "")), pods, "h1", NOW);
    assertEquals(List.of("failed", "ghost", "second"), names(plan.delete()));
    assertEquals(1, plan.status().path("currentNumberScheduled").asInt());
    assertEquals(1, plan.status().path("updatedNumberScheduled").asInt());
  }

  @Test
  void aRollingUpdateReplacesAtMostMaxUnavailableAvailablePodsAtOnce() {
    ObjectNode ds = daemonSet(ROLLING, "");
    List<ObjectNode> nodes = List.of(node("a", "", ""), node("b", "", ""), node("c", "", ""));
    List<ObjectNode> pods = new ArrayList<>(List.of(pod("old-a", "a", "h1", true, "2026-12-04T08:00:00Z"),
        pod("old-b", "b", "h1", true, "2026-12-04T08:00:00Z"), pod("old-c", "c", "h1", true, "2026-12-04T08:00:00Z")));
    DaemonSetPlan plan = DaemonSetPlan.of(ds, nodes, pods, "h2", NOW);
    assertEquals(1, plan.delete().size(), names(plan.delete()).toString());
    assertEquals(0, plan.status().path("updatedNumberScheduled").asInt());

    // While one node has no available daemon, the budget is spent: nothing more goes.
    pods.removeIf(p -> p.at("/metadata/name").asText().equals("old-a"));
    pods.add(pod("new-a", "a", "h2", false, "2026-12-04T09:59:00Z"));
    plan = DaemonSetPlan.of(ds, nodes, pods, "h2", NOW);
    assertEquals(List.of(), plan.delete());
    assertEquals(1, plan.status().path("updatedNumberScheduled").asInt());
    assertEquals(2, plan.status().path("numberAvailable").asInt());
  }

  @Test
  void withMaxSurgeTheNewPodStartsBesideTheOldOne() {
    ObjectNode ds = daemonSet("{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":0,\"maxSurge\":1}}", "");
    List<ObjectNode> nodes = List.of(node("a", "", ""), node("b", "", ""));
    List<ObjectNode> pods = new ArrayList<>(List.of(pod("old-a", "a", "h1", true, "2026-12-04T08:00:00Z"),
        pod("old-b", "b", "h1", true, "2026-12-04T08:00:00Z")));
    DaemonSetPlan plan = DaemonSetPlan.of(ds, nodes, pods, "h2", NOW);
    assertEquals(1, plan.createOn().size());
    assertEquals(List.of(), plan.delete());
    String surged = plan.createOn().get(0);
    pods.add(pod("new-" + surged, surged, "h2", true, "2026-12-04T09:00:00Z"));
    plan = DaemonSetPlan.of(ds, nodes, pods, "h2", NOW);
    assertEquals(List.of("old-" + surged), names(plan.delete()), "the old pod goes once the new one is available");
  }

  @Test
  void onDeleteLeavesOldPodsAlone() {
    ObjectNode ds = daemonSet("{\"type\":\"OnDelete\"}", "");
    DaemonSetPlan plan = DaemonSetPlan.of(ds, List.of(node("a", "", "")),
        List.of(pod("old-a", "a", "h1", true, "2026-12-04T08:00:00Z")), "h2", NOW);
    assertEquals(List.of(), plan.delete());
    assertEquals(List.of(), plan.createOn());
    assertEquals(0, plan.status().path("updatedNumberScheduled").asInt());
  }

  @Test
  void aNewPodNamesItsNodeAndToleratesWhatADaemonMust() {
    ObjectNode pod = DaemonSetController.newPod(daemonSet(ROLLING, "\"tolerations\":[{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":5}],"),
        "node-7", "h9");
    assertEquals("node-7", DaemonSetPlan.nodeOf(pod));
    assertEquals("h9", pod.at("/metadata/labels/controller-revision-hash").asText());
    assertEquals("2", pod.at("/metadata/labels/pod-template-generation").asText());
    assertEquals(6, pod.at("/spec/tolerations").size(), pod.toString());
    assertEquals(5, pod.at("/spec/tolerations/0/tolerationSeconds").asInt(), "the template's own toleration is kept");
    assertTrue(pod.at("/metadata/ownerReferences/0/controller").asBoolean());
  }

  /** A daemon is never evicted from a node that stops answering: it tolerates the unreachable taint for ever. */
  @Test
  void aDaemonPodIsNeverEvictedFromAnUnreachableNode() {
    ObjectNode pod = DaemonSetController.newPod(daemonSet(ROLLING, ""), "node-7", "h9");
    assertEquals(Long.MAX_VALUE, dev.tugboat.controller.nodelifecycle.NodeLifecycleController.toleratedSeconds(pod));
  }
}
