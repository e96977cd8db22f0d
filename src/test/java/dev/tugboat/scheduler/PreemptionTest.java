package dev.tugboat.scheduler;

import static dev.tugboat.scheduler.Fixtures.node;
import static dev.tugboat.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The DefaultPreemption PostFilter plugin on snapshots: which node, which victims, and when none. */
class PreemptionTest {
  private final Preemption preemption = new Preemption(Placement.defaults());
  private final Map<String, NodeSnapshot> nodes = new HashMap<>();
  private final Map<String, List<PodRequest>> podsOn = new HashMap<>();

  private void node(String name, PodRequest... pods) {
    NodeSnapshot n = Fixtures.node(name, "2", "4Gi");
    for (PodRequest p : pods) n = n.withPod(p);
    nodes.put(name, n);
    podsOn.put(name, List.of(pods));
  }

  private static PodRequest p(String name, String cpu, int priority) {
    return pod(name, cpu, "128Mi").withPriority(priority, true);
  }

  private java.util.Optional<Preemption.Candidate> preempt(PodRequest pod, Preemption.Budgets budgets) {
    List<NodeSnapshot> ordered = nodes.keySet().stream().sorted().map(nodes::get).toList();
    return preemption.postFilter(pod, ordered, n -> podsOn.getOrDefault(n, List.of()), budgets);
  }

  private static Set<String> names(Preemption.Candidate c) {
    return Set.copyOf(c.victims().stream().map(PodRequest::name).toList());
  }

  @Test
  void evictsTheFewestLowestPriorityPodsThatMakeRoom() {
    // a: two 1-cpu pods of priority 10; b: one of priority 5 and one of 100
    node("a", p("a1", "1", 10), p("a2", "1", 10));
    node("b", p("b1", "1", 5), p("b2", "1", 100));
    PodRequest urgent = p("urgent", "1", 1000);
    Preemption.Candidate c = preempt(urgent, Preemption.Budgets.NONE).orElseThrow();
    assertEquals("b", c.node());
    assertEquals(Set.of("b1"), names(c)); // b2 is reprieved: the pod fits beside it
    assertEquals(0, c.violations());
  }

  @Test
  void onlyPodsOfLowerPriorityAreVictims() {
    node("a", p("a1", "1", 500), p("a2", "1", 500));
    assertTrue(preempt(p("mid", "1", 500), Preemption.Budgets.NONE).isEmpty(), "equal priority is never preempted");
    assertTrue(preempt(p("big", "3", 1000), Preemption.Budgets.NONE).isEmpty(), "no room even without every lower pod");
    // one of two equal pods is enough; the order by name makes the choice reproducible
    assertEquals(Set.of("a2"), names(preempt(p("high", "1", 1000), Preemption.Budgets.NONE).orElseThrow()));
  }

  @Test
  void preemptionPolicyNeverPreemptsNothing() {
    node("a", p("a1", "2", 0));
    PodRequest never = pod("polite", "1", "128Mi").withPriority(1000, false);
    assertTrue(preempt(never, Preemption.Budgets.NONE).isEmpty());
  }

  @Test
  void prefersANodeWhereNoDisruptionBudgetIsBroken() {
    // equal in every other way: one low pod each; a's is under a budget that allows no disruption
    node("a", p("guarded", "2", 1));
    node("b", p("free", "2", 1));
    Preemption.Budgets budgets = new Preemption.Budgets() {
      @Override
      public List<String> of(PodRequest pod) {
        return pod.name().equals("guarded") ? List.of("default/db") : List.of();
      }

      @Override
      public int allowed(String budget) {
        return 0;
      }
    };
    Preemption.Candidate c = preempt(p("urgent", "1", 1000), budgets).orElseThrow();
    assertEquals("b", c.node());
    assertEquals(Set.of("free"), names(c));
    // with b gone, the budget is broken where nothing else can be done, and says so
    nodes.remove("b");
    Preemption.Candidate forced = preempt(p("urgent", "1", 1000), budgets).orElseThrow();
    assertEquals("a", forced.node());
    assertEquals(1, forced.violations());
  }

  @Test
  void ofTwoLowerPodsTheLowerGoesAndTheOtherIsReprieved() {
    node("a", p("low", "1", 1), p("lower", "1", 0));
    assertEquals(Set.of("lower"), names(preempt(p("urgent", "1", 1000), Preemption.Budgets.NONE).orElseThrow()));
  }
}
