package dev.tugboat.kinds.persistentvolume;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the binder, the scheduler, the node agent and the printers read off volumes and claims, on
 * their JSON. Pure.
 */
public final class Volumes {
  private Volumes() {}

  /** kubectl's abbreviation of access modes: {@code RWO,ROX,RWX,RWOP}, each once, in that order. */
  public static String accessModes(JsonNode modes) {
    List<String> present = new ArrayList<>();
    for (JsonNode m : modes) present.add(m.asText());
    List<String> out = new ArrayList<>();
    String[] short_ = {"RWO", "ROX", "RWX", "RWOP"};
    for (int i = 0; i < PersistentVolume.ACCESS_MODES.size(); i++) {
      if (present.contains(PersistentVolume.ACCESS_MODES.get(i))) out.add(short_[i]);
    }
    return String.join(",", out);
  }

  /** The storage amount at {@code resources} ({@code capacity}, {@code requests}) in bytes, or null when absent or invalid. */
  public static BigDecimal storage(JsonNode resources) {
    JsonNode q = resources.path("storage");
    if (q.isMissingNode() || q.isNull()) return null;
    try {
      return new Quantity(q.asText()).value();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The directory behind a volume: its {@code hostPath.path} or {@code local.path}; null for neither. */
  public static String path(JsonNode volume) {
    JsonNode spec = volume.path("spec");
    if (spec.path("hostPath").hasNonNull("path")) return spec.path("hostPath").path("path").asText();
    if (spec.path("local").hasNonNull("path")) return spec.path("local").path("path").asText();
    return null;
  }

  /**
   * The class of a volume or claim as Kubernetes reads it: the beta annotation first, then
   * {@code spec.storageClassName}; "" for none.
   */
  public static String className(JsonNode object) {
    JsonNode beta = object.path("metadata").path("annotations").path("volume.beta.kubernetes.io/storage-class");
    if (beta.isTextual()) return beta.asText();
    return object.path("spec").path("storageClassName").asText("");
  }

  /**
   * Whether a volume may be used on a node: its {@code nodeAffinity.required.nodeSelectorTerms}
   * (one term of expressions on labels and fields, all holding) match it; a volume without node
   * affinity may be used anywhere.
   */
  public static boolean availableOn(JsonNode volume, String nodeName, Map<String, String> labels) {
    JsonNode terms = volume.path("spec").path("nodeAffinity").path("required").path("nodeSelectorTerms");
    if (!terms.isArray() || terms.isEmpty()) return true;
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
      if (!matches(e, "metadata.name".equals(e.path("key").asText()) ? nodeName : null)) return false;
    }
    return any; // an empty term matches nothing, as in Kubernetes
  }

  private static boolean matches(JsonNode expression, String value) {
    List<String> values = new ArrayList<>();
    expression.path("values").forEach(v -> values.add(v.asText()));
    return switch (expression.path("operator").asText()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      case "Gt", "Lt" -> {
        try {
          int c = Long.compare(Long.parseLong(value), Long.parseLong(values.get(0)));
          yield expression.path("operator").asText().equals("Gt") ? c > 0 : c < 0;
        } catch (RuntimeException e) {
          yield false;
        }
      }
      default -> false;
    };
  }

  /** The names of the claims a pod's volumes use. */
  public static List<String> claimNames(JsonNode pod) {
    List<String> names = new ArrayList<>();
    for (JsonNode v : pod.path("spec").path("volumes")) {
      String claim = v.path("persistentVolumeClaim").path("claimName").asText("");
      if (!claim.isEmpty()) names.add(claim);
    }
    return names;
  }
}
