package dev.tugboat.kinds.validatingadmissionpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.ObjectMeta;
import java.util.List;

/**
 * A ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1): CEL validations applied to the
 * writes its {@code matchConstraints} select, once per binding that names it
 * (ValidatingAdmissionPolicyBinding), with that binding's parameters.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ValidatingAdmissionPolicy(String apiVersion, String kind, ObjectMeta metadata, Spec spec, JsonNode status)
    implements ApiObject {

  @Override
  public ValidatingAdmissionPolicy withMetadata(ObjectMeta metadata) {
    return new ValidatingAdmissionPolicy(apiVersion, kind, metadata, spec, status);
  }

  /** What the policy checks, on which requests, and what an error in it means ({@code failurePolicy}). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(ParamKind paramKind, MatchResources matchConstraints, List<Validation> validations,
      String failurePolicy, List<AuditAnnotation> auditAnnotations, List<MatchCondition> matchConditions,
      List<Variable> variables) {}

  /** The kind of the parameter objects the bindings name (a ConfigMap, a custom resource...). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ParamKind(String apiVersion, String kind) {}

  /** Which requests: by resource and operation, namespace labels and object labels. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MatchResources(LabelSelector namespaceSelector, LabelSelector objectSelector,
      List<Rule> resourceRules, List<Rule> excludeResourceRules, String matchPolicy) {}

  /** Kubernetes' NamedRuleWithOperations: operations on resources of groups and versions, in a scope. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Rule(List<String> resourceNames, List<String> operations, List<String> apiGroups,
      List<String> apiVersions, List<String> resources, String scope) {}

  /** One check: a CEL expression that must be true, and how to say it was not. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Validation(String expression, String message, String reason, String messageExpression) {}

  /** A key and a CEL value written to the audit log. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AuditAnnotation(String key, String valueExpression) {}

  /** A named CEL condition the request must meet for the policy to apply at all. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MatchCondition(String name, String expression) {}

  /** A named CEL value, {@code variables.<name>} in the expressions after it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Variable(String name, String expression) {}
}
