package dev.tugboat.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * {@code spec.nodeSelector} and required node affinity: the selector's labels must all match, and
 * one of the required terms (each an AND of expressions) must hold.
 */
public final class NodeAffinityFilter implements FilterPlugin {
  static final String REASON = "node(s) didn't match Pod's node affinity/selector";

  @Override
  public String name() {
    return "NodeAffinity";
  }

  @Override
  public List<String> filter(PodRequest pod, NodeSnapshot node) {
    for (Map.Entry<String, String> e : pod.nodeSelector().entrySet()) {
      if (!e.getValue().equals(node.labels().get(e.getKey()))) return List.of(REASON);
    }
    JsonNode terms = pod.affinity() == null ? null : pod.affinity().path("nodeAffinity")
        .path("requiredDuringSchedulingIgnoredDuringExecution").path("nodeSelectorTerms");
    if (terms == null || !terms.isArray() || terms.isEmpty()) return List.of();
    for (JsonNode term : terms) {
      if (termMatches(term, node)) return List.of();
    }
    return List.of(REASON);
  }

  private static boolean termMatches(JsonNode term, NodeSnapshot node) {
    boolean any = false;
    for (JsonNode e : term.path("matchExpressions")) {
      any = true;
      if (!matches(e, node.labels().get(e.path("key").asText()))) return false;
    }
    for (JsonNode e : term.path("matchFields")) {
      any = true;
      String value = "metadata.name".equals(e.path("key").asText()) ? node.name() : null;
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
}
