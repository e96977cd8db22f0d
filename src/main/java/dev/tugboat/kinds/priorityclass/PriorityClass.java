package dev.tugboat.kinds.priorityclass;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.ObjectMeta;
import java.util.Map;

/**
 * A PriorityClass (scheduling.k8s.io/v1, cluster-scoped): the priority a pod naming it gets, whether
 * pods naming none get it ({@code globalDefault}, at most one class), and whether its pods may
 * preempt others ({@code preemptionPolicy}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PriorityClass(String apiVersion, String kind, ObjectMeta metadata, Integer value, Boolean globalDefault,
    String description, String preemptionPolicy) implements ApiObject {

  /** Pods of a class with this policy may have lower-priority pods evicted to make room. */
  public static final String PREEMPT_LOWER = "PreemptLowerPriority";
  /** Pods of a class with this policy wait for room instead. */
  public static final String NEVER = "Never";
  /** The highest value a user's class may have; above it only the built-in system classes. */
  public static final int HIGHEST_USER_DEFINABLE = 1_000_000_000;
  /** Prefix of the built-in classes' names, reserved for them. */
  public static final String SYSTEM_PREFIX = "system-";
  /** The built-in classes and their values, as Kubernetes has them; created at startup. */
  public static final Map<String, Integer> BUILT_IN = Map.of(
      "system-cluster-critical", 2_000_000_000,
      "system-node-critical", 2_000_001_000);

  @Override
  public PriorityClass withMetadata(ObjectMeta metadata) {
    return new PriorityClass(apiVersion, kind, metadata, value, globalDefault, description, preemptionPolicy);
  }

  /** Whether a class (as JSON) is the global default. */
  public static boolean isGlobalDefault(JsonNode priorityClass) {
    return priorityClass.path("globalDefault").asBoolean(false);
  }
}
