package dev.tugboat.model.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How objects written by client-side apply ({@code kubectl apply} without {@code --server-side},
 * which keeps its configuration in an annotation) move to server-side apply, as Kubernetes does it
 * for kubectl: when the manager {@code kubectl} applies, the fields of the last applied
 * configuration are its to take without a conflict, and the annotation follows the new
 * configuration so that a later client-side apply computes from it.
 */
public final class ClientSideApply {
  public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  /** The manager kubectl's server-side apply uses; only it takes a client-side apply's fields over. */
  public static final String KUBECTL = "kubectl";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ClientSideApply() {}

  /** The fields {@code manager} may take from others without force when applying to {@code live}. */
  public static FieldSet allowedConflicts(String manager, JsonNode live, FieldSchema schema, ManagedFields.Scope scope) {
    if (!KUBECTL.equals(manager) || live == null) return FieldSet.EMPTY;
    JsonNode annotation = live.path("metadata").path("annotations").path(LAST_APPLIED);
    if (!annotation.isTextual()) return FieldSet.EMPTY;
    try {
      return ManagedFields.owned(JSON.readTree(annotation.asText()), schema, scope);
    } catch (Exception e) {
      return FieldSet.EMPTY; // an annotation that is no JSON grants nothing
    }
  }

  /**
   * {@code merged} with its last-applied annotation, if it has one and {@code manager} is kubectl,
   * set to the applied configuration (without the annotation itself).
   */
  public static ObjectNode followApply(String manager, ObjectNode merged, ObjectNode config) {
    if (!KUBECTL.equals(manager)) return merged;
    JsonNode annotations = merged.path("metadata").path("annotations");
    if (!(annotations instanceof ObjectNode a) || !a.has(LAST_APPLIED)) return merged;
    ObjectNode applied = config.deepCopy();
    if (applied.path("metadata").path("annotations") instanceof ObjectNode own) {
      own.remove(LAST_APPLIED);
      if (own.isEmpty()) ((ObjectNode) applied.get("metadata")).remove("annotations");
    }
    a.put(LAST_APPLIED, applied.toString());
    return merged;
  }
}
