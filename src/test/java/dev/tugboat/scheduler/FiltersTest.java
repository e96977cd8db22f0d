package dev.tugboat.scheduler;

import static dev.tugboat.scheduler.Fixtures.node;
import static dev.tugboat.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each filter plugin on its own, with kube-scheduler's reasons word for word. */
class FiltersTest {

  @Test
  void resourcesFitCountsWhatIsAlreadyPlacedAndNamesEachShortage() {
    ResourcesFitFilter fit = new ResourcesFitFilter();
    NodeSnapshot node = node("n1", "1", "1Gi");
    assertEquals(List.of(), fit.filter(pod("a", "600m", "512Mi"), node));
    NodeSnapshot used = node.withPod(pod("a", "600m", "512Mi"));
    assertEquals(List.of("Insufficient cpu"), fit.filter(pod("b", "500m", "100Mi"), used));
    assertEquals(List.of("Insufficient cpu", "Insufficient memory"), fit.filter(pod("b", "500m", "600Mi"), used));
    assertEquals(List.of(), fit.filter(pod("b", "400m", "512Mi"), used), "exactly full fits");
    assertEquals(List.of(), fit.filter(pod("c", "0", "0"), used), "a pod without requests always fits");
  }

  @Test
  void tooManyPods() {
    NodeSnapshot node = node("n1", "100", "100Gi");
    for (int i = 0; i < 110; i++) node = node.withPod(pod("p" + i, "1m", "1Mi"));
    assertEquals(List.of("Too many pods"), new ResourcesFitFilter().filter(pod("x", "1m", "1Mi"), node));
  }

  @Test
  void notReadyAndCordonedNodesTakeNothing() {
    NodeReadyFilter ready = new NodeReadyFilter();
    assertEquals(List.of("node(s) were not ready"), ready.filter(pod("a", "1m", "1Mi"),
        node("n1", "1", "1Gi", "\"ready\":false", "{}")));
    NodeSnapshot cordoned = node("n2", "1", "1Gi", "\"ready\":true", "{\"unschedulable\":true}");
    assertEquals(List.of("node(s) were unschedulable"), ready.filter(pod("a", "1m", "1Mi"), cordoned));
    assertEquals(List.of(), ready.filter(pod("a", "1m", "1Mi",
        "\"tolerations\":[{\"key\":\"node.kubernetes.io/unschedulable\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}],"),
        cordoned));
  }

  @Test
  void nodeSelectorAndRequiredAffinity() {
    NodeAffinityFilter affinity = new NodeAffinityFilter();
    NodeSnapshot ssd = node("n1", "1", "1Gi", "\"labels\":{\"disk\":\"ssd\",\"zone\":\"a\",\"gen\":\"5\"}", "{}");
    String reason = "node(s) didn't match Pod's node affinity/selector";
    assertEquals(List.of(), affinity.filter(pod("a", "1m", "1Mi", "\"nodeSelector\":{\"disk\":\"ssd\"},"), ssd));
    assertEquals(List.of(reason), affinity.filter(pod("a", "1m", "1Mi", "\"nodeSelector\":{\"disk\":\"hdd\"},"), ssd));
    String required = """
        "affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[%s]}}},""";
    assertEquals(List.of(), affinity.filter(pod("a", "1m", "1Mi", required.formatted(
        "{\"matchExpressions\":[{\"key\":\"zone\",\"operator\":\"In\",\"values\":[\"a\",\"b\"]},"
            + "{\"key\":\"gen\",\"operator\":\"Gt\",\"values\":[\"4\"]}]}")), ssd));
    assertEquals(List.of(reason), affinity.filter(pod("a", "1m", "1Mi", required.formatted(
        "{\"matchExpressions\":[{\"key\":\"zone\",\"operator\":\"NotIn\",\"values\":[\"a\"]}]}")), ssd));
    assertEquals(List.of(), affinity.filter(pod("a", "1m", "1Mi", required.formatted(
        "{\"matchExpressions\":[{\"key\":\"gpu\",\"operator\":\"Exists\"}]},"
            + "{\"matchFields\":[{\"key\":\"metadata.name\",\"operator\":\"In\",\"values\":[\"n1\"]}]}")), ssd),
        "terms are ORed");
    assertEquals(List.of(reason), affinity.filter(pod("a", "1m", "1Mi", required.formatted(
        "{\"matchExpressions\":[{\"key\":\"gen\",\"operator\":\"Lt\",\"values\":[\"five\"]}]}")), ssd),
        "Lt with a value that is not a number matches nothing");
  }

  @Test
  void taintsMustBeTolerated() {
    TaintTolerationFilter taints = new TaintTolerationFilter();
    NodeSnapshot gpu = node("n1", "1", "1Gi", "\"ready\":true",
        "{\"taints\":[{\"key\":\"dedicated\",\"value\":\"gpu\",\"effect\":\"NoSchedule\"},"
            + "{\"key\":\"soft\",\"effect\":\"PreferNoSchedule\"}]}");
    assertEquals(List.of("node(s) had untolerated taint {dedicated: gpu}"), taints.filter(pod("a", "1m", "1Mi"), gpu));
    assertEquals(List.of(), taints.filter(pod("a", "1m", "1Mi",
        "\"tolerations\":[{\"key\":\"dedicated\",\"operator\":\"Equal\",\"value\":\"gpu\",\"effect\":\"NoSchedule\"}],"), gpu));
    assertEquals(List.of(), taints.filter(pod("a", "1m", "1Mi", "\"tolerations\":[{\"operator\":\"Exists\"}],"), gpu),
        "Exists without a key tolerates everything");
    assertEquals(List.of("node(s) had untolerated taint {dedicated: gpu}"), taints.filter(pod("a", "1m", "1Mi",
        "\"tolerations\":[{\"key\":\"dedicated\",\"operator\":\"Equal\",\"value\":\"cpu\"}],"), gpu));
    assertEquals(List.of("node(s) had untolerated taint {dedicated: gpu}"), taints.filter(pod("a", "1m", "1Mi",
        "\"tolerations\":[{\"key\":\"dedicated\",\"operator\":\"Exists\",\"effect\":\"NoExecute\"}],"), gpu),
        "a toleration of another effect does not count");
  }

  @Test
  void hostPortsMustBeFree() {
    HostPortsFilter ports = new HostPortsFilter();
    PodRequest web = PodRequest.of(dev.tugboat.model.Codec.convert(dev.tugboat.model.Codec.parseTree("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"w","namespace":"default","uid":"u"},
         "spec":{"containers":[{"name":"c","image":"i","ports":[{"containerPort":80,"hostPort":8080}]}]}}
        """.getBytes(), false), dev.tugboat.model.Pod.class));
    assertEquals(java.util.Set.of("TCP/8080"), web.hostPorts());
    NodeSnapshot node = node("n1", "1", "1Gi");
    assertEquals(List.of(), ports.filter(web, node));
    assertEquals(List.of("node(s) didn't have free ports for the requested pod ports"), ports.filter(web, node.withPod(web)));
    assertEquals(List.of(), ports.filter(web, node.withPod(web).withoutPod(web)));
    assertEquals(List.of(), ports.filter(pod("x", "1m", "1Mi"), node.withPod(web)));
  }
}
