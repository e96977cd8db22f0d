package dev.tugboat.kinds.persistentvolume;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

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
}
