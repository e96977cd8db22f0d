package dev.tugboat.kinds.limitrange;

import static dev.tugboat.kinds.resourcequota.ResourceQuotaStrategyTest.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy.Admission;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitRangeStrategyTest {
  private final LimitRangeStrategy strategy = new LimitRangeStrategy();

  @Test
  void defaultsAContainerItemsLimitFromMaxAndRequestFromLimitOrMin() {
    Admission a = strategy.admitCreate(yaml("""
        apiVersion: v1
        kind: LimitRange
        metadata: {name: l, namespace: team}
        spec:
          limits:
          - type: Container
            max: {cpu: "1", memory: 512Mi}
            min: {ephemeral-storage: 1Mi}
            default: {memory: 256Mi}
        """));
    assertNull(a.failure(), () -> String.valueOf(a.failure()));
    assertEquals(yaml("{cpu: '1', memory: 256Mi}"), a.object().at("/spec/limits/0/default"));
    assertEquals(yaml("{memory: 256Mi, cpu: '1', ephemeral-storage: 1Mi}"), a.object().at("/spec/limits/0/defaultRequest"));
  }

  @Test
  void refusesDisorderedBoundsPodDefaultsAndSmallRatios() {
    Admission a = strategy.admitCreate(yaml("""
        apiVersion: v1
        kind: LimitRange
        metadata: {name: l, namespace: team}
        spec:
          limits:
          - {type: Container, min: {cpu: "2"}, max: {cpu: "1"}, maxLimitRequestRatio: {cpu: 500m}}
          - {type: Pod, default: {cpu: "1"}}
          - {type: Pod}
          - {type: Node}
        """));
    assertEquals(422, a.failure().code());
    List<String> causes = a.failure().details().causes().stream().map(c -> c.field() + ": " + c.message()).toList();
    assertEquals(List.of(
        // the default limit and request are the max (1) by Kubernetes' defaults, so min is above them too
        "spec.limits[0].min[cpu]: Invalid value: \"2\": min value 2 is greater than max value 1",
        "spec.limits[0].min[cpu]: Invalid value: \"2\": min value 2 is greater than default request value 1",
        "spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: \"500m\": ratio 500m is less than 1",
        "spec.limits[1].default: Forbidden: may not be specified when `type` is 'Pod'",
        "spec.limits[2].type: Duplicate value: \"Pod\"",
        "spec.limits[3].type: Unsupported value: \"Node\": supported values: \"Pod\", \"Container\", "
            + "\"PersistentVolumeClaim\""), causes);
  }

  @Test
  void printsNameAndCreationTime() {
    ObjectNode range = yaml("{metadata: {name: l, creationTimestamp: '2026-12-04T08:00:00Z'}}");
    assertEquals(List.of("l", "2026-12-04T08:00:00Z"), strategy.printer().cells(range, java.time.Instant.now()));
  }
}
