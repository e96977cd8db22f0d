package dev.tugboat.kind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.FieldSelector;
import dev.tugboat.model.Selector;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The {@code labelSelector} and {@code fieldSelector} of a list or watch as one predicate over
 * stored objects of one kind; the fields come from the kind's strategy.
 */
public final class ObjectFilter {
  private ObjectFilter() {}

  /**
   * @throws IllegalArgumentException when either selector does not parse, or names a field the
   *     kind cannot be selected by
   */
  public static Predicate<ObjectNode> of(KindStrategy kind, String labelSelector, String fieldSelector) {
    Selector labels = labelSelector == null || labelSelector.isBlank() ? null : Selector.parse(labelSelector);
    FieldSelector fields = fieldSelector == null || fieldSelector.isBlank() ? null : FieldSelector.parse(fieldSelector);
    if (labels == null && fields == null) return o -> true;
    Map<String, SelectableField> selectable = new LinkedHashMap<>();
    for (SelectableField f : SelectableField.COMMON) selectable.put(f.name(), f);
    for (SelectableField f : kind.selectableFields()) selectable.put(f.name(), f);
    if (fields != null) fields.check(selectable.keySet());
    return o -> (labels == null || labels.matches(labelsOf(o)))
        && (fields == null || fields.matches(name -> selectable.get(name).valueOf(o)));
  }

  public static Map<String, String> labelsOf(JsonNode o) {
    JsonNode labels = o.path("metadata").path("labels");
    if (!labels.isObject()) return Map.of();
    Map<String, String> result = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      result.put(e.getKey(), e.getValue().asText());
    }
    return result;
  }
}
