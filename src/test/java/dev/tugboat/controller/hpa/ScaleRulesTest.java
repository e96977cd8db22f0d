package dev.tugboat.controller.hpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tugboat.controller.hpa.ScaleRules.History;
import dev.tugboat.controller.hpa.ScaleRules.Outcome;
import dev.tugboat.controller.hpa.ScaleRules.Recommendation;
import dev.tugboat.controller.hpa.ScaleRules.ScaleEvent;
import dev.tugboat.kinds.hpa.HorizontalPodAutoscaler.Policy;
import dev.tugboat.kinds.hpa.HorizontalPodAutoscaler.Rules;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stabilization windows, rate limits and bounds, after Kubernetes' horizontal_test.go normalization cases. */
class ScaleRulesTest {
  private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
  private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
  private static final Rules UP = ScaleRules.scaleUpDefaults(null);
  private static final Rules DOWN = ScaleRules.scaleDownDefaults(null, FIVE_MINUTES);

  private static History recommended(int replicas, Duration ago) {
    return new History(List.of(new Recommendation(replicas, NOW.minus(ago))), List.of());
  }

  @Test
  void defaultsAreKubernetes() {
    assertEquals(0, UP.stabilizationWindowSeconds());
    assertEquals("Max", UP.selectPolicy());
    assertEquals(List.of(new Policy("Pods", 4, 15), new Policy("Percent", 100, 15)), UP.policies());
    assertEquals(300, DOWN.stabilizationWindowSeconds(), "the controller's window when the HPA names none");
    assertEquals(List.of(new Policy("Percent", 100, 15)), DOWN.policies());
    assertEquals(60, ScaleRules.scaleDownDefaults(new Rules(60, null, null), FIVE_MINUTES).stabilizationWindowSeconds());
  }

  @Test
  void withoutBehaviorAScaleDownWaitsForTheHighestRecentRecommendation() {
    Outcome held = ScaleRules.withoutBehavior(recommended(5, Duration.ofSeconds(10)), 5, 2, 1, 10, FIVE_MINUTES, NOW);
    assertEquals(5, held.replicas());
    assertEquals("ScaleDownStabilized", held.stabilization().reason());
    assertFalse(held.limited());
    assertEquals(2, held.history().recommendations().size(), "the new recommendation is remembered");

    Outcome gone = ScaleRules.withoutBehavior(recommended(5, Duration.ofMinutes(6)), 5, 2, 1, 10, FIVE_MINUTES, NOW);
    assertEquals(2, gone.replicas());
    assertEquals("ReadyForNewScale", gone.stabilization().reason());
    assertEquals(List.of(new Recommendation(2, NOW)), gone.history().recommendations(), "older than the window: forgotten");
  }

  @Test
  void withoutBehaviorAScaleUpIsAtMostDoubleOrFour() {
    Outcome fast = ScaleRules.withoutBehavior(History.EMPTY, 1, 10, 1, 20, FIVE_MINUTES, NOW);
    assertEquals(4, fast.replicas());
    assertEquals("ScaleUpLimit", fast.limit().reason());
    assertTrue(fast.limited());
    assertEquals(10, ScaleRules.withoutBehavior(History.EMPTY, 5, 12, 1, 20, FIVE_MINUTES, NOW).replicas());
    Outcome max = ScaleRules.withoutBehavior(History.EMPTY, 2, 10, 1, 3, FIVE_MINUTES, NOW);
    assertEquals(3, max.replicas());
    assertEquals("TooManyReplicas", max.limit().reason());
    Outcome min = ScaleRules.withoutBehavior(History.EMPTY, 2, 0, 1, 3, FIVE_MINUTES, NOW);
    assertEquals(1, min.replicas());
    assertEquals("TooFewReplicas", min.limit().reason());
    Outcome within = ScaleRules.withoutBehavior(History.EMPTY, 2, 3, 1, 5, FIVE_MINUTES, NOW);
    assertEquals("DesiredWithinRange", within.limit().reason());
    assertFalse(within.limited());
  }

  @Test
  void defaultScaleUpPoliciesAllowFourPodsOrDoublePerPeriod() {
    Outcome o = ScaleRules.withBehavior(History.EMPTY, 2, 10, 1, 20, UP, DOWN, NOW);
    assertEquals(6, o.replicas(), "max(2 + 4, 2 * 2)");
    assertEquals("ScaleUpLimit", o.limit().reason());
    assertEquals(20, ScaleRules.withBehavior(History.EMPTY, 10, 30, 1, 20, UP, DOWN, NOW).replicas(),
        "max(14, 20) = 20, then the maximum");
  }

  @Test
  void rescalesWithinThePeriodCountAgainstIt() {
    History scaled = new History(List.of(), List.of(new ScaleEvent(4, NOW.minusSeconds(5))));
    Outcome o = ScaleRules.withBehavior(scaled, 6, 10, 1, 20, UP, DOWN, NOW);
    assertEquals(6, o.replicas(), "the period began at 2: 2 + 4 = 6 already reached");
    History old = new History(List.of(), List.of(new ScaleEvent(4, NOW.minusSeconds(20))));
    assertEquals(10, ScaleRules.withBehavior(old, 6, 10, 1, 20, UP, DOWN, NOW).replicas(), "a period later: 12 allowed");
  }

  @Test
  void scaleDownPoliciesAndTheirSelection() {
    Rules onePerMinute = new Rules(0, "Max", List.of(new Policy("Pods", 1, 60)));
    Outcome o = ScaleRules.withBehavior(History.EMPTY, 5, 1, 1, 10, UP, onePerMinute, NOW);
    assertEquals(4, o.replicas());
    assertEquals("ScaleDownLimit", o.limit().reason());
    Rules two = new Rules(0, "Min", List.of(new Policy("Pods", 1, 60), new Policy("Percent", 50, 60)));
    assertEquals(5, ScaleRules.withBehavior(History.EMPTY, 6, 1, 1, 10, UP, two, NOW).replicas(),
        "Min picks the smaller change: 6 - 1 = 5 rather than 6 * 50 % = 3");
    Rules most = new Rules(0, "Max", two.policies());
    assertEquals(3, ScaleRules.withBehavior(History.EMPTY, 6, 1, 1, 10, UP, most, NOW).replicas(), "Max the larger one");
  }

  @Test
  void disabledDirectionsDoNotMove() {
    Rules disabled = new Rules(0, "Disabled", List.of(new Policy("Percent", 100, 15)));
    assertEquals(5, ScaleRules.withBehavior(History.EMPTY, 5, 1, 1, 10, UP, disabled, NOW).replicas());
    assertEquals(5, ScaleRules.withBehavior(History.EMPTY, 5, 9, 1, 10, disabled, DOWN, NOW).replicas());
  }

  @Test
  void aScaleUpWindowTakesTheLowestRecentRecommendation() {
    Rules slowUp = new Rules(60, "Max", UP.policies());
    Outcome o = ScaleRules.withBehavior(recommended(3, Duration.ofSeconds(30)), 3, 6, 1, 10, slowUp, DOWN, NOW);
    assertEquals(3, o.replicas());
    assertEquals("ScaleUpStabilized", o.stabilization().reason());
  }

  @Test
  void aShortScaleDownWindowLetsTheReplicasGoOnceItHasPassed() {
    Rules quick = new Rules(12, "Max", DOWN.policies());
    assertEquals(3, ScaleRules.withBehavior(recommended(3, Duration.ofSeconds(5)), 3, 1, 1, 3, UP, quick, NOW).replicas());
    assertEquals(1, ScaleRules.withBehavior(recommended(3, Duration.ofSeconds(13)), 3, 1, 1, 3, UP, quick, NOW).replicas());
  }

  @Test
  void historyKeepsRescalesForTheLongestPeriodOnly() {
    History h = History.EMPTY.rescaled(1, 3, NOW.minusSeconds(100), Duration.ofSeconds(15)).rescaled(3, 1, NOW, Duration.ofSeconds(15));
    assertEquals(List.of(new ScaleEvent(-2, NOW)), h.events());
    assertEquals(Duration.ofSeconds(60), ScaleRules.longestPeriod(UP, new Rules(0, "Max", List.of(new Policy("Pods", 1, 60)))));
  }
}
