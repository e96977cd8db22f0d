package dev.tugboat.kind;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A field a kind can be selected by ({@code spec.nodeName}), where its value is in the stored
 * object, and how Kubernetes renders it when absent: {@code ""} for strings, {@code "false"} for
 * booleans ({@code spec.unschedulable=false} matches a node that never set it), {@code "0"} for
 * counts.
 *
 * @param path the dotted path of the value in the object, usually the name itself
 */
public record SelectableField(String name, String path, String absent) {
  /** A metadata.name and metadata.namespace of every kind. */
  public static final List<SelectableField> COMMON = List.of(of("metadata.name"), of("metadata.namespace"));

  /** A string field at its own path. */
  public static SelectableField of(String name) {
    return new SelectableField(name, name, "");
  }

  public static SelectableField withAbsent(String name, String absent) {
    return new SelectableField(name, name, absent);
  }

  /** The value of this field of {@code object}, as a field selector compares it. */
  public String valueOf(JsonNode object) {
    JsonNode node = object;
    for (String part : path.split("\\.")) node = node.path(part);
    return node.isMissingNode() || node.isNull() ? absent : node.asText();
  }
}
