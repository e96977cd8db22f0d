package dev.tugboat.kinds.hpa;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * HorizontalPodAutoscalers as kubectl prints them: REFERENCE, TARGETS ({@code cpu: 12%/50%}, each
 * metric's current over its target, {@code <unknown>} before the first measure), MINPODS, MAXPODS,
 * REPLICAS.
 */
public record HorizontalPodAutoscalerPrinter() implements Printer {
  /** Kubernetes prints two metrics, then "+ N more...". */
  private static final int SHOWN = 2;
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.of("Reference", "Reference to the scaled object."),
      Column.of("Targets", "Current and target values of the metrics."),
      Column.of("MinPods", "Lower limit for the number of pods.").withType("string"),
      Column.of("MaxPods", "Upper limit for the number of pods.").withType("integer"),
      Column.of("Replicas", "Current number of replicas.").withType("integer"),
      Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode hpa, Instant now) {
    JsonNode spec = hpa.path("spec");
    JsonNode ref = spec.path("scaleTargetRef");
    return List.of(
        hpa.path("metadata").path("name").asText(),
        ref.path("kind").asText() + "/" + ref.path("name").asText(),
        targets(spec.path("metrics"), hpa.path("status").path("currentMetrics")),
        spec.has("minReplicas") ? spec.path("minReplicas").asText() : Cells.UNKNOWN,
        spec.path("maxReplicas").asInt(),
        hpa.path("status").path("currentReplicas").asInt(0),
        Cells.age(hpa.path("metadata").path("creationTimestamp"), now));
  }

  /** Kubernetes' {@code formatHPAMetrics}: for each metric "name: current/target". */
  static String targets(JsonNode metrics, JsonNode statuses) {
    if (!metrics.isArray() || metrics.isEmpty()) return Cells.NONE;
    List<String> list = new ArrayList<>();
    for (int i = 0; i < metrics.size(); i++) {
      JsonNode m = metrics.get(i);
      String field = m.path("type").asText().equals("ContainerResource") ? "containerResource" : "resource";
      JsonNode source = m.path(field);
      JsonNode target = source.path("target");
      JsonNode current = statuses.path(i).path(field).path("current");
      String name = source.path("name").asText();
      if (target.has("averageValue")) {
        String now = current.has("averageValue") ? current.path("averageValue").asText() : Cells.UNKNOWN;
        list.add(name + ": " + now + "/" + target.path("averageValue").asText());
      } else {
        String now = current.has("averageUtilization") ? current.path("averageUtilization").asInt() + "%" : Cells.UNKNOWN;
        String goal = target.has("averageUtilization") ? target.path("averageUtilization").asInt() + "%" : "<auto>";
        list.add(name + ": " + now + "/" + goal);
      }
    }
    if (list.size() > SHOWN) {
      return String.join(", ", list.subList(0, SHOWN)) + " + " + (list.size() - SHOWN) + " more...";
    }
    return String.join(", ", list);
  }
}
