package dev.tugboat.kind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simple JSONPath of CRD printer columns, selectable fields and scale paths: {@code .spec.replicas},
 * {@code .status.conditions[0].type}. Kubernetes allows no more there (no filters, no wildcards).
 */
public final class JsonPaths {
  private static final Pattern STEP = Pattern.compile("\\.([^.\\[]+)|\\[(\\d+)]");
  private static final Pattern VALID = Pattern.compile("(\\.[^.\\[\\]]+|\\[\\d+])+");

  private JsonPaths() {}

  /** True for a path of fields and indexes only, starting with a dot. */
  public static boolean valid(String path) {
    return path != null && VALID.matcher(path).matches();
  }

  /** The node at {@code path} in {@code object}, missing when any step is absent. */
  public static JsonNode at(JsonNode object, String path) {
    JsonNode node = object;
    Matcher m = STEP.matcher(path);
    while (m.find()) {
      node = m.group(1) != null ? node.path(m.group(1)) : node.path(Integer.parseInt(m.group(2)));
      if (node.isMissingNode()) return MissingNode.getInstance();
    }
    return node;
  }

  /**
   * A merge patch that sets the field at {@code path} (fields only, no indexes) to {@code value}:
   * {@code .spec.replicas}, 3 gives {@code {"spec":{"replicas":3}}}.
   */
  public static ObjectNode patchSetting(String path, JsonNode value) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    ObjectNode at = patch;
    String[] fields = fieldName(path).split("\\.");
    for (int i = 0; i < fields.length - 1; i++) at = at.putObject(fields[i]);
    at.set(fields[fields.length - 1], value);
    return patch;
  }

  /** {@code .spec.color} as a field selector names it: {@code spec.color}. */
  public static String fieldName(String path) {
    return path.startsWith(".") ? path.substring(1) : path;
  }
}
