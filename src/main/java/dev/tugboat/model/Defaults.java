package dev.tugboat.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The defaults Kubernetes applies to what a user leaves out, so that a stored object says exactly
 * how it will be run. Pure and idempotent: applying them twice changes nothing.
 */
public final class Defaults {
  private Defaults() {}

  public static Pod pod(Pod p) {
    Pod.Status status = p.status() == null ? Pod.Status.ofPhase("Pending")
        : p.status().phase() == null ? p.status().withPhase("Pending") : p.status();
    return p.withSpec(serviceAccount(podSpec(p.spec()))).withStatus(status);
  }

  public static Deployment deployment(Deployment d) {
    return d.withSpec(deployment(d.spec()));
  }

  public static ReplicaSet replicaSet(ReplicaSet r) {
    return r.spec() == null ? r : r.withSpec(new ReplicaSet.Spec(r.spec().replicas() == null ? 1 : r.spec().replicas(),
        r.spec().selector(), template(r.spec().template()), r.spec().minReadySeconds()));
  }

  public static Service service(Service s) {
    return s.withSpec(service(s.spec()));
  }

  public static Namespace namespace(Namespace n) {
    return n.status() != null && n.status().phase() != null ? n : n.withStatus(new Namespace.Status("Active"));
  }

  /**
   * As Kubernetes' ServiceAccount admission: a pod naming no account runs as its namespace's
   * {@code default}; the deprecated {@code serviceAccount} names it when {@code serviceAccountName}
   * does not, and both end up equal. Pods only, not templates: a template's hash must not change.
   */
  static Pod.Spec serviceAccount(Pod.Spec spec) {
    if (spec == null) return null;
    String account = spec.serviceAccountName() != null && !spec.serviceAccountName().isEmpty() ? spec.serviceAccountName()
        : spec.serviceAccount() != null && !spec.serviceAccount().isEmpty() ? spec.serviceAccount() : "default";
    return spec.withServiceAccount(account);
  }

  static Pod.Spec podSpec(Pod.Spec spec) {
    if (spec == null) return null;
    return spec.withVolumes(volumes(spec.volumes())).withDefaults(
        containers(spec.containers()),
        containers(spec.initContainers()),
        spec.restartPolicy() == null ? "Always" : spec.restartPolicy(),
        spec.terminationGracePeriodSeconds() == null ? 30L : spec.terminationGracePeriodSeconds(),
        spec.dnsPolicy() == null ? "ClusterFirst" : spec.dnsPolicy(),
        spec.schedulerName() == null ? "default-scheduler" : spec.schedulerName());
  }

  /** ConfigMap and Secret volumes' files are 0644 unless the volume says otherwise. */
  private static List<Pod.Volume> volumes(List<Pod.Volume> volumes) {
    if (volumes == null) return null;
    return volumes.stream().map(v -> {
      Pod.ConfigMapVolume c = v.configMap();
      Pod.SecretVolume s = v.secret();
      return new Pod.Volume(v.name(), v.emptyDir(), v.hostPath(),
          c == null || c.defaultMode() != null ? c : new Pod.ConfigMapVolume(c.name(), c.items(), 0644, c.optional()),
          s == null || s.defaultMode() != null ? s : new Pod.SecretVolume(s.secretName(), s.items(), 0644, s.optional()),
          v.persistentVolumeClaim());
    }).toList();
  }

  private static List<Pod.Container> containers(List<Pod.Container> containers) {
    if (containers == null) return null;
    List<Pod.Container> result = new ArrayList<>();
    for (Pod.Container c : containers) {
      List<Pod.ContainerPort> ports = c.ports() == null ? null : c.ports().stream()
          .map(p -> p.protocol() == null ? p.withProtocol("TCP") : p).toList();
      result.add(c.withDefaults(ports, probe(c.livenessProbe()), probe(c.readinessProbe()), probe(c.startupProbe()),
          c.imagePullPolicy() != null ? c.imagePullPolicy() : pullPolicy(c.image()),
          c.terminationMessagePath() == null ? "/dev/termination-log" : c.terminationMessagePath(),
          c.terminationMessagePolicy() == null ? "File" : c.terminationMessagePolicy()));
    }
    return result;
  }

  /** Always for {@code :latest} or no tag (the image may have moved), IfNotPresent for a fixed tag. */
  static String pullPolicy(String image) {
    if (image == null) return null;
    if (image.contains("@")) return "IfNotPresent";
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    boolean tagged = colon > slash;
    return !tagged || image.endsWith(":latest") ? "Always" : "IfNotPresent";
  }

  private static Pod.Probe probe(Pod.Probe p) {
    return p == null ? null : p.withDefaults(10, 1, 1, 3);
  }

  /** A workload's pod template with a pod's defaults. */
  public static PodTemplateSpec template(PodTemplateSpec t) {
    return t == null ? null : t.withSpec(podSpec(t.spec()));
  }

  private static Deployment.Spec deployment(Deployment.Spec s) {
    if (s == null) return null;
    Deployment.Strategy strategy = s.strategy();
    if (strategy == null || strategy.type() == null) {
      strategy = new Deployment.Strategy("RollingUpdate", strategy == null ? null : strategy.rollingUpdate());
    }
    if (strategy.type().equals("RollingUpdate")) {
      Deployment.RollingUpdate ru = strategy.rollingUpdate();
      strategy = new Deployment.Strategy("RollingUpdate", new Deployment.RollingUpdate(
          ru == null || ru.maxSurge() == null ? IntOrString.of("25%") : ru.maxSurge(),
          ru == null || ru.maxUnavailable() == null ? IntOrString.of("25%") : ru.maxUnavailable()));
    }
    return s.withDefaults(s.replicas() == null ? 1 : s.replicas(), template(s.template()), strategy,
        s.revisionHistoryLimit() == null ? 10 : s.revisionHistoryLimit(),
        s.progressDeadlineSeconds() == null ? 600 : s.progressDeadlineSeconds());
  }

  private static Service.Spec service(Service.Spec s) {
    if (s == null) return null;
    List<Service.Port> ports = s.ports() == null ? null : s.ports().stream()
        .map(p -> p.withDefaults(p.protocol() == null ? "TCP" : p.protocol(),
            p.targetPort() == null && p.port() != null ? IntOrString.of(p.port()) : p.targetPort()))
        .toList();
    String type = s.type() == null ? "ClusterIP" : s.type();
    String affinity = s.sessionAffinity() == null ? "None" : s.sessionAffinity();
    Service.SessionAffinityConfig config = s.sessionAffinityConfig();
    if (affinity.equals("ClientIP") && (config == null || config.clientIP() == null || config.clientIP().timeoutSeconds() == null)) {
      config = new Service.SessionAffinityConfig(new Service.ClientIPConfig(DEFAULT_CLIENT_IP_TIMEOUT_SECONDS));
    }
    boolean external = type.equals("NodePort") || type.equals("LoadBalancer");
    String traffic = s.externalTrafficPolicy() == null && external ? "Cluster" : s.externalTrafficPolicy();
    return s.withDefaults(type, ports, affinity).withTraffic(traffic, config);
  }

  /** Kubernetes' default for {@code sessionAffinityConfig.clientIP.timeoutSeconds}: 3 hours. */
  public static final int DEFAULT_CLIENT_IP_TIMEOUT_SECONDS = 10800;
}
