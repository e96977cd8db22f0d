package dev.tugboat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tugboat.model.Codec;
import dev.tugboat.model.Pod;
import dev.tugboat.runtime.ContainerRuntime.ContainerInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pod status the agent reports, from what it observed; phases as Kubernetes' getPhase. */
class PodStatusesTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  private static Pod pod(String restartPolicy) {
    return Codec.convert(Codec.parseTree(("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default","uid":"u1"},
         "spec":{"restartPolicy":"%s","nodeName":"n1","containers":[{"name":"a","image":"img"}]},
         "status":{"conditions":[{"type":"Ready","status":"False","lastTransitionTime":"2026-11-23T09:00:00Z"}]}}
        """).formatted(restartPolicy).getBytes(), false), Pod.class);
  }

  private static ContainerInfo run(String id, ContainerInfo.State state, Integer exit) {
    return new ContainerInfo(id, "img", Map.of(), state, exit, T0.minusSeconds(30),
        state == ContainerInfo.State.EXITED ? T0.minusSeconds(5) : null, null);
  }

  private static PodStatuses.Observed observed(ContainerInfo latest, ContainerInfo previous, boolean ready, String waiting) {
    return new PodStatuses.Observed("a", "img", latest, previous, previous == null ? 0 : 1, ready, true, waiting,
        waiting == null ? null : "why");
  }

  private static String condition(Pod.Status s, String type) {
    return s.conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow().status();
  }

  @Test
  void aRunningReadyContainerMakesARunningReadyPod() {
    Pod.Status s = PodStatuses.compute(pod("Always"), List.of(observed(run("c1", ContainerInfo.State.RUNNING, null), null, true, null)),
        "127.0.0.1", "172.17.0.5", List.of(new Pod.PublishedPort("a", "http", 80, "TCP", "127.0.0.1", 32000)), T0);
    assertEquals("Running", s.phase());
    assertEquals("True", condition(s, "Ready"));
    assertEquals("True", condition(s, "ContainersReady"));
    assertEquals("True", condition(s, "PodScheduled"));
    assertEquals("172.17.0.5", s.podIP());
    assertEquals("docker://c1", s.containerStatuses().get(0).containerID());
    assertEquals(T0.minusSeconds(30), s.containerStatuses().get(0).state().running().startedAt());
    assertEquals(32000, s.publishedPorts().get(0).hostPort());
  }

  @Test
  void notReadyKeepsTheTransitionTimeOfAnUnchangedCondition() {
    Pod.Status s = PodStatuses.compute(pod("Always"), List.of(observed(run("c1", ContainerInfo.State.RUNNING, null), null, false, null)),
        "127.0.0.1", null, List.of(), T0);
    assertEquals("Running", s.phase());
    Pod.Condition ready = s.conditions().stream().filter(c -> c.type().equals("Ready")).findFirst().orElseThrow();
    assertEquals("False", ready.status());
    assertEquals("ContainersNotReady", ready.reason());
    assertEquals(Instant.parse("2026-11-23T09:00:00Z"), ready.lastTransitionTime());
    assertNull(s.publishedPorts());
  }

  @Test
  void aCrashLoopShowsWaitingWithTheLastTermination() {
    ContainerInfo crashed = run("c2", ContainerInfo.State.EXITED, 3);
    Pod.Status s = PodStatuses.compute(pod("Always"), List.of(observed(crashed, run("c1", ContainerInfo.State.EXITED, 3), false,
        "CrashLoopBackOff")), "127.0.0.1", null, List.of(), T0);
    Pod.ContainerStatus c = s.containerStatuses().get(0);
    assertEquals("CrashLoopBackOff", c.state().waiting().reason());
    assertEquals(3, c.lastState().terminated().exitCode());
    assertEquals("Error", c.lastState().terminated().reason());
    assertEquals("docker://c2", c.lastState().terminated().containerID());
    assertEquals("Running", s.phase(), "restartPolicy Always: the pod keeps running");
  }

  @Test
  void finishedContainersEndThePodPerRestartPolicy() {
    assertEquals("Succeeded", PodStatuses.phase("Never", 1, 0, 1, 0, 0));
    assertEquals("Failed", PodStatuses.phase("Never", 2, 0, 1, 1, 0));
    assertEquals("Succeeded", PodStatuses.phase("OnFailure", 1, 0, 1, 0, 0));
    assertEquals("Running", PodStatuses.phase("OnFailure", 1, 0, 0, 1, 0));
    assertEquals("Running", PodStatuses.phase("Always", 1, 0, 1, 0, 0));
    assertEquals("Pending", PodStatuses.phase("Always", 2, 0, 0, 0, 2));
    assertEquals("Running", PodStatuses.phase("Always", 2, 1, 0, 0, 1));
    Pod.Status done = PodStatuses.compute(pod("Never"), List.of(observed(run("c1", ContainerInfo.State.EXITED, 0), null, false, null)),
        "127.0.0.1", null, List.of(), T0);
    assertEquals("Succeeded", done.phase());
    assertEquals("Completed", done.containerStatuses().get(0).state().terminated().reason());
    assertEquals("PodCompleted", done.conditions().stream().filter(c -> c.type().equals("Ready")).findFirst().orElseThrow().reason());
  }

  @Test
  void aContainerNotYetCreatedIsPendingContainerCreating() {
    Pod.Status s = PodStatuses.compute(pod("Always"), List.of(observed(null, null, false, null)), "127.0.0.1", null, List.of(), T0);
    assertEquals("Pending", s.phase());
    assertEquals("ContainerCreating", s.containerStatuses().get(0).state().waiting().reason());
  }
}
