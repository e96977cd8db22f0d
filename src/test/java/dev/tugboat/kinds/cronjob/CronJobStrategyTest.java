package dev.tugboat.kinds.cronjob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy.Admission;
import dev.tugboat.model.Codec;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronJobStrategyTest {
  private final CronJobStrategy strategy = new CronJobStrategy();

  private static ObjectNode cronJob(String name, String schedule, String extra) {
    return (ObjectNode) Codec.parseTree("""
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: %s, namespace: default}
        spec:
          schedule: "%s"
          %s
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: OnFailure
                  containers: [{name: c, image: busybox}]
        """.formatted(name, schedule, extra).getBytes(), true, false);
  }

  private static List<String> causes(Admission a) {
    assertNotNull(a.failure(), "refused");
    assertEquals(422, a.failure().code());
    return a.failure().details().causes().stream().map(c -> c.field() + ": " + c.message()).toList();
  }

  @Test
  void defaultsAsKubernetes() {
    Admission a = strategy.admitCreate(cronJob("report", "@hourly", ""));
    assertNull(a.failure());
    ObjectNode spec = (ObjectNode) a.object().get("spec");
    assertEquals("Allow", spec.path("concurrencyPolicy").asText());
    assertEquals(3, spec.path("successfulJobsHistoryLimit").asInt());
    assertEquals(1, spec.path("failedJobsHistoryLimit").asInt());
    assertEquals(6, spec.at("/jobTemplate/spec/backoffLimit").asInt());
  }

  @Test
  void refusesBadSchedulesZonesPoliciesAndTemplatesNamingTheField() {
    assertEquals(List.of("spec.schedule: Invalid value: \"61 * * * *\": minute out of range (0-59): 61"),
        causes(strategy.admitCreate(cronJob("report", "61 * * * *", ""))));
    assertEquals(List.of("spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus"),
        causes(strategy.admitCreate(cronJob("report", "* * * * *", "timeZone: Mars/Olympus"))));
    assertEquals(List.of("spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", "
        + "\"Forbid\", \"Replace\""), causes(strategy.admitCreate(cronJob("report", "* * * * *", "concurrencyPolicy: Sometimes"))));
    ObjectNode always = cronJob("report", "* * * * *", "");
    ((ObjectNode) always.at("/spec/jobTemplate/spec/template/spec")).put("restartPolicy", "Always");
    assertEquals(List.of("spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: \"Always\": "
        + "supported values: \"OnFailure\", \"Never\""), causes(strategy.admitCreate(always)));
    assertEquals(List.of("metadata.name: Invalid value: \"" + "n".repeat(53) + "\": must be no more than 52 characters"),
        causes(strategy.admitCreate(cronJob("n".repeat(53), "* * * * *", ""))));
  }
}
