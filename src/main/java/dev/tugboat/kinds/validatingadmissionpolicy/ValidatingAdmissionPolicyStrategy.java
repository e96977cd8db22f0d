package dev.tugboat.kinds.validatingadmissionpolicy;

import dev.tugboat.cel.Cel;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.ResourceType;
import dev.tugboat.kinds.validatingadmissionpolicy.ValidatingAdmissionPolicy.MatchResources;
import dev.tugboat.kinds.validatingadmissionpolicy.ValidatingAdmissionPolicy.Rule;
import dev.tugboat.kinds.validatingadmissionpolicy.ValidatingAdmissionPolicy.Spec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * ValidatingAdmissionPolicies (admissionregistration.k8s.io/v1), with Kubernetes' defaults
 * ({@code failurePolicy: Fail}, {@code matchPolicy: Equivalent}, empty selectors, rules of any scope)
 * and its validation: every CEL expression must compile in the policy's environment
 * ({@link #CEL}), so a policy that could only ever fail is refused when written, naming the field.
 */
public final class ValidatingAdmissionPolicyStrategy extends TypedStrategy<ValidatingAdmissionPolicy> {
  public static final ResourceType TYPE = new ResourceType("admissionregistration.k8s.io", "v1",
      "ValidatingAdmissionPolicy", "validatingadmissionpolicies", "validatingadmissionpolicy", List.of(), false,
      List.of("api-extensions"), List.of("status"), ValidatingAdmissionPolicy.class);
  /** The variables Kubernetes declares for policy expressions ({@code authorizer} is declared, never bound here). */
  public static final Cel CEL = Cel.withVariables("object", "oldObject", "request", "params", "namespaceObject",
      "variables", "authorizer");
  static final List<String> FAILURE_POLICIES = List.of("Fail", "Ignore");
  static final List<String> OPERATIONS = List.of("*", "CREATE", "UPDATE", "DELETE", "CONNECT");
  static final List<String> SCOPES = List.of("*", "Cluster", "Namespaced");
  static final List<String> REASONS = List.of("Unauthorized", "Forbidden", "Invalid", "RequestEntityTooLarge");
  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public ValidatingAdmissionPolicyStrategy() {
    super(TYPE, ValidatingAdmissionPolicy.class);
  }

  @Override
  protected ValidatingAdmissionPolicy defaults(ValidatingAdmissionPolicy p) {
    Spec s = p.spec();
    if (s == null) return p;
    Spec d = new Spec(s.paramKind(), defaults(s.matchConstraints()), s.validations(),
        s.failurePolicy() == null ? "Fail" : s.failurePolicy(), s.auditAnnotations(), s.matchConditions(), s.variables());
    return new ValidatingAdmissionPolicy(p.apiVersion(), p.kind(), p.metadata(), d, p.status());
  }

  /** Kubernetes' defaults of a MatchResources: empty selectors (everything), Equivalent, scope "*". */
  public static MatchResources defaults(MatchResources m) {
    if (m == null) return null;
    LabelSelector all = new LabelSelector(null, null);
    return new MatchResources(m.namespaceSelector() == null ? all : m.namespaceSelector(),
        m.objectSelector() == null ? all : m.objectSelector(), scoped(m.resourceRules()), scoped(m.excludeResourceRules()),
        m.matchPolicy() == null ? "Equivalent" : m.matchPolicy());
  }

  private static List<Rule> scoped(List<Rule> rules) {
    if (rules == null) return null;
    return rules.stream().map(r -> r.scope() != null ? r : new Rule(r.resourceNames(), r.operations(), r.apiGroups(),
        r.apiVersions(), r.resources(), "*")).toList();
  }

  @Override
  protected void validate(ValidatingAdmissionPolicy p, List<FieldError> e) {
    Spec s = p.spec();
    if (s == null) {
      e.add(FieldError.required("spec", null));
      return;
    }
    if (s.paramKind() != null) {
      if (blank(s.paramKind().apiVersion())) e.add(FieldError.required("spec.paramKind.apiVersion", null));
      if (blank(s.paramKind().kind())) e.add(FieldError.required("spec.paramKind.kind", null));
    }
    if (s.matchConstraints() == null) e.add(FieldError.required("spec.matchConstraints", null));
    else {
      if (s.matchConstraints().resourceRules() == null || s.matchConstraints().resourceRules().isEmpty()) {
        e.add(FieldError.required("spec.matchConstraints.resourceRules", null));
      }
      matchResources(s.matchConstraints(), "spec.matchConstraints", e);
    }
    if (!FAILURE_POLICIES.contains(s.failurePolicy())) {
      e.add(FieldError.notSupported("spec.failurePolicy", s.failurePolicy(), FAILURE_POLICIES));
    }
    boolean none = (s.validations() == null || s.validations().isEmpty())
        && (s.auditAnnotations() == null || s.auditAnnotations().isEmpty());
    if (none) e.add(FieldError.required("spec.validations", "validations or auditAnnotations must contain at least one item"));
    Set<String> names = new HashSet<>();
    for (int i = 0; s.matchConditions() != null && i < s.matchConditions().size(); i++) {
      var c = s.matchConditions().get(i);
      String path = "spec.matchConditions[" + i + "]";
      if (blank(c.name())) e.add(FieldError.required(path + ".name", null));
      else if (!names.add(c.name())) e.add(FieldError.duplicate(path + ".name", c.name()));
      expression(path + ".expression", c.expression(), true, e);
    }
    names.clear();
    for (int i = 0; s.variables() != null && i < s.variables().size(); i++) {
      var v = s.variables().get(i);
      String path = "spec.variables[" + i + "]";
      if (blank(v.name())) e.add(FieldError.required(path + ".name", null));
      else if (!VARIABLE_NAME.matcher(v.name()).matches()) {
        e.add(FieldError.invalid(path + ".name", v.name(), "name is not a valid CEL identifier"));
      } else if (!names.add(v.name())) e.add(FieldError.duplicate(path + ".name", v.name()));
      expression(path + ".expression", v.expression(), false, e);
    }
    for (int i = 0; s.validations() != null && i < s.validations().size(); i++) {
      var v = s.validations().get(i);
      String path = "spec.validations[" + i + "]";
      expression(path + ".expression", v.expression(), true, e);
      if (v.messageExpression() != null) expression(path + ".messageExpression", v.messageExpression(), false, e);
      if (v.reason() != null && !REASONS.contains(v.reason())) e.add(FieldError.notSupported(path + ".reason", v.reason(), REASONS));
    }
    for (int i = 0; s.auditAnnotations() != null && i < s.auditAnnotations().size(); i++) {
      var a = s.auditAnnotations().get(i);
      String path = "spec.auditAnnotations[" + i + "]";
      if (blank(a.key())) e.add(FieldError.required(path + ".key", null));
      expression(path + ".valueExpression", a.valueExpression(), false, e);
    }
  }

  /** The checks a policy's matchConstraints and a binding's matchResources share. */
  public static void matchResources(MatchResources m, String path, List<FieldError> e) {
    selector(m.namespaceSelector(), path + ".namespaceSelector", e);
    selector(m.objectSelector(), path + ".objectSelector", e);
    if (m.matchPolicy() != null && !List.of("Exact", "Equivalent").contains(m.matchPolicy())) {
      e.add(FieldError.notSupported(path + ".matchPolicy", m.matchPolicy(), List.of("Exact", "Equivalent")));
    }
    rules(m.resourceRules(), path + ".resourceRules", e);
    rules(m.excludeResourceRules(), path + ".excludeResourceRules", e);
  }

  private static void rules(List<Rule> rules, String path, List<FieldError> e) {
    for (int i = 0; rules != null && i < rules.size(); i++) {
      Rule r = rules.get(i);
      String rp = path + "[" + i + "]";
      if (r.operations() == null || r.operations().isEmpty()) e.add(FieldError.required(rp + ".operations", null));
      else {
        for (int j = 0; j < r.operations().size(); j++) {
          if (!OPERATIONS.contains(r.operations().get(j))) {
            e.add(FieldError.notSupported(rp + ".operations[" + j + "]", r.operations().get(j), OPERATIONS));
          }
        }
      }
      if (r.apiGroups() == null || r.apiGroups().isEmpty()) e.add(FieldError.required(rp + ".apiGroups", null));
      if (r.apiVersions() == null || r.apiVersions().isEmpty()) e.add(FieldError.required(rp + ".apiVersions", null));
      if (r.resources() == null || r.resources().isEmpty()) e.add(FieldError.required(rp + ".resources", null));
      if (r.scope() != null && !SCOPES.contains(r.scope())) e.add(FieldError.notSupported(rp + ".scope", r.scope(), SCOPES));
    }
  }

  private static void selector(LabelSelector s, String path, List<FieldError> e) {
    if (s == null) return;
    try {
      s.toSelector();
    } catch (IllegalArgumentException bad) {
      e.add(FieldError.invalid(path + ".matchExpressions", s.toString(), bad.getMessage()));
    }
  }

  /** A CEL expression of the policy: it must compile, as Kubernetes says, and give a bool where asked. */
  static void expression(String path, String expression, boolean bool, List<FieldError> e) {
    if (blank(expression)) {
      e.add(FieldError.required(path, null));
      return;
    }
    Cel.Compiled c = bool ? CEL.compileBool(expression) : CEL.compile(expression);
    if (c instanceof Cel.Invalid bad) e.add(FieldError.invalid(path, expression, "compilation failed: " + bad.message()));
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
