package dev.tugboat.kinds.poddisruptionbudget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import dev.tugboat.model.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The disruption controller's status arithmetic and the eviction's rules, as Kubernetes has them. */
class DisruptionBudgetsTest {
  private static final Instant NOW = Instant.parse("2026-12-04T09:00:00Z");

  private static ObjectNode json(String text) {
    return (ObjectNode) Codec.parseTree(text.getBytes(), false);
  }

  private static ObjectNode pdb(String spec, String status) {
    return json("""
        {"apiVersion":"policy/v1","kind":"PodDisruptionBudget",
         "metadata":{"name":"web","namespace":"default","generation":1},
         "spec":{%s"selector":{"matchLabels":{"app":"web"}}},"status":%s}""".formatted(spec, status));
  }

  private static ObjectNode pod(String name, boolean ready, boolean deleting) {
    return json("""
        {"metadata":{"name":"%s","namespace":"default","labels":{"app":"web"}%s},
         "status":{"phase":"Running","conditions":[{"type":"Ready","status":"%s"}]}}"""
        .formatted(name, deleting ? ",\"deletionTimestamp\":\"2026-12-04T08:59:00Z\"" : "", ready ? "True" : "False"));
  }

  private static List<ObjectNode> pods(int ready, int notReady) {
    List<ObjectNode> pods = new ArrayList<>();
    for (int i = 0; i < ready; i++) pods.add(pod("r" + i, true, false));
    for (int i = 0; i < notReady; i++) pods.add(pod("n" + i, false, false));
    return pods;
  }

  @Test
  void minAvailableAsANumberCountsTheSelectedPods() {
    ObjectNode s = DisruptionBudgets.status(pdb("\"minAvailable\":2,", "{}"), pods(3, 0), null, NOW);
    assertEquals(3, s.path("currentHealthy").asInt());
    assertEquals(2, s.path("desiredHealthy").asInt());
    assertEquals(3, s.path("expectedPods").asInt());
    assertEquals(1, s.path("disruptionsAllowed").asInt());
    assertEquals(1, s.path("observedGeneration").asInt());
    assertEquals("True", s.path("conditions").get(0).path("status").asText());
    assertEquals("SufficientPods", s.path("conditions").get(0).path("reason").asText());
    ObjectNode short_ = DisruptionBudgets.status(pdb("\"minAvailable\":2,", "{}"), pods(2, 1), null, NOW);
    assertEquals(0, short_.path("disruptionsAllowed").asInt());
    assertEquals("InsufficientPods", short_.path("conditions").get(0).path("reason").asText());
  }

  @Test
  void maxUnavailableAndPercentagesUseTheControllersScale() {
    // 4 wanted by the Deployment, 3 exist and are ready: maxUnavailable 1 leaves 3 desired, nothing to spare
    ObjectNode s = DisruptionBudgets.status(pdb("\"maxUnavailable\":1,", "{}"), pods(3, 0), 4, NOW);
    assertEquals(4, s.path("expectedPods").asInt());
    assertEquals(3, s.path("desiredHealthy").asInt());
    assertEquals(0, s.path("disruptionsAllowed").asInt());
    // 50 % of 5, rounded up: 3 must be healthy
    ObjectNode p = DisruptionBudgets.status(pdb("\"minAvailable\":\"50%\",", "{}"), pods(5, 0), 5, NOW);
    assertEquals(3, p.path("desiredHealthy").asInt());
    assertEquals(2, p.path("disruptionsAllowed").asInt());
    // maxUnavailable 30 % of 5 rounds up to 2
    assertEquals(3, DisruptionBudgets.status(pdb("\"maxUnavailable\":\"30%\",", "{}"), pods(5, 0), 5, NOW)
        .path("desiredHealthy").asInt());
    // no controller with a scale: nothing allowed, and the condition says why
    ObjectNode failed = DisruptionBudgets.status(pdb("\"maxUnavailable\":1,", "{}"), pods(3, 0), null, NOW);
    assertEquals(0, failed.path("disruptionsAllowed").asInt());
    assertEquals("SyncFailed", failed.path("conditions").get(0).path("reason").asText());
  }

  @Test
  void evictedAndDeletedPodsAreNotHealthyAndOldEvictionsExpire() {
    List<ObjectNode> pods = new ArrayList<>(pods(3, 0));
    pods.add(pod("going", true, true));
    ObjectNode pdb = pdb("\"minAvailable\":2,", """
        {"disruptedPods":{"r0":"2026-12-04T08:59:30Z","r1":"2026-12-04T08:50:00Z","gone":"2026-12-04T08:59:50Z"}}""");
    ObjectNode s = DisruptionBudgets.status(pdb, pods, null, NOW);
    // r0 evicted 30 s ago (pending), r1's eviction is older than 2 minutes (lost: counts again), gone is gone
    assertEquals("{\"r0\":\"2026-12-04T08:59:30Z\"}", s.path("disruptedPods").toString());
    assertEquals(2, s.path("currentHealthy").asInt()); // r1, r2
    assertEquals(0, s.path("disruptionsAllowed").asInt());
  }

  @Test
  void anEvictionSpendsADisruptionAndRecordsThePod() {
    ObjectNode pdb = pdb("\"minAvailable\":2,", "{\"observedGeneration\":1,\"disruptionsAllowed\":1,"
        + "\"currentHealthy\":3,\"desiredHealthy\":2,\"expectedPods\":3}");
    var allowed = assertInstanceOf(DisruptionBudgets.Allowed.class, DisruptionBudgets.evict(pdb, pod("r0", true, false), NOW));
    assertEquals(0, allowed.budgetStatus().path("disruptionsAllowed").asInt());
    assertEquals("2026-12-04T09:00:00Z", allowed.budgetStatus().path("disruptedPods").path("r0").asText());
    // the next one, against the spent budget, is refused with kube-apiserver's 429
    pdb.set("status", allowed.budgetStatus());
    Status refused = assertInstanceOf(DisruptionBudgets.Refused.class,
        DisruptionBudgets.evict(pdb, pod("r1", true, false), NOW)).status();
    assertEquals(429, refused.code());
    assertEquals("TooManyRequests", refused.reason());
    assertEquals("Cannot evict pod as it would violate the pod's disruption budget.", refused.message());
    assertEquals("The disruption budget web needs 2 healthy pods and has 3 currently",
        refused.details().causes().get(0).message());
    assertEquals("DisruptionBudget", refused.details().causes().get(0).reason());
  }

  @Test
  void unhealthyPodsAndBudgetsNotYetObserved() {
    ObjectNode met = pdb("\"minAvailable\":2,", "{\"observedGeneration\":1,\"disruptionsAllowed\":0,"
        + "\"currentHealthy\":2,\"desiredHealthy\":2}");
    // an unready pod of a budget that is met takes nothing from it
    assertNull(assertInstanceOf(DisruptionBudgets.Allowed.class,
        DisruptionBudgets.evict(met, pod("n0", false, false), NOW)).budgetStatus());
    ObjectNode unmet = pdb("\"minAvailable\":2,\"unhealthyPodEvictionPolicy\":\"AlwaysAllow\",",
        "{\"observedGeneration\":1,\"disruptionsAllowed\":0,\"currentHealthy\":1,\"desiredHealthy\":2}");
    assertInstanceOf(DisruptionBudgets.Allowed.class, DisruptionBudgets.evict(unmet, pod("n0", false, false), NOW));
    ObjectNode unobserved = pdb("\"minAvailable\":2,", "{\"observedGeneration\":0,\"disruptionsAllowed\":5}");
    Status s = ((DisruptionBudgets.Refused) DisruptionBudgets.evict(unobserved, pod("r0", true, false), NOW)).status();
    assertEquals(429, s.code());
    assertTrue(s.details().causes().get(0).message().contains("still being processed"));
  }

  @Test
  void selectsByNamespaceAndSelectorAndNothingWithoutOne() {
    ObjectNode pdb = pdb("", "{}");
    assertTrue(DisruptionBudgets.selects(pdb, pod("a", true, false)));
    ObjectNode other = pod("b", true, false);
    ((ObjectNode) other.get("metadata")).put("namespace", "prod");
    assertEquals(false, DisruptionBudgets.selects(pdb, other));
    ((ObjectNode) pdb.get("spec")).remove("selector");
    assertEquals(false, DisruptionBudgets.selects(pdb, pod("a", true, false)));
  }
}
