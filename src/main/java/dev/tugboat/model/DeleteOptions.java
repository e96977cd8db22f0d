package dev.tugboat.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of a DELETE ({@code meta/v1 DeleteOptions}): how dependents are treated, the grace period,
 * and preconditions that must hold for the delete to happen.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeleteOptions(
    String kind,
    String apiVersion,
    String propagationPolicy,
    Long gracePeriodSeconds,
    Preconditions preconditions,
    List<String> dryRun,
    Boolean orphanDependents) {

  public static final List<String> POLICIES = List.of("Background", "Foreground", "Orphan");
  /** Holds an owner deleted in the foreground until the garbage collector has deleted its dependents. */
  public static final String FOREGROUND_FINALIZER = "foregroundDeletion";
  /** Holds an owner deleted with Orphan until the garbage collector has freed its dependents. */
  public static final String ORPHAN_FINALIZER = "orphan";

  /** The delete happens only if the object still has this uid / resourceVersion. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Preconditions(String uid, String resourceVersion) {}

  /**
   * The policy in effect: the explicit one, else Orphan for the deprecated {@code orphanDependents},
   * else Background (Kubernetes' default for the kinds Tugboat serves).
   */
  public String effectivePropagationPolicy() {
    if (propagationPolicy != null) return propagationPolicy;
    if (Boolean.TRUE.equals(orphanDependents)) return "Orphan";
    return "Background";
  }

  /**
   * The longest grace period Tugboat takes, from a delete or a pod's terminationGracePeriodSeconds:
   * a year, beyond any real drain. Kubernetes sets no bound; without one, a deletion time far enough
   * ahead overflows the clock's arithmetic and the object's entity stops.
   */
  public static final long MAX_GRACE_PERIOD_SECONDS = 365L * 24 * 3600;

  /** The grace period in effect; Kubernetes treats a negative one as 1 second rather than refusing it. */
  public long effectiveGracePeriodSeconds(long defaultSeconds) {
    if (gracePeriodSeconds == null) return defaultSeconds;
    return gracePeriodSeconds < 0 ? 1 : gracePeriodSeconds;
  }

  /** What is wrong with these options, worded as Kubernetes words it. */
  public List<FieldError> validate() {
    List<FieldError> errors = new ArrayList<>();
    if (propagationPolicy != null && !POLICIES.contains(propagationPolicy)) {
      errors.add(FieldError.notSupported("propagationPolicy", propagationPolicy, POLICIES));
    }
    if (propagationPolicy != null && orphanDependents != null) {
      errors.add(FieldError.invalid("propagationPolicy", propagationPolicy,
          "orphanDependents and deletionPropagation cannot be both set"));
    }
    if (dryRun != null) {
      for (String d : dryRun) {
        if (!"All".equals(d)) errors.add(FieldError.notSupported("dryRun", d, List.of("All")));
      }
    }
    return errors;
  }
}
