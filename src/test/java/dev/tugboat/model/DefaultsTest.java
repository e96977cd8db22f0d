package dev.tugboat.model;

import dev.tugboat.kinds.Strategies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class DefaultsTest {
  private static ApiObject defaulted(String yaml) {
    return Strategies.defaults(Codec.readManifests(yaml).get(0));
  }

  @Test
  void deploymentsGetKubernetesDefaults() {
    Deployment d = (Deployment) defaulted("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - {name: c, image: nginx, ports: [{containerPort: 80}], readinessProbe: {tcpSocket: {port: 80}}}
              - {name: d, image: "registry:5000/app:1.2"}
        """);
    Deployment.Spec s = d.spec();
    assertEquals(1, s.replicas());
    assertEquals("RollingUpdate", s.strategy().type());
    assertEquals("25%", s.strategy().rollingUpdate().maxSurge().strValue());
    assertEquals("25%", s.strategy().rollingUpdate().maxUnavailable().strValue());
    assertEquals(10, s.revisionHistoryLimit());
    assertEquals(600, s.progressDeadlineSeconds());
    Pod.Spec pod = s.template().spec();
    assertEquals("Always", pod.restartPolicy());
    assertEquals(30L, pod.terminationGracePeriodSeconds());
    assertEquals("ClusterFirst", pod.dnsPolicy());
    assertEquals("default-scheduler", pod.schedulerName());
    assertEquals("TCP", pod.containers().get(0).ports().get(0).protocol());
    Pod.Probe probe = pod.containers().get(0).readinessProbe();
    assertEquals(List.of(10, 1, 1, 3), List.of(probe.periodSeconds(), probe.timeoutSeconds(), probe.successThreshold(),
        probe.failureThreshold()));
    assertNull(probe.initialDelaySeconds(), "Kubernetes leaves initialDelaySeconds at 0 (absent)");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "nginx, Always", "nginx:latest, Always", "nginx:1.25, IfNotPresent", "registry:5000/app, Always",
      "registry:5000/app:1.2, IfNotPresent", "app@sha256:abc, IfNotPresent", "example.com/team/app:latest, Always"})
  void imagePullPolicyFollowsTheTag(String image, String policy) {
    Pod pod = (Pod) defaulted("{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: '"
        + image + "'}]}}");
    assertEquals(policy, pod.spec().containers().get(0).imagePullPolicy());
  }

  @Test
  void whatTheUserSetIsKept() {
    Deployment d = (Deployment) defaulted("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 0
          strategy: {type: Recreate}
          revisionHistoryLimit: 0
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              terminationGracePeriodSeconds: 0
              containers: [{name: c, image: 'nginx:1', imagePullPolicy: Never, ports: [{containerPort: 53, protocol: UDP}]}]
        """);
    assertEquals(0, d.spec().replicas());
    assertEquals("Recreate", d.spec().strategy().type());
    assertNull(d.spec().strategy().rollingUpdate(), "Recreate has no rollingUpdate");
    assertEquals(0, d.spec().revisionHistoryLimit());
    assertEquals(0L, d.spec().template().spec().terminationGracePeriodSeconds());
    Pod.Container c = d.spec().template().spec().containers().get(0);
    assertEquals("Never", c.imagePullPolicy());
    assertEquals("UDP", c.ports().get(0).protocol());

    Deployment partial = (Deployment) defaulted("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          strategy: {rollingUpdate: {maxSurge: 1}}
          selector: {matchLabels: {app: web}}
          template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: i}]}}
        """);
    assertEquals(1, partial.spec().strategy().rollingUpdate().maxSurge().intValue());
    assertEquals("25%", partial.spec().strategy().rollingUpdate().maxUnavailable().strValue());
  }

  @Test
  void servicesReplicaSetsNamespacesAndPods() {
    Service svc = (Service) defaulted("apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
        + "spec: {ports: [{port: 80}, {port: 81, targetPort: http, protocol: UDP}]}\n");
    assertEquals("ClusterIP", svc.spec().type());
    assertEquals("None", svc.spec().sessionAffinity());
    assertEquals(IntOrString.of(80), svc.spec().ports().get(0).targetPort());
    assertEquals("TCP", svc.spec().ports().get(0).protocol());
    assertEquals(IntOrString.of("http"), svc.spec().ports().get(1).targetPort());
    assertEquals("UDP", svc.spec().ports().get(1).protocol());
    assertNull(svc.spec().externalTrafficPolicy(), "only for Services reachable from outside");
    assertNull(svc.spec().sessionAffinityConfig(), "only with ClientIP affinity");
    Service sticky = (Service) defaulted("apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
        + "spec: {type: NodePort, sessionAffinity: ClientIP, ports: [{port: 80}]}\n");
    assertEquals("Cluster", sticky.spec().externalTrafficPolicy());
    assertEquals(10800, sticky.spec().sessionAffinityConfig().clientIP().timeoutSeconds());

    ReplicaSet rs = (ReplicaSet) defaulted("{apiVersion: apps/v1, kind: ReplicaSet, metadata: {name: r}, spec: "
        + "{selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i}]}}}}");
    assertEquals(1, rs.spec().replicas());
    assertEquals("Always", rs.spec().template().spec().restartPolicy());

    Namespace ns = (Namespace) defaulted("{apiVersion: v1, kind: Namespace, metadata: {name: n}}");
    assertEquals("Active", ns.status().phase());
    assertNull(ns.spec(), "spec.finalizers is not defaulted");

    Pod pod = (Pod) defaulted("{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: i}]}}");
    assertEquals("Pending", pod.status().phase());
    Pod reported = (Pod) defaulted("{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: "
        + "[{name: c, image: i}]}, status: {hostIP: 127.0.0.1}}");
    assertEquals("Pending", reported.status().phase());
    assertEquals("127.0.0.1", reported.status().hostIP(), "the rest of the status is kept");
    Pod running = (Pod) defaulted("{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: "
        + "[{name: c, image: i}]}, status: {phase: Running}}");
    assertEquals("Running", running.status().phase());
  }

  static List<Path> manifests() throws IOException {
    return CodecTest.manifests().toList();
  }

  /** Defaulting twice is defaulting once, and a valid manifest stays valid once defaulted. */
  @ParameterizedTest
  @MethodSource("manifests")
  void defaultsAreIdempotentAndKeepManifestsValid(Path file) throws IOException {
    for (ApiObject o : Codec.readManifests(Files.readString(file))) {
      ApiObject once = Strategies.defaults(o);
      assertEquals(once, Strategies.defaults(once), file + ": " + o.kind());
      assertEquals(List.of(), Strategies.validate(once), file + ": " + o.kind() + " " + o.metadata().name());
    }
  }
}
