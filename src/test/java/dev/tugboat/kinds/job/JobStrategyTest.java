package dev.tugboat.kinds.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy.Admission;
import dev.tugboat.model.Codec;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobStrategyTest {
  private final JobStrategy strategy = new JobStrategy();

  private static ObjectNode yaml(String text) {
    return (ObjectNode) Codec.parseTree(text.getBytes(), true, false);
  }

  private static ObjectNode job(String spec) {
    ObjectNode job = yaml("""
        apiVersion: batch/v1
        kind: Job
        metadata: {name: pi, namespace: default, uid: 0a1b}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: pi, image: busybox, command: [sh, -c, "exit 0"]}]
        """);
    ((ObjectNode) job.get("spec")).setAll(yaml(spec.isBlank() ? "{}" : spec));
    return job;
  }

  private static List<String> causes(Admission a) {
    assertNotNull(a.failure(), "refused");
    assertEquals(422, a.failure().code());
    return a.failure().details().causes().stream().map(c -> c.field() + ": " + c.message()).toList();
  }

  @Test
  void defaultsAsKubernetesAndGeneratesTheSelectorFromTheUid() {
    Admission a = strategy.admitCreate(job(""));
    assertNull(a.failure(), () -> String.valueOf(a.failure()));
    ObjectNode spec = (ObjectNode) a.object().get("spec");
    assertEquals(1, spec.path("parallelism").asInt());
    assertEquals(1, spec.path("completions").asInt());
    assertEquals(6, spec.path("backoffLimit").asInt());
    assertEquals("NonIndexed", spec.path("completionMode").asText());
    assertEquals(false, spec.path("suspend").asBoolean(true));
    assertEquals("0a1b", spec.path("selector").path("matchLabels").path(Job.CONTROLLER_UID).asText());
    ObjectNode labels = (ObjectNode) spec.path("template").path("metadata").path("labels");
    assertEquals("0a1b", labels.path("controller-uid").asText());
    assertEquals("pi", labels.path(Job.JOB_NAME).asText());
    assertEquals("pi", labels.path("job-name").asText());
    // Defaulting twice changes nothing.
    assertEquals(a.object(), strategy.admitCreate(a.object().deepCopy()).object());
  }

  @Test
  void parallelismAloneIsAWorkQueueWithoutCompletions() {
    Admission a = strategy.admitCreate(job("parallelism: 3"));
    assertNull(a.failure());
    assertTrue(a.object().path("spec").path("completions").isMissingNode());
  }

  @Test
  void refusesBadNumbersNamingEachField() {
    List<String> causes = causes(strategy.admitCreate(job("""
        parallelism: -1
        completions: -2
        backoffLimit: -3
        activeDeadlineSeconds: 0
        ttlSecondsAfterFinished: -4
        """)));
    assertEquals(List.of(
        "spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
        "spec.completions: Invalid value: -2: must be greater than or equal to 0",
        "spec.activeDeadlineSeconds: Invalid value: 0: must be greater than or equal to 1",
        "spec.backoffLimit: Invalid value: -3: must be greater than or equal to 0",
        "spec.ttlSecondsAfterFinished: Invalid value: -4: must be greater than or equal to 0"), causes);
    assertEquals(List.of("spec.parallelism: Invalid value: 1000000: must be less than or equal to 100000"),
        causes(strategy.admitCreate(job("parallelism: 1000000"))));
  }

  @Test
  void indexedNeedsCompletionsAndRestartPolicyMustLetItFinish() {
    assertEquals(List.of("spec.completions: Required value: when completion mode is Indexed"),
        causes(strategy.admitCreate(job("{completionMode: Indexed, parallelism: 2}"))));
    ObjectNode always = job("");
    ((ObjectNode) always.at("/spec/template/spec")).put("restartPolicy", "Always");
    assertEquals(List.of("spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: "
        + "\"OnFailure\", \"Never\""), causes(strategy.admitCreate(always)));
  }

  @Test
  void aSelectorOfOneselfNeedsManualSelector() {
    List<String> causes = causes(strategy.admitCreate(job("selector: {matchLabels: {app: x}}")));
    assertEquals(1, causes.size());
    assertTrue(causes.get(0).startsWith("spec.selector: Invalid value"), causes.get(0));
    assertTrue(causes.get(0).contains("`selector` will be auto-generated"), causes.get(0));
  }

  @Test
  void podFailurePolicyIsChecked() {
    List<String> causes = causes(strategy.admitCreate(job("""
        podFailurePolicy:
          rules:
          - {action: Explode, onExitCodes: {operator: In, values: [0, 3, 3]}}
          - {action: Ignore}
        """)));
    assertEquals(List.of(
        "spec.podFailurePolicy.rules[0].action: Unsupported value: \"Explode\": supported values: \"Count\", \"FailJob\", \"Ignore\"",
        "spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator",
        "spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 3",
        "spec.podFailurePolicy.rules[1]: Invalid value: \"\": specifying one of onExitCodes and onPodConditions is required"),
        causes);
  }

  @Test
  void theTemplateAndCompletionsAreImmutableButSuspendIsNot() {
    ObjectNode current = strategy.admitCreate(job("completions: 3")).object();
    ObjectNode changed = current.deepCopy();
    ((ObjectNode) changed.at("/spec/template/spec/containers/0")).put("image", "busybox:2");
    ((ObjectNode) changed.get("spec")).put("completions", 4);
    List<String> causes = causes(strategy.admitUpdate(current, changed));
    assertEquals(2, causes.size(), causes.toString());
    assertTrue(causes.get(0).startsWith("spec.template: Invalid value") && causes.get(0).endsWith("field is immutable"));
    assertTrue(causes.get(1).startsWith("spec.completions: Invalid value: 4: field is immutable"), causes.get(1));
    ObjectNode suspended = current.deepCopy();
    ((ObjectNode) suspended.get("spec")).put("suspend", true);
    assertNull(strategy.admitUpdate(current, suspended).failure());
  }

  @Test
  void deletingWithoutAPolicyOrphansThePodsAsKubernetesDoes() {
    assertEquals(List.of("orphan"), strategy.finalizersOnDelete(null));
    assertEquals(List.of(), strategy.finalizersOnDelete("Background"));
  }
}
