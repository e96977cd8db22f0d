package dev.tugboat.kinds.validatingadmissionpolicybinding;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tugboat.kinds.validatingadmissionpolicy.ValidatingAdmissionPolicy.MatchResources;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.ObjectMeta;
import java.util.List;

/**
 * A ValidatingAdmissionPolicyBinding (admissionregistration.k8s.io/v1): applies one policy, to the
 * requests its {@code matchResources} narrows the policy's to, with the parameters {@code paramRef}
 * names, and says what a failed validation does ({@code validationActions}: Deny, Warn, Audit).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ValidatingAdmissionPolicyBinding(String apiVersion, String kind, ObjectMeta metadata, Spec spec)
    implements ApiObject {

  @Override
  public ValidatingAdmissionPolicyBinding withMetadata(ObjectMeta metadata) {
    return new ValidatingAdmissionPolicyBinding(apiVersion, kind, metadata, spec);
  }

  /** The policy, its parameters, the narrower match and the actions. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(String policyName, ParamRef paramRef, MatchResources matchResources, List<String> validationActions) {}

  /**
   * The parameter objects: one by {@code name}, or those a {@code selector} selects; in
   * {@code namespace}, else the request's namespace (for a namespaced paramKind).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ParamRef(String name, String namespace, LabelSelector selector, String parameterNotFoundAction) {}
}
