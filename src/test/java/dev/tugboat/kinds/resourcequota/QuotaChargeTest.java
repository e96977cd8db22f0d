package dev.tugboat.kinds.resourcequota;

import static dev.tugboat.kinds.resourcequota.ResourceQuotaStrategyTest.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuotaChargeTest {
  private static final Instant NOW = Instant.parse("2026-12-04T08:00:00Z");

  private static ObjectNode pod(String resources) {
    return yaml("""
        metadata: {name: p}
        spec:
          containers:
          - {name: app, image: x, resources: %s}
        """.formatted(resources));
  }

  private static ObjectNode quota(String hard, String used) {
    return yaml("""
        metadata: {name: compute}
        spec: {hard: %s}
        status: {hard: %s, used: %s}
        """.formatted(hard, hard, used));
  }

  private static QuotaCharge charge(ObjectNode quota, ObjectNode pod) {
    return QuotaCharge.of(quota, "", "pods", pod, NOW);
  }

  @Test
  void chargesWhatFitsAndRefusesWithKubernetesMessage() {
    ObjectNode quota = quota("{pods: '2', requests.cpu: '1'}", "{pods: '1', requests.cpu: 500m}");
    QuotaCharge fits = charge(quota, pod("{requests: {cpu: 500m}}"));
    assertEquals(Map.of("pods", new BigDecimal("2"), "requests.cpu", new BigDecimal("1.000")),
        ((QuotaCharge.Charged) fits).used());
    QuotaCharge over = charge(quota, pod("{requests: {cpu: 600m}}"));
    assertEquals("exceeded quota: compute, requested: requests.cpu=600m, used: requests.cpu=500m, limited: requests.cpu=1",
        ((QuotaCharge.Refused) over).reason());
    QuotaCharge full = charge(quota("{pods: '2', memory: 1Gi}", "{pods: '2', memory: 512Mi}"),
        pod("{limits: {memory: 768Mi}}"));
    assertEquals("exceeded quota: compute, requested: memory=768Mi,pods=1, used: memory=512Mi,pods=2, "
        + "limited: memory=1Gi,pods=2", ((QuotaCharge.Refused) full).reason());
  }

  @Test
  void podsMustSayWhatTheQuotaTracks() {
    ObjectNode quota = quota("{limits.cpu: '2', requests.memory: 1Gi}", "{limits.cpu: '0', requests.memory: '0'}");
    ObjectNode pod = yaml("""
        metadata: {name: p}
        spec:
          containers:
          - {name: app, image: x, resources: {requests: {memory: 64Mi}}}
          - {name: side, image: x}
        """);
    assertEquals("failed quota: compute: must specify limits.cpu for: app,side; requests.memory for: side",
        ((QuotaCharge.Refused) charge(quota, pod)).reason());
  }

  @Test
  void anUncountedQuotaRefusesUntilTheControllerCountedIt() {
    ObjectNode quota = yaml("""
        metadata: {name: fresh}
        spec: {hard: {pods: '2', configmaps: '1'}}
        status: {hard: {pods: '2', configmaps: '1'}}
        """);
    assertEquals("status unknown for quota: fresh, resources: pods",
        ((QuotaCharge.Refused) charge(quota, pod("{}"))).reason());
    assertInstanceOf(QuotaCharge.Untouched.class, QuotaCharge.of(quota, "", "secrets", yaml("{metadata: {name: s}}"), NOW));
  }

  @Test
  void scopesSelectWhichPodsAQuotaConcerns() {
    ObjectNode bestEffort = yaml("""
        metadata: {name: be}
        spec: {hard: {pods: '0'}, scopes: [BestEffort]}
        status: {hard: {pods: '0'}, used: {pods: '0'}}
        """);
    assertInstanceOf(QuotaCharge.Refused.class, charge(bestEffort, pod("{}")));
    assertInstanceOf(QuotaCharge.Untouched.class, charge(bestEffort, pod("{requests: {cpu: 100m}}")));
    ObjectNode terminating = yaml("""
        metadata: {name: t}
        spec: {hard: {pods: '0'}, scopes: [Terminating]}
        status: {hard: {pods: '0'}, used: {pods: '0'}}
        """);
    assertInstanceOf(QuotaCharge.Untouched.class, charge(terminating, pod("{}")));
    ObjectNode job = pod("{}");
    job.with("spec").put("activeDeadlineSeconds", 60);
    assertInstanceOf(QuotaCharge.Refused.class, charge(terminating, job));
    ObjectNode high = yaml("""
        metadata: {name: high}
        spec:
          hard: {pods: '0'}
          scopeSelector: {matchExpressions: [{scopeName: PriorityClass, operator: In, values: [high]}]}
        status: {hard: {pods: '0'}, used: {pods: '0'}}
        """);
    assertInstanceOf(QuotaCharge.Untouched.class, charge(high, pod("{}")));
    ObjectNode important = pod("{}");
    important.with("spec").put("priorityClassName", "high");
    assertInstanceOf(QuotaCharge.Refused.class, charge(high, important));
    // a scoped quota concerns pods only
    assertInstanceOf(QuotaCharge.Untouched.class, QuotaCharge.of(high, "", "services", yaml("{metadata: {name: s}}"), NOW));
  }

  @Test
  void countsObjectsOfAnyKindAndServicePorts() {
    ObjectNode quota = quota("{count/deployments.apps: '1', services.nodeports: '1', services: '5'}",
        "{count/deployments.apps: '1', services.nodeports: '0', services: '0'}");
    assertEquals("exceeded quota: compute, requested: count/deployments.apps=1, used: count/deployments.apps=1, "
        + "limited: count/deployments.apps=1",
        ((QuotaCharge.Refused) QuotaCharge.of(quota, "apps", "deployments", yaml("{metadata: {name: d}}"), NOW)).reason());
    ObjectNode nodePort = yaml("{metadata: {name: s}, spec: {type: NodePort, ports: [{port: 80}, {port: 443}]}}");
    assertEquals("exceeded quota: compute, requested: services.nodeports=2, used: services.nodeports=0, "
        + "limited: services.nodeports=1", ((QuotaCharge.Refused) QuotaCharge.of(quota, "", "services", nodePort, NOW)).reason());
    ObjectNode clusterIp = yaml("{metadata: {name: s}, spec: {ports: [{port: 80}]}}");
    assertEquals(new BigDecimal("1"),
        ((QuotaCharge.Charged) QuotaCharge.of(quota, "", "services", clusterIp, NOW)).used().get("services"));
  }

  @Test
  void theControllerCountsWhatTheNamespaceHolds() {
    ObjectNode quota = yaml("{metadata: {name: q}, spec: {hard: {pods: '5', requests.cpu: '2', count/configmaps: '9'}}}");
    ObjectNode running = pod("{requests: {cpu: 250m}}");
    ObjectNode done = pod("{limits: {cpu: '1'}}");
    done.putObject("status").put("phase", "Succeeded");
    ObjectNode lost = pod("{limits: {cpu: '1'}}");
    lost.with("metadata").put("deletionTimestamp", "2026-12-04T07:59:00Z").put("deletionGracePeriodSeconds", 30);
    ObjectNode stopping = pod("{limits: {cpu: '1'}}");
    stopping.with("metadata").put("deletionTimestamp", "2026-12-04T08:00:20Z").put("deletionGracePeriodSeconds", 30);
    ObjectNode status = QuotaStatus.of(quota, Map.of(
        new QuotaStatus.Resource("", "pods"), List.of(running, done, lost, stopping),
        new QuotaStatus.Resource("", "configmaps"), List.of(yaml("{metadata: {name: c}}"))), NOW);
    assertEquals(yaml("{hard: {count/configmaps: '9', pods: '5', requests.cpu: '2'}, "
        + "used: {count/configmaps: '1', pods: '2', requests.cpu: 1250m}}"), status);
    // Kubernetes counts a deleted pod until its deletionTimestamp plus its grace period
    assertEquals(Instant.parse("2026-12-04T08:00:50Z"), QuotaStatus.nextDeadline(List.of(running, stopping), NOW));
    assertEquals(java.util.Set.of(new QuotaStatus.Resource("", "pods"), new QuotaStatus.Resource("apps", "deployments"),
        new QuotaStatus.Resource("", "services")),
        QuotaStatus.kindsFor(java.util.Set.of("limits.cpu", "count/deployments.apps", "services.nodeports")));
  }

  @Test
  void quantitiesPrintAsKubernetesPrintsThem() {
    assertEquals("500m", ResourceList.format("cpu", new BigDecimal("0.5")));
    assertEquals("2", ResourceList.format("requests.cpu", new BigDecimal("2.000")));
    assertEquals("1536Mi", ResourceList.format("memory", new BigDecimal(1536L << 20)));
    assertEquals("1G", ResourceList.format("memory", new BigDecimal("1000000000")));
    assertEquals("1k", ResourceList.format("pods", new BigDecimal("1000")));
    assertEquals("0", ResourceList.format("pods", BigDecimal.ZERO));
  }
}
