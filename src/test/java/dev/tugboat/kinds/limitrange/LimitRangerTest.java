package dev.tugboat.kinds.limitrange;

import static dev.tugboat.kinds.resourcequota.ResourceQuotaStrategyTest.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitRangerTest {
  private static final ObjectNode RANGE = yaml("""
      metadata: {name: limits}
      spec:
        limits:
        - type: Container
          max: {cpu: "1", memory: 1Gi}
          min: {cpu: 50m}
          default: {cpu: 500m, memory: 256Mi}
          defaultRequest: {cpu: 100m, memory: 128Mi}
          maxLimitRequestRatio: {cpu: "5"}
        - type: Pod
          max: {memory: 1536Mi}
        - type: PersistentVolumeClaim
          min: {storage: 1Gi}
          max: {storage: 10Gi}
      """);

  private static ObjectNode pod(String containers) {
    return yaml("{metadata: {name: p}, spec: {containers: " + containers + "}}");
  }

  @Test
  void givesContainersTheDefaultsTheyLackAndSaysWhich() {
    ObjectNode pod = pod("[{name: app, image: x}, {name: side, image: x, resources: {limits: {cpu: 200m}}}]");
    ObjectNode defaulted = LimitRanger.defaults(pod, List.of(RANGE));
    assertEquals(yaml("{limits: {cpu: 500m, memory: 256Mi}, requests: {cpu: 100m, memory: 128Mi}}"),
        defaulted.at("/spec/containers/0/resources"));
    // a limit without a request is the request too (Kubernetes' pod default), before the range's default
    assertEquals(yaml("{limits: {cpu: 200m, memory: 256Mi}, requests: {cpu: 200m, memory: 128Mi}}"),
        defaulted.at("/spec/containers/1/resources"));
    assertEquals("LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app; "
        + "memory request for container side; memory limit for container side",
        defaulted.at("/metadata/annotations").path(LimitRanger.ANNOTATION).asText());
    assertEquals(List.of(), LimitRanger.podViolations(defaulted, List.of(RANGE)));
    assertSame(pod, LimitRanger.defaults(pod, List.of()));
  }

  @Test
  void refusesInKubernetesWords() {
    ObjectNode greedy = LimitRanger.defaults(
        pod("[{name: app, image: x, resources: {requests: {cpu: 10m, memory: 1Gi}, limits: {cpu: '2', memory: 1Gi}}},"
            + " {name: b, image: x, resources: {requests: {cpu: 100m}, limits: {cpu: 800m, memory: 1Gi}}}]"),
        List.of(RANGE));
    assertEquals(List.of(
        "minimum cpu usage per Container is 50m, but request is 10m",
        "maximum cpu usage per Container is 1, but limit is 2",
        "cpu max limit to request ratio per Container is 5, but provided ratio is 200.000000",
        "cpu max limit to request ratio per Container is 5, but provided ratio is 8.000000",
        "maximum memory usage per Pod is 1536Mi, but limit is 2Gi"), LimitRanger.podViolations(greedy, List.of(RANGE)));
    assertEquals("[a, b]", LimitRanger.aggregate(List.of("a", "b")));
    assertEquals("a", LimitRanger.aggregate(List.of("a")));
  }

  @Test
  void limitsClaimsStorageRequests() {
    ObjectNode claim = yaml("{metadata: {name: c}, spec: {resources: {requests: {storage: 20Gi}}}}");
    assertEquals(List.of("maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi"),
        LimitRanger.claimViolations(claim, List.of(RANGE)));
  }
}
