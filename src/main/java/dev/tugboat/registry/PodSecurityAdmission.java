package dev.tugboat.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.KindStrategy;
import dev.tugboat.kinds.pod.PodSecurityChecks;
import dev.tugboat.kinds.pod.PodSecurityLevel;
import dev.tugboat.kinds.pod.PodSecurityPolicy;
import dev.tugboat.model.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes' PodSecurity admission plugin: a namespace's labels choose a Pod Security Standard
 * per mode ({@link PodSecurityPolicy}); the checks themselves are pure ({@link PodSecurityChecks}).
 * As in Kubernetes, {@code enforce} refuses only Pods (a 403 naming every violation), while the pod
 * templates of workloads (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob) are only
 * warned of, so that an operator learns at {@code apply} that the pods will be refused. Unlike
 * Kubernetes, a template is warned of against the enforce level too, not only the warn level: the
 * default here is baseline, and a Deployment whose pods can never be created should say so at
 * once. {@code audit} is a log line. Pod updates are not checked: validation lets an update change
 * only images, which no check reads.
 */
final class PodSecurityAdmission {
  private static final Logger log = LoggerFactory.getLogger(PodSecurityAdmission.class);

  private final PodSecurityLevel defaultEnforce;

  PodSecurityAdmission(PodSecurityLevel defaultEnforce) {
    this.defaultEnforce = defaultEnforce;
  }

  /** Reads {@code tugboat.pod-security.default-enforce}; a value that names no level is a start-up error. */
  static PodSecurityAdmission of(String defaultEnforce) {
    return new PodSecurityAdmission(PodSecurityLevel.parse(defaultEnforce).orElseThrow(() -> new IllegalArgumentException(
        "tugboat.pod-security.default-enforce: must be privileged, baseline or restricted, not " + defaultEnforce)));
  }

  /** True for the kinds whose objects are, or hold, a pod. */
  static boolean concerns(KindStrategy strategy) {
    return isPod(strategy) || isWorkload(strategy);
  }

  static boolean isPod(KindStrategy strategy) {
    return strategy.group().isEmpty() && strategy.kind().equals("Pod");
  }

  private static boolean isWorkload(KindStrategy strategy) {
    // by group too: a custom kind that happens to be called Deployment holds no pod template of ours
    return switch (strategy.group()) {
      case "apps" -> List.of("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet").contains(strategy.kind());
      case "batch" -> List.of("Job", "CronJob").contains(strategy.kind());
      default -> false;
    };
  }

  /** The outcome for one object: a refusal (pods only) or warnings, possibly none. */
  record Decision(Status refusal, List<String> warnings) {}

  /**
   * Decides a new or changed object of {@code strategy}'s kind in {@code namespace} (its Namespace
   * object; null when unknown, which means the cluster default).
   */
  Decision decide(KindStrategy strategy, JsonNode namespace, String name, JsonNode object) {
    Optional<PodSecurityChecks.PodView> found = PodSecurityPolicy.podOf(strategy.kind(), object);
    if (found.isEmpty()) return new Decision(null, List.of());
    PodSecurityChecks.PodView pod = found.get();
    PodSecurityPolicy policy = PodSecurityPolicy.of(namespace, defaultEnforce);
    String where = strategy.plural() + " " + namespaceName(namespace) + "/" + name;
    List<PodSecurityChecks.Violation> audited = PodSecurityPolicy.violations(policy.audit(), pod);
    if (!audited.isEmpty()) {
      log.info("PodSecurity audit: {} {}", where, PodSecurityPolicy.violates(policy.audit(), audited));
    }
    List<PodSecurityChecks.Violation> enforced = PodSecurityPolicy.violations(policy.enforce(), pod);
    if (isPod(strategy) && !enforced.isEmpty()) {
      log.info("PodSecurity refused {}: {}", where, PodSecurityPolicy.violates(policy.enforce(), enforced));
      return new Decision(NamespaceAdmission.forbidden(strategy, name, PodSecurityPolicy.violates(policy.enforce(), enforced)),
          List.of());
    }
    // Here a pod passed enforce; a template may not have (it is only warned of).
    List<String> warnings = new ArrayList<>();
    if (!enforced.isEmpty()) warnings.add(PodSecurityPolicy.wouldViolate(policy.enforce(), enforced));
    if (policy.warn().level() != policy.enforce().level()) {
      List<PodSecurityChecks.Violation> warned = PodSecurityPolicy.violations(policy.warn(), pod);
      if (!warned.isEmpty()) warnings.add(PodSecurityPolicy.wouldViolate(policy.warn(), warned));
    }
    return new Decision(null, warnings);
  }

  private static String namespaceName(JsonNode namespace) {
    return namespace == null ? "?" : namespace.path("metadata").path("name").asText("?");
  }
}
