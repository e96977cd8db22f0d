package dev.tugboat.kinds.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A namespace's Pod Security policy, read from its labels as Kubernetes' PodSecurity admission
 * reads them: {@code pod-security.kubernetes.io/<mode>} (a level) and {@code <mode>-version} for
 * the three modes: {@code enforce} refuses a pod, {@code warn} answers with a {@code Warning}
 * header, {@code audit} writes a log line. An absent enforce label means the cluster's default
 * ({@code kube-system}: privileged); absent warn and audit labels mean privileged (nothing). A
 * level label that names no level means restricted (a typo must not open the namespace), as in
 * Kubernetes. Every version is evaluated as "latest": the version is echoed in messages only.
 */
public record PodSecurityPolicy(Mode enforce, Mode warn, Mode audit) {
  public static final String PREFIX = "pod-security.kubernetes.io/";

  /** One mode's level and the version it names. */
  public record Mode(PodSecurityLevel level, String version) {
    /** {@code baseline:latest}, as Kubernetes names a policy in its messages. */
    public String label() {
      return level.label() + ":" + version;
    }
  }

  /** The policy of {@code namespace} (a Namespace object; null when unknown) under a cluster default. */
  public static PodSecurityPolicy of(JsonNode namespace, PodSecurityLevel defaultEnforce) {
    JsonNode labels = namespace == null ? MissingNode.getInstance() : namespace.path("metadata").path("labels");
    String name = namespace == null ? "" : namespace.path("metadata").path("name").asText("");
    PodSecurityLevel enforceDefault = name.equals("kube-system") ? PodSecurityLevel.PRIVILEGED : defaultEnforce;
    return new PodSecurityPolicy(mode(labels, "enforce", enforceDefault), mode(labels, "warn", PodSecurityLevel.PRIVILEGED),
        mode(labels, "audit", PodSecurityLevel.PRIVILEGED));
  }

  private static Mode mode(JsonNode labels, String mode, PodSecurityLevel fallback) {
    JsonNode level = labels.path(PREFIX + mode);
    String version = labels.path(PREFIX + mode + "-version").asText("latest");
    if (!level.isTextual()) return new Mode(fallback, version);
    return new Mode(PodSecurityLevel.parse(level.asText()).orElse(PodSecurityLevel.RESTRICTED), version);
  }

  /**
   * The pod a write of {@code kind} describes, as metadata and spec: a Pod's own, or the pod
   * template of a workload; empty for every other kind.
   */
  public static Optional<PodSecurityChecks.PodView> podOf(String kind, JsonNode object) {
    JsonNode template = switch (kind) {
      case "Pod" -> object;
      case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController" ->
          object.path("spec").path("template");
      case "CronJob" -> object.path("spec").path("jobTemplate").path("spec").path("template");
      default -> null;
    };
    if (template == null || !template.path("spec").isObject()) return Optional.empty();
    return Optional.of(new PodSecurityChecks.PodView(template.path("metadata"), template.path("spec")));
  }

  /** What {@code mode} forbids in {@code pod}, empty when nothing. */
  public static List<PodSecurityChecks.Violation> violations(Mode mode, PodSecurityChecks.PodView pod) {
    return PodSecurityChecks.evaluate(mode.level(), pod.metadata(), pod.spec());
  }

  /** Kubernetes' words: {@code violates PodSecurity "baseline:latest": hostPath volumes (volume "v")}. */
  public static String violates(Mode mode, List<PodSecurityChecks.Violation> violations) {
    return "violates PodSecurity \"" + mode.label() + "\": " + joined(violations);
  }

  /** The warning for a pod or template that a mode would refuse: {@code would violate PodSecurity ...}. */
  public static String wouldViolate(Mode mode, List<PodSecurityChecks.Violation> violations) {
    return "would violate PodSecurity \"" + mode.label() + "\": " + joined(violations);
  }

  private static String joined(List<PodSecurityChecks.Violation> violations) {
    return violations.stream().map(PodSecurityChecks.Violation::toString).collect(Collectors.joining(", "));
  }
}
