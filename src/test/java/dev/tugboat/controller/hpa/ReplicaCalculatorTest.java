package dev.tugboat.controller.hpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tugboat.controller.hpa.ReplicaCalculator.PodInfo;
import dev.tugboat.controller.hpa.ReplicaCalculator.Result;
import dev.tugboat.controller.hpa.ReplicaCalculator.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The replica arithmetic, with cases after Kubernetes' {@code replica_calculator_test.go} (expected
 * values worked out by its rules: the ratio, the tolerance, unready and missing pods).
 */
class ReplicaCalculatorTest {
  private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
  private static final ReplicaCalculator.Settings K8S = ReplicaCalculator.Settings.KUBERNETES;
  private static final Duration WINDOW = Duration.ofSeconds(10);

  /** A pod started long ago (past the CPU initialization period), Ready since then. */
  private static PodInfo ready(String name, long request) {
    return new PodInfo(name, false, "Running", true, NOW.minus(Duration.ofHours(1)), NOW.minus(Duration.ofHours(1)), request);
  }

  private static Map<String, Sample> samples(long... values) {
    Map<String, Sample> m = new HashMap<>();
    for (int i = 0; i < values.length; i++) m.put("p" + i, new Sample(values[i], NOW.minusSeconds(1), WINDOW));
    return m;
  }

  private static List<PodInfo> pods(int n, long request) {
    List<PodInfo> pods = new ArrayList<>();
    for (int i = 0; i < n; i++) pods.add(ready("p" + i, request));
    return pods;
  }

  @Test
  void scaleUp() throws Exception {
    Result r = ReplicaCalculator.utilization(3, 30, true, pods(3, 1000), samples(300, 500, 700), K8S, NOW);
    assertEquals(5, r.replicas());
    assertEquals(50, r.utilization());
    assertEquals(500, r.average());
  }

  @Test
  void scaleDown() throws Exception {
    Result r = ReplicaCalculator.utilization(5, 50, true, pods(5, 1000), samples(100, 300, 500, 250, 250), K8S, NOW);
    assertEquals(3, r.replicas());
    assertEquals(28, r.utilization());
  }

  @Test
  void withinTheToleranceNothingChanges() throws Exception {
    List<PodInfo> pods = List.of(ready("p0", 900), ready("p1", 1000), ready("p2", 1100));
    Result r = ReplicaCalculator.utilization(3, 100, true, pods, samples(1080, 890, 1010), K8S, NOW);
    assertEquals(3, r.replicas());
    assertEquals(99, r.utilization());
  }

  @Test
  void theToleranceComesFromTheSettings() throws Exception {
    var strict = new ReplicaCalculator.Settings(0.0, K8S.cpuInitialization(), K8S.initialReadinessDelay());
    List<PodInfo> pods = List.of(ready("p0", 900), ready("p1", 1000), ready("p2", 1100));
    assertEquals(4, ReplicaCalculator.utilization(3, 95, true, pods, samples(1080, 890, 1010), strict, NOW).replicas(),
        "99 % of 95 %: ceil(3 * 1.04)");
    assertEquals(3, ReplicaCalculator.utilization(3, 95, true, pods, samples(1080, 890, 1010), K8S, NOW).replicas(),
        "within 10 %");
  }

  @Test
  void anUnreadyPodCountsAsIdleWhenScalingUp() throws Exception {
    List<PodInfo> pods = new ArrayList<>(pods(3, 1000));
    // started a minute ago (within the CPU initialization period) and not Ready
    pods.set(0, new PodInfo("p0", false, "Running", false, NOW.minusSeconds(60), NOW.minusSeconds(60), 1000L));
    Result r = ReplicaCalculator.utilization(3, 30, true, pods, samples(300, 500, 700), K8S, NOW);
    assertEquals(4, r.replicas(), "(0 + 500 + 700) / 3000 = 40 %: ceil(3 * 40/30)");
    assertEquals(60, r.utilization(), "what the ready pods use");
  }

  @Test
  void unreadyPodsAreLeftOutWhenScalingDown() throws Exception {
    List<PodInfo> pods = new ArrayList<>(pods(5, 1000));
    pods.set(0, new PodInfo("p0", false, "Pending", null, null, null, 1000L));
    pods.set(1, new PodInfo("p1", false, "Running", false, NOW.minusSeconds(30), NOW.minusSeconds(30), 1000L));
    Result r = ReplicaCalculator.utilization(5, 50, true, pods, samples(100, 300, 500, 250, 250), K8S, NOW);
    assertEquals(2, r.replicas(), "1000 / 3000 = 33 % over the three ready pods: ceil(3 * 33/50)");
    assertEquals(33, r.utilization());
  }

  @Test
  void aCpuSampleTakenBeforeAWholeWindowOfReadinessIsUnready() throws Exception {
    List<PodInfo> pods = new ArrayList<>(pods(2, 1000));
    // Ready 5 s ago, started 20 s ago: a 10 s window measured up to 1 s ago began before it was Ready
    pods.set(1, new PodInfo("p1", false, "Running", true, NOW.minusSeconds(5), NOW.minusSeconds(20), 1000L));
    Result r = ReplicaCalculator.utilization(2, 50, true, pods, samples(500, 2000), K8S, NOW);
    assertEquals(2, r.replicas(), "p1's start-up burst is not load: p0 alone is at the target; p1 unready, idle, ratio lower");
    assertEquals(50, r.utilization());
  }

  @Test
  void pastItsStartAPodThatWasReadyOnceCounts() throws Exception {
    // not Ready now, but its last transition came well after its start: it was Ready, its CPU counts
    PodInfo flapped = new PodInfo("p1", false, "Running", false, NOW.minusSeconds(60), NOW.minus(Duration.ofHours(1)), 1000L);
    Result r = ReplicaCalculator.utilization(2, 50, true, List.of(ready("p0", 1000), flapped), samples(1000, 1000), K8S, NOW);
    assertEquals(4, r.replicas());
    // never Ready since its start: ignored for CPU
    PodInfo never = new PodInfo("p1", false, "Running", false, NOW.minus(Duration.ofHours(1)).plusSeconds(5),
        NOW.minus(Duration.ofHours(1)), 1000L);
    Result r2 = ReplicaCalculator.utilization(2, 50, true, List.of(ready("p0", 1000), never), samples(1000, 1000), K8S, NOW);
    assertEquals(2, r2.replicas(), "p0 at 100 %: ratio 2 over one ready pod, the unready one as idle: (1000 + 0) / 2000 = 50 %");
  }

  @Test
  void readinessDoesNotMatterForMemory() throws Exception {
    PodInfo starting = new PodInfo("p1", false, "Running", false, NOW.minusSeconds(5), NOW.minusSeconds(20), 1000L);
    Result r = ReplicaCalculator.utilization(2, 50, false, List.of(ready("p0", 1000), starting), samples(1000, 1000), K8S, NOW);
    assertEquals(4, r.replicas());
  }

  @Test
  void missingPodsCountAsUsingTheirRequestWhenScalingDown() throws Exception {
    Map<String, Sample> s = samples(100, 100, 100);
    Result r = ReplicaCalculator.utilization(4, 50, true, pods(4, 1000), s, K8S, NOW);
    assertEquals(3, r.replicas(), "(300 + 1000) / 4000 = 32 %: ceil(4 * 0.64)");
    assertEquals(10, r.utilization(), "the measured pods' utilization is reported");
  }

  @Test
  void missingPodsCountAsIdleWhenScalingUpAndMayCancelIt() throws Exception {
    Result r = ReplicaCalculator.utilization(2, 50, true, pods(2, 1000), samples(1000), K8S, NOW);
    assertEquals(2, r.replicas(), "1000 / 2000 = 50 %: at the target once the missing pod counts as idle");
    Result up = ReplicaCalculator.utilization(2, 50, true, pods(2, 1000), samples(3000), K8S, NOW);
    assertEquals(6, up.replicas(), "(3000 + 0) / 2000 = 150 %: ceil(2 * 150/50)");
  }

  @Test
  void deletedAndFailedPodsAreIgnored() throws Exception {
    List<PodInfo> pods = new ArrayList<>(pods(4, 1000));
    pods.set(2, new PodInfo("p2", true, "Running", true, NOW.minus(Duration.ofHours(1)), NOW.minus(Duration.ofHours(1)), 1000L));
    pods.set(3, new PodInfo("p3", false, "Failed", null, null, null, 1000L));
    Result r = ReplicaCalculator.utilization(4, 50, true, pods, samples(500, 500, 9000, 9000), K8S, NOW);
    assertEquals(4, r.replicas(), "50 % over p0 and p1: at the target");
    assertEquals(50, r.utilization());
  }

  @Test
  void averageValue() throws Exception {
    long mi = 1024L * 1024 * 1000; // a MiB in thousandths
    Result r = ReplicaCalculator.averageValue(2, 100 * mi, false, pods(2, 0), samples(200 * mi, 100 * mi), K8S, NOW);
    assertEquals(3, r.replicas());
    assertNull(r.utilization());
    assertEquals(150 * mi, r.average());
  }

  @Test
  void averageValueMissingPodsScalingDownCountAsAtTheTarget() throws Exception {
    Result r = ReplicaCalculator.averageValue(4, 1000, true, pods(4, 0), samples(100, 100, 100), K8S, NOW);
    assertEquals(2, r.replicas(), "(300 + 1000) / 4 = 325 per pod: ceil(4 * 0.325)");
  }

  @Test
  void failuresSayWhyAsKubernetes() {
    var none = assertThrows(ReplicaCalculator.MetricsUnavailable.class,
        () -> ReplicaCalculator.utilization(1, 50, true, List.of(), Map.of(), K8S, NOW));
    assertEquals("no pods returned by selector while calculating replica count", none.getMessage());
    var noMetrics = assertThrows(ReplicaCalculator.MetricsUnavailable.class,
        () -> ReplicaCalculator.utilization(1, 50, true, pods(1, 1000), Map.of(), K8S, NOW));
    assertTrue(noMetrics.getMessage().startsWith("did not receive metrics for targeted pods"), noMetrics.getMessage());
    var noRequest = assertThrows(ReplicaCalculator.MetricsUnavailable.class,
        () -> ReplicaCalculator.utilization(1, 50, true, List.of(new PodInfo("p0", false, "Running", true,
            NOW.minus(Duration.ofHours(1)), NOW.minus(Duration.ofHours(1)), null)), samples(100), K8S, NOW));
    assertEquals("missing request for cpu in pod p0", noRequest.getMessage());
  }
}
