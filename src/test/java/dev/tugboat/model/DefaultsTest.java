package dev.tugboat.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DefaultsTest {
  @Test
  void deploymentsGetKubernetesDefaultsOnceAndOnlyOnce() {
    Deployment d = (Deployment) Codec.readManifests("""
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
        """).get(0);
    Deployment defaulted = (Deployment) Defaults.apply(d);
    assertEquals(defaulted, Defaults.apply(defaulted), "idempotent");
    Deployment.Spec s = defaulted.spec();
    assertEquals(1, s.replicas());
    assertEquals("RollingUpdate", s.strategy().type());
    assertEquals("25%", s.strategy().rollingUpdate().maxSurge().strValue());
    assertEquals("25%", s.strategy().rollingUpdate().maxUnavailable().strValue());
    assertEquals(10, s.revisionHistoryLimit());
    assertEquals(600, s.progressDeadlineSeconds());
    Pod.Spec pod = s.template().spec();
    assertEquals("Always", pod.restartPolicy());
    assertEquals(30L, pod.terminationGracePeriodSeconds());
    assertEquals("default-scheduler", pod.schedulerName());
    assertEquals("TCP", pod.containers().get(0).ports().get(0).protocol());
    assertEquals("Always", pod.containers().get(0).imagePullPolicy(), "no tag: latest");
    assertEquals("IfNotPresent", pod.containers().get(1).imagePullPolicy(), "registry port is not a tag");
    Pod.Probe probe = pod.containers().get(0).readinessProbe();
    assertEquals(10, probe.periodSeconds());
    assertEquals(1, probe.timeoutSeconds());
    assertEquals(3, probe.failureThreshold());
  }

  @Test
  void servicesTargetTheirPortAndPodsStartPending() {
    Service svc = (Service) Defaults.apply(Codec.readManifests(
        "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n").get(0));
    assertEquals("ClusterIP", svc.spec().type());
    assertEquals(80, svc.spec().ports().get(0).targetPort().intValue());
    assertEquals("TCP", svc.spec().ports().get(0).protocol());
    assertEquals("None", svc.spec().sessionAffinity());
    Pod pod = (Pod) Defaults.apply(Codec.readManifests(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: a:1}]}\n").get(0));
    assertEquals("Pending", pod.status().phase());
  }
}
