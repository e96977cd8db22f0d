package dev.tugboat.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Whether a pod may go to a node, by its node selector, required node affinity and tolerations:
 * what the scheduler's filters and the DaemonSet controller both ask, as Kubernetes' shared
 * component-helpers answer it for kube-scheduler and the daemon controller.
 */
public final class NodeMatch {
  private NodeMatch() {}

  /**
   * The node selector's labels all match, and one of the required node affinity terms (each an AND
   * of label expressions and {@code metadata.name} fields) holds; no terms means any node.
   */
  public static boolean selects(Map<String, String> nodeSelector, JsonNode affinity, String nodeName,
      Map<String, String> labels) {
    for (Map.Entry<String, String> e : nodeSelector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) return false;
    }
    JsonNode terms = affinity == null ? null : affinity.path("nodeAffinity")
        .path("requiredDuringSchedulingIgnoredDuringExecution").path("nodeSelectorTerms");
    if (terms == null || !terms.isArray() || terms.isEmpty()) return true;
    for (JsonNode term : terms) {
      if (termMatches(term, nodeName, labels)) return true;
    }
    return false;
  }

  private static boolean termMatches(JsonNode term, String nodeName, Map<String, String> labels) {
    boolean any = false;
    for (JsonNode e : term.path("matchExpressions")) {
      any = true;
      if (!matches(e, labels.get(e.path("key").asText()))) return false;
    }
    for (JsonNode e : term.path("matchFields")) {
      any = true;
      String value = "metadata.name".equals(e.path("key").asText()) ? nodeName : null;
      if (!matches(e, value)) return false;
    }
    return any; // an empty term matches nothing, as in Kubernetes
  }

  private static boolean matches(JsonNode expression, String value) {
    JsonNode values = expression.path("values");
    return switch (expression.path("operator").asText()) {
      case "In" -> value != null && contains(values, value);
      case "NotIn" -> value == null || !contains(values, value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      case "Gt" -> compare(value, values) > 0;
      case "Lt" -> compare(value, values) < 0 && compare(value, values) != Integer.MIN_VALUE;
      default -> false;
    };
  }

  private static boolean contains(JsonNode values, String value) {
    for (JsonNode v : values) if (v.asText().equals(value)) return true;
    return false;
  }

  /** The label compared as an integer with the single value; MIN_VALUE when either is not one. */
  private static int compare(String label, JsonNode values) {
    try {
      return label == null || values.size() != 1 ? Integer.MIN_VALUE
          : Long.compare(Long.parseLong(label), Long.parseLong(values.get(0).asText()));
    } catch (NumberFormatException e) {
      return Integer.MIN_VALUE;
    }
  }

  /** Kubernetes' ToleratesTaint: effect empty matches all; Exists with no key tolerates everything. */
  public static boolean tolerates(List<Pod.Toleration> tolerations, String key, String value, String effect) {
    for (Pod.Toleration t : tolerations) {
      if (t.effect() != null && !t.effect().isEmpty() && !t.effect().equals(effect)) continue;
      boolean anyKey = t.key() == null || t.key().isEmpty();
      if (!anyKey && !t.key().equals(key)) continue;
      if ("Exists".equals(t.operator())) return true;
      if (anyKey) continue; // Equal needs a key
      String v = t.value() == null ? "" : t.value();
      if (v.equals(value == null ? "" : value)) return true;
    }
    return false;
  }
}
