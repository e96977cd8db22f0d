package dev.tugboat.scheduler;

import static dev.tugboat.scheduler.Fixtures.node;
import static dev.tugboat.scheduler.Fixtures.owned;
import static dev.tugboat.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.tugboat.model.Codec;
import dev.tugboat.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pipeline: filters, then scores, then the pick; and the message of a pod that fits nowhere. */
class PlacementTest {
  private final Placement placement = Placement.defaults();

  @Test
  void picksTheLeastLoadedFeasibleNode() {
    NodeSnapshot busy = node("busy", "2", "4Gi").withPod(pod("x", "1500m", "3Gi"));
    NodeSnapshot idle = node("idle", "2", "4Gi");
    NodeSnapshot small = node("small", "100m", "4Gi");
    var decision = placement.place(pod("a", "500m", "512Mi"), List.of(busy, idle, small));
    assertEquals("idle", assertInstanceOf(Placement.Fit.class, decision).node());
  }

  @Test
  void spreadsThePodsOfOneOwnerOverEqualNodes() {
    Map<String, NodeSnapshot> nodes = new LinkedHashMap<>();
    for (String n : List.of("n1", "n2", "n3")) nodes.put(n, node(n, "4", "8Gi"));
    Map<String, Integer> perNode = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      PodRequest p = owned("web-" + i, "rs-1");
      String chosen = ((Placement.Fit) placement.place(p, nodes.values())).node();
      nodes.put(chosen, nodes.get(chosen).withPod(p));
      perNode.merge(chosen, 1, Integer::sum);
    }
    assertEquals(Map.of("n1", 1, "n2", 1, "n3", 1), perNode);
  }

  @Test
  void aPodThatFitsNowhereGetsKubeSchedulersMessage() {
    List<NodeSnapshot> nodes = List.of(
        node("a", "1", "1Gi"),
        node("b", "100m", "1Gi"),
        node("c", "8", "8Gi", "\"ready\":true", "{\"taints\":[{\"key\":\"dedicated\",\"value\":\"gpu\",\"effect\":\"NoSchedule\"}]}"),
        node("d", "8", "8Gi", "\"ready\":false", "{}"));
    var decision = placement.place(pod("big", "2", "2Gi"), nodes);
    Placement.Unfit unfit = assertInstanceOf(Placement.Unfit.class, decision);
    assertEquals("0/4 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, "
        + "1 node(s) were not ready, 2 Insufficient cpu, 2 Insufficient memory.", unfit.message());
    assertEquals(Map.of("Insufficient cpu", 2, "Insufficient memory", 2, "node(s) were not ready", 1,
        "node(s) had untolerated taint {dedicated: gpu}", 1), unfit.reasons());
  }

  @Test
  void noNodesAtAll() {
    assertEquals("no nodes available to schedule pods",
        ((Placement.Unfit) placement.place(pod("a", "1m", "1Mi"), List.of())).message());
  }

  @Test
  void tiesAreBrokenByTheUidSoEqualNodesShareThePods() {
    List<NodeSnapshot> nodes = List.of(node("n1", "4", "8Gi"), node("n2", "4", "8Gi"));
    List<String> chosen = new ArrayList<>();
    for (int i = 0; i < 40; i++) chosen.add(((Placement.Fit) placement.place(pod("p" + i, "0", "0"), nodes)).node());
    long onFirst = chosen.stream().filter("n1"::equals).count();
    assertEquals(true, onFirst > 5 && onFirst < 35, "both nodes are used: " + onFirst + "/40 on n1");
    assertEquals(chosen.get(7), ((Placement.Fit) placement.place(pod("p7", "0", "0"), nodes)).node(), "reproducible");
  }

  @Test
  void effectiveRequestsCountLimitsWithoutRequestsAndTheLargestInitContainer() {
    PodRequest p = PodRequest.of(Codec.convert(Codec.parseTree("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default","uid":"u"},
         "spec":{"initContainers":[{"name":"init","image":"i","resources":{"requests":{"cpu":"2","memory":"64Mi"}}}],
                 "containers":[{"name":"a","image":"i","resources":{"requests":{"cpu":"250m","memory":"1Gi"}}},
                               {"name":"b","image":"i","resources":{"limits":{"cpu":"500m","memory":"128Mi"}}},
                               {"name":"c","image":"i"}]}}
        """.getBytes(), false), Pod.class));
    assertEquals(2000, p.milliCpu(), "the init container's 2 cpus exceed the containers' 750m");
    assertEquals((1024 + 128) * 1024L * 1024, p.memoryBytes());
    assertEquals("default/p", p.key());
  }

  @Test
  void aNodeSnapshotKeepsItsPodsWhenTheNodeChanges() {
    NodeSnapshot n = node("n1", "2", "4Gi").withPod(owned("a", "rs")).withPod(owned("b", "rs"));
    assertEquals(200, n.requestedMilliCpu());
    assertEquals(Map.of("rs", 2), n.podsPerOwner());
    NodeSnapshot grown = n.withNode(Codec.convert(Codec.parseTree("""
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},
         "status":{"allocatable":{"cpu":"4","memory":"8Gi","pods":"20"},"conditions":[{"type":"Ready","status":"True"}]}}
        """.getBytes(), false), dev.tugboat.model.Node.class));
    assertEquals(4000, grown.allocatableMilliCpu());
    assertEquals(20, grown.allocatablePods());
    assertEquals(200, grown.requestedMilliCpu());
    assertEquals(2, grown.podCount());
    NodeSnapshot emptied = grown.withoutPod(owned("a", "rs")).withoutPod(owned("b", "rs"));
    assertEquals(0, emptied.requestedMilliCpu());
    assertEquals(Map.of(), emptied.podsPerOwner());
  }

  @Test
  void inALargeClusterTheSearchStopsAtKubeSchedulersShareOfFeasibleNodes() {
    Placement adaptive = Placement.defaults(0);
    assertEquals(99, adaptive.feasibleNodesToFind(99), "a small cluster: every node");
    assertEquals(420, adaptive.feasibleNodesToFind(1000), "42 % at 1,000 nodes");
    assertEquals(500, adaptive.feasibleNodesToFind(5000), "10 % at 5,000 nodes");
    assertEquals(5000, adaptive.feasibleNodesToFind(100_000), "never under 5 %");
    assertEquals(100, Placement.defaults(1).feasibleNodesToFind(1000), "never under 100 nodes");
    assertEquals(1000, Placement.defaults().feasibleNodesToFind(1000), "100 %: every node");

    List<NodeSnapshot> nodes = new ArrayList<>();
    for (int i = 0; i < 1000; i++) nodes.add(node("n" + i, "4", "8Gi"));
    Placement.Fit first = (Placement.Fit) adaptive.place(pod("a", "1", "1Gi"), nodes, 0);
    assertEquals(420, first.examined());
    assertEquals(true, Integer.parseInt(first.node().substring(1)) < 420, "chosen among the first 420: " + first.node());
    Placement.Fit next = (Placement.Fit) adaptive.place(pod("a", "1", "1Gi"), nodes, 420);
    int index = Integer.parseInt(next.node().substring(1));
    assertEquals(true, index >= 420 && index < 840, "the next search goes on where the last stopped: " + next.node());
    Placement.Fit wrapped = (Placement.Fit) adaptive.place(pod("a", "1", "1Gi"), nodes, 900);
    index = Integer.parseInt(wrapped.node().substring(1));
    assertEquals(true, index >= 900 || index < 320, "and wraps round: " + wrapped.node());
  }

  @Test
  void infeasibleNodesDoNotCountSoARareFitIsStillFound() {
    List<NodeSnapshot> nodes = new ArrayList<>();
    for (int i = 0; i < 999; i++) nodes.add(node("small" + i, "100m", "8Gi"));
    nodes.add(node("big", "8", "8Gi"));
    Placement.Fit fit = (Placement.Fit) Placement.defaults(0).place(pod("a", "2", "1Gi"), nodes, 0);
    assertEquals("big", fit.node());
    assertEquals(1000, fit.examined());
    Placement.Unfit unfit = (Placement.Unfit) Placement.defaults(0).place(pod("a", "16", "1Gi"), nodes, 500);
    assertEquals("0/1000 nodes are available: 1000 Insufficient cpu.", unfit.message());
  }
}
