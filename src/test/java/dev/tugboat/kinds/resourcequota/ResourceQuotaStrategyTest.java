package dev.tugboat.kinds.resourcequota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy.Admission;
import dev.tugboat.model.Codec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

public class ResourceQuotaStrategyTest {
  private final ResourceQuotaStrategy strategy = new ResourceQuotaStrategy();

  public static ObjectNode yaml(String text) {
    return (ObjectNode) Codec.parseTree(text.getBytes(), true, false);
  }

  private static List<String> causes(Admission a) {
    assertEquals(422, a.failure().code(), () -> String.valueOf(a.failure()));
    return a.failure().details().causes().stream().map(c -> c.field() + ": " + c.message()).toList();
  }

  @Test
  void acceptsStandardCountAndComputeResources() {
    Admission a = strategy.admitCreate(yaml("""
        apiVersion: v1
        kind: ResourceQuota
        metadata: {name: q, namespace: team}
        spec:
          hard: {pods: "4", requests.cpu: 500m, limits.memory: 1Gi, count/deployments.apps: "2",
                 services.nodeports: "0", example.com/gpu: "1"}
        """));
    assertNull(a.failure(), () -> String.valueOf(a.failure()));
    assertEquals("500m", a.object().at("/spec/hard/requests.cpu").asText());
  }

  @Test
  void refusesUnknownResourcesBadQuantitiesAndFractionalCounts() {
    List<String> causes = causes(strategy.admitCreate(yaml("""
        apiVersion: v1
        kind: ResourceQuota
        metadata: {name: q, namespace: team}
        spec:
          hard: {cpus: "1", memory: lots, pods: "1.5", requests.cpu: "-1"}
        """)));
    assertEquals(List.of(
        "spec.hard[cpus]: Invalid value: \"cpus\": must be a standard resource for quota",
        "spec.hard[memory]: Invalid value: \"lots\": quantities must match the regular expression "
            + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        "spec.hard[pods]: Invalid value: \"1.5\": must be an integer",
        "spec.hard[requests.cpu]: Invalid value: \"-1\": must be greater than or equal to 0"), causes);
  }

  @Test
  void checksScopesAndScopeSelectors() {
    List<String> causes = causes(strategy.admitCreate(yaml("""
        apiVersion: v1
        kind: ResourceQuota
        metadata: {name: q, namespace: team}
        spec:
          hard: {pods: "1", services: "1"}
          scopes: [BestEffort, Sometimes]
          scopeSelector:
            matchExpressions:
            - {scopeName: NotBestEffort, operator: In, values: [x]}
            - {scopeName: PriorityClass, operator: In}
        """)));
    assertEquals(List.of(
        "spec.scopes[1]: Unsupported value: \"Sometimes\": supported values: \"Terminating\", \"NotTerminating\", "
            + "\"BestEffort\", \"NotBestEffort\", \"PriorityClass\", \"CrossNamespacePodAffinity\"",
        "spec.scopeSelector.matchExpressions[0].operator: Invalid value: \"In\": must be 'Exist' when scope is any of "
            + "ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, "
            + "ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
        "spec.scopeSelector.matchExpressions[1].values: Invalid value: \"[]\": must be at least one value when "
            + "`operator` is 'In' or 'NotIn' for scope selector",
        "spec.scopeSelector: Invalid value: \"[BestEffort, NotBestEffort, PriorityClass]\": conflicting scopes",
        "spec.hard[services]: Invalid value: \"services\": unsupported scope applied to resource"), causes);
  }

  @Test
  void printsRequestAndLimitColumnsAsKubectl() {
    ObjectNode quota = yaml("""
        metadata: {name: compute, creationTimestamp: "2026-12-04T08:00:00Z"}
        status:
          hard: {pods: "2", requests.cpu: "2", limits.cpu: "4", limits.memory: 2Gi}
          used: {pods: "1", requests.cpu: 500m, limits.memory: 512Mi}
        """);
    assertEquals(List.of("compute", "5m", "pods: 1/2, requests.cpu: 500m/2", "limits.cpu: 0/4, limits.memory: 512Mi/2Gi"),
        strategy.printer().cells(quota, Instant.parse("2026-12-04T08:05:00Z")));
  }
}
