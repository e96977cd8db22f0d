package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.FieldSelector;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Selector;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The {@code labelSelector} and {@code fieldSelector} of a list or watch as one predicate over
 * stored objects.
 */
final class ObjectFilter {
  private ObjectFilter() {}

  /**
   * @throws IllegalArgumentException when either selector does not parse, or names a field the
   *     kind cannot be selected by
   */
  static Predicate<ObjectNode> of(ResourceType type, String labelSelector, String fieldSelector) {
    Selector labels = labelSelector == null || labelSelector.isBlank() ? null : Selector.parse(labelSelector);
    FieldSelector fields = fieldSelector == null || fieldSelector.isBlank() ? null : FieldSelector.parse(fieldSelector);
    if (fields != null) fields.check(type.kind());
    if (labels == null && fields == null) return o -> true;
    return o -> (labels == null || labels.matches(labelsOf(o)))
        && (fields == null || fields.matches(path -> fieldValue(o, path)));
  }

  static Map<String, String> labelsOf(ObjectNode o) {
    JsonNode labels = o.path("metadata").path("labels");
    if (!labels.isObject()) return Map.of();
    Map<String, String> result = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      result.put(e.getKey(), e.getValue().asText());
    }
    return result;
  }

  /** The value of a dotted field path ("spec.nodeName"), "" when absent, as Kubernetes compares it. */
  static String fieldValue(ObjectNode o, String path) {
    JsonNode node = o;
    for (String part : path.split("\\.")) node = node.path(part);
    return node.isMissingNode() || node.isNull() ? "" : node.asText();
  }
}
