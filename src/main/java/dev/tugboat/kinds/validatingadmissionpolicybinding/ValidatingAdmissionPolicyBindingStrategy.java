package dev.tugboat.kinds.validatingadmissionpolicybinding;

import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.kinds.validatingadmissionpolicy.ValidatingAdmissionPolicyStrategy;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ResourceType;
import dev.tugboat.kinds.validatingadmissionpolicybinding.ValidatingAdmissionPolicyBinding.ParamRef;
import dev.tugboat.kinds.validatingadmissionpolicybinding.ValidatingAdmissionPolicyBinding.Spec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * ValidatingAdmissionPolicyBindings (admissionregistration.k8s.io/v1), with Kubernetes' validation:
 * a policy name, at least one of Deny, Warn and Audit (never Deny with Warn), a paramRef with a name
 * or a selector (not both) and a parameterNotFoundAction.
 */
public final class ValidatingAdmissionPolicyBindingStrategy extends TypedStrategy<ValidatingAdmissionPolicyBinding> {
  public static final ResourceType TYPE = new ResourceType("admissionregistration.k8s.io", "v1",
      "ValidatingAdmissionPolicyBinding", "validatingadmissionpolicybindings", "validatingadmissionpolicybinding",
      List.of(), false, List.of("api-extensions"), List.of(), ValidatingAdmissionPolicyBinding.class);
  static final List<String> ACTIONS = List.of("Deny", "Warn", "Audit");
  static final List<String> NOT_FOUND_ACTIONS = List.of("Allow", "Deny");

  public ValidatingAdmissionPolicyBindingStrategy() {
    super(TYPE, ValidatingAdmissionPolicyBinding.class);
  }

  @Override
  protected ValidatingAdmissionPolicyBinding defaults(ValidatingAdmissionPolicyBinding b) {
    Spec s = b.spec();
    if (s == null || s.matchResources() == null) return b;
    return new ValidatingAdmissionPolicyBinding(b.apiVersion(), b.kind(), b.metadata(), new Spec(s.policyName(), s.paramRef(),
        ValidatingAdmissionPolicyStrategy.defaults(s.matchResources()), s.validationActions()));
  }

  @Override
  protected void validate(ValidatingAdmissionPolicyBinding b, List<FieldError> e) {
    Spec s = b.spec();
    if (s == null) {
      e.add(FieldError.required("spec", null));
      return;
    }
    if (s.policyName() == null || s.policyName().isBlank()) e.add(FieldError.required("spec.policyName", null));
    List<String> actions = s.validationActions() == null ? List.of() : s.validationActions();
    if (actions.isEmpty()) e.add(FieldError.required("spec.validationActions", "at least one validation action is required"));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < actions.size(); i++) {
      String a = actions.get(i);
      if (!ACTIONS.contains(a)) e.add(FieldError.notSupported("spec.validationActions[" + i + "]", a, ACTIONS));
      else if (!seen.add(a)) e.add(FieldError.duplicate("spec.validationActions[" + i + "]", a));
    }
    if (seen.contains("Deny") && seen.contains("Warn")) {
      e.add(FieldError.invalid("spec.validationActions", actions, "must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)"));
    }
    ParamRef p = s.paramRef();
    if (p != null) {
      boolean named = p.name() != null && !p.name().isEmpty();
      if (named && p.selector() != null) e.add(FieldError.forbidden("spec.paramRef.name", "name and selector are mutually exclusive"));
      if (!named && p.selector() == null) e.add(FieldError.required("spec.paramRef", "one of name or selector must be specified"));
      if (p.parameterNotFoundAction() == null) e.add(FieldError.required("spec.paramRef.parameterNotFoundAction", null));
      else if (!NOT_FOUND_ACTIONS.contains(p.parameterNotFoundAction())) {
        e.add(FieldError.notSupported("spec.paramRef.parameterNotFoundAction", p.parameterNotFoundAction(), NOT_FOUND_ACTIONS));
      }
    }
    if (s.matchResources() != null) ValidatingAdmissionPolicyStrategy.matchResources(s.matchResources(), "spec.matchResources", e);
  }
}
