package dev.tugboat.kinds.ingressclass;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.ObjectMeta;

/**
 * An IngressClass (networking.k8s.io/v1, cluster-scoped): which controller serves the Ingresses
 * naming it. Tugboat's own controller is {@value #CONTROLLER}; the class {@value #BUILT_IN} exists
 * from the start and is the default.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IngressClass(String apiVersion, String kind, ObjectMeta metadata, Spec spec) implements ApiObject {

  /** Marks the class an Ingress gets when it names none. */
  public static final String DEFAULT_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
  /** The controller in every Tugboat worker's proxy. */
  public static final String CONTROLLER = "tugboat.dev/ingress";
  /** The class Tugboat creates at startup if absent. */
  public static final String BUILT_IN = "tugboat";

  @Override
  public IngressClass withMetadata(ObjectMeta metadata) {
    return new IngressClass(apiVersion, kind, metadata, spec);
  }

  /** {@code controller}: who serves it ({@code example.com/name}); {@code parameters}: its configuration, if any. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(String controller, Parameters parameters) {}

  /** A reference to an object holding the class's configuration, cluster- or namespace-scoped. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Parameters(String apiGroup, String kind, String name, String scope, String namespace) {}

  /** Whether a class (as JSON) is marked default. */
  public static boolean isDefault(JsonNode ingressClass) {
    return "true".equals(ingressClass.path("metadata").path("annotations").path(DEFAULT_ANNOTATION).asText());
  }
}
