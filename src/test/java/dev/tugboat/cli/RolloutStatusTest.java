package dev.tugboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tugboat.model.Codec;
import org.junit.jupiter.api.Test;

/** The rollout messages kubectl prints, from the Deployment's status fields. */
class RolloutStatusTest {
  private static RolloutStatus of(String yaml) {
    return RolloutStatus.of(Codec.parseTree(("metadata: {name: web, generation: 3}\n" + yaml).getBytes(), true));
  }

  @Test
  void eachStageOfARollout() {
    assertEquals(new RolloutStatus("Waiting for deployment spec update to be observed...", false, false),
        of("spec: {replicas: 3}\nstatus: {observedGeneration: 2}"));
    assertEquals(new RolloutStatus("Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...",
        false, false), of("spec: {replicas: 3}\nstatus: {observedGeneration: 3, updatedReplicas: 1, replicas: 3}"));
    assertEquals(new RolloutStatus("Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...",
        false, false), of("spec: {replicas: 3}\nstatus: {observedGeneration: 3, updatedReplicas: 3, replicas: 4}"));
    assertEquals(new RolloutStatus("Waiting for deployment \"web\" rollout to finish: 2 of 3 updated replicas are available...",
        false, false),
        of("spec: {replicas: 3}\nstatus: {observedGeneration: 3, updatedReplicas: 3, replicas: 3, availableReplicas: 2}"));
    assertEquals(new RolloutStatus("deployment \"web\" successfully rolled out", true, false),
        of("spec: {replicas: 3}\nstatus: {observedGeneration: 3, updatedReplicas: 3, replicas: 3, availableReplicas: 3}"));
  }

  @Test
  void aPassedProgressDeadlineFails() {
    assertEquals(new RolloutStatus("deployment \"web\" exceeded its progress deadline", false, true),
        of("""
            spec: {replicas: 3}
            status:
              observedGeneration: 3
              updatedReplicas: 1
              conditions: [{type: Progressing, status: "False", reason: ProgressDeadlineExceeded}]
            """));
  }
}
