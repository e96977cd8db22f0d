package dev.tugboat.kinds.ingress;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which IngressClass an Ingress belongs to, and whether a given controller serves it: the rule the
 * ingress controller and the Ingress status controller both follow, so it lives with the kind.
 */
public final class IngressClassOf {
  private IngressClassOf() {}

  /**
   * The class the Ingress names: {@code spec.ingressClassName}, else the older annotation
   * {@value Ingress#CLASS_ANNOTATION}; null when it names none.
   */
  public static String name(JsonNode ingress) {
    String name = ingress.path("spec").path("ingressClassName").asText("");
    if (name.isEmpty()) name = ingress.path("metadata").path("annotations").path(Ingress.CLASS_ANNOTATION).asText("");
    return name.isEmpty() ? null : name;
  }

  /**
   * Whether the controller {@code controller} serves the Ingress: it names a class of that
   * controller, or it names none (Tugboat has one ingress controller, so Ingresses without a class
   * are its, as ingress-nginx takes them with {@code --watch-ingress-without-class}). An Ingress
   * naming a class that does not exist is nobody's.
   *
   * @param classes the IngressClasses that exist
   */
  public static boolean servedBy(String controller, JsonNode ingress, Iterable<? extends JsonNode> classes) {
    String name = name(ingress);
    if (name == null) return true;
    for (JsonNode c : classes) {
      if (name.equals(c.path("metadata").path("name").asText())) {
        return controller.equals(c.path("spec").path("controller").asText());
      }
    }
    return false;
  }
}
