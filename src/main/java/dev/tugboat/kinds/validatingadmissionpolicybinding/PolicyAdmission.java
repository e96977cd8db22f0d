package dev.tugboat.kinds.validatingadmissionpolicybinding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.cel.Cel;
import dev.tugboat.cel.JsonValues;
import dev.tugboat.kinds.validatingadmissionpolicy.ValidatingAdmissionPolicy;
import dev.tugboat.kinds.validatingadmissionpolicy.ValidatingAdmissionPolicy.MatchResources;
import dev.tugboat.kinds.validatingadmissionpolicy.ValidatingAdmissionPolicy.Rule;
import dev.tugboat.kinds.validatingadmissionpolicy.ValidatingAdmissionPolicyStrategy;
import dev.tugboat.kinds.validatingadmissionpolicybinding.ValidatingAdmissionPolicyBinding.ParamRef;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * ValidatingAdmissionPolicy's admission, pure: given the policies, their bindings, a way to read
 * parameters and namespaces, and one request, the decision Kubernetes' plugin would take. For each
 * binding whose policy exists and whose match (the policy's {@code matchConstraints}, then the
 * binding's {@code matchResources}) selects the request, and for each parameter object it names:
 * the {@code matchConditions} must all hold, the {@code variables} are evaluated in order, then each
 * validation; a false one is acted on by the binding's {@code validationActions} (Deny: the request
 * is refused with a Status worded as kube-apiserver's; Warn: a warning; Audit: an audit line). An
 * expression that fails to evaluate follows the policy's {@code failurePolicy}.
 *
 * <p>No actors and no registry: the registry's admission seam reads what {@link Lookup} needs from
 * its index and calls {@link #admit}.
 */
public final class PolicyAdmission {
  private static final Cel CEL = ValidatingAdmissionPolicyStrategy.CEL;

  private PolicyAdmission() {}

  /**
   * One write, as admission sees it. {@code object} is null for a delete, {@code oldObject} for a
   * create; {@code namespaced} says whether the resource is.
   */
  public record Request(String operation, String group, String version, String kind, String resource, String subResource,
      String namespace, String name, boolean namespaced, JsonNode object, JsonNode oldObject, String username,
      List<String> groups, boolean dryRun) {}

  /** What admission reads besides the request: namespaces and parameter objects. */
  public interface Lookup {
    /** The namespace object, or null when there is none. */
    JsonNode namespace(String name);

    /**
     * The objects of {@code apiVersion}/{@code kind} in {@code namespace} (null: cluster-scoped, or
     * every namespace) named {@code name}, or, when name is null, those {@code selector} selects.
     */
    List<JsonNode> params(String apiVersion, String kind, String namespace, String name, LabelSelector selector);
  }

  /** The outcome: refused with {@code denial}, or allowed (denial null), with warnings and audit lines either way. */
  public record Decision(Status denial, List<String> warnings, List<String> audit) {
    public boolean allowed() {
      return denial == null;
    }
  }

  /** Decides {@code request} under {@code policies} as bound by {@code bindings}. */
  public static Decision admit(List<ValidatingAdmissionPolicy> policies, List<ValidatingAdmissionPolicyBinding> bindings,
      Lookup lookup, Request request) {
    Map<String, ValidatingAdmissionPolicy> byName = new HashMap<>();
    for (ValidatingAdmissionPolicy p : policies) {
      if (p.spec() != null && p.metadata() != null) byName.put(p.metadata().name(), p);
    }
    List<String> warnings = new ArrayList<>();
    List<String> audit = new ArrayList<>();
    JsonNode namespaceObject = request.namespaced() && request.namespace() != null ? lookup.namespace(request.namespace()) : null;
    for (ValidatingAdmissionPolicyBinding b : bindings) {
      if (b.spec() == null || b.metadata() == null) continue;
      ValidatingAdmissionPolicy p = byName.get(b.spec().policyName());
      if (p == null) continue; // Kubernetes ignores a binding to a policy that does not exist
      if (!matches(p.spec().matchConstraints(), request, namespaceObject)) continue;
      if (b.spec().matchResources() != null && !matches(b.spec().matchResources(), request, namespaceObject)) continue;
      String who = "ValidatingAdmissionPolicy '" + p.metadata().name() + "' with binding '" + b.metadata().name() + "'";
      List<String> actions = b.spec().validationActions() == null ? List.of() : b.spec().validationActions();
      List<Failure> failures = new ArrayList<>();
      evaluate(p, b, lookup, request, namespaceObject, failures);
      for (Failure f : failures) {
        if (actions.contains("Deny")) {
          return new Decision(denial(request, who + " denied request: " + f.message(), f.reason()), warnings, audit);
        }
        if (actions.contains("Warn")) warnings.add("Validation failed for " + who + ": " + f.message());
        if (actions.contains("Audit")) {
          audit.add("validation.policy.admission.k8s.io/validation_failure: [{\"message\":" + JsonNodeFactory.instance
              .textNode(f.message()) + ",\"policy\":\"" + p.metadata().name() + "\",\"binding\":\"" + b.metadata().name()
              + "\",\"validationActions\":" + JsonValues.toJson(actions) + "}]");
        }
      }
    }
    return new Decision(null, List.copyOf(warnings), List.copyOf(audit));
  }

  /** Where a binding's parameters are read: its paramRef's namespace, else the request's (null: cluster-scoped). */
  public static String paramNamespace(ParamRef ref, Request request) {
    if (ref.namespace() != null && !ref.namespace().isEmpty()) return ref.namespace();
    return request.namespaced() ? request.namespace() : null;
  }

  /**
   * Whether a policy's resource rules could select a request, from what is known before its object:
   * operation, resource and scope (selectors, names and conditions are for {@link #admit}).
   */
  public static boolean mayMatch(MatchResources m, Request request) {
    if (m == null || m.resourceRules() == null) return false;
    Request any = new Request(request.operation(), request.group(), request.version(), request.kind(), request.resource(),
        request.subResource(), request.namespace(), null, request.namespaced(), null, null, null, null, false);
    return m.resourceRules().stream().anyMatch(rule -> rule(rule.resourceNames() == null ? rule
        : new Rule(null, rule.operations(), rule.apiGroups(), rule.apiVersions(), rule.resources(), rule.scope()), any));
  }

  /** A validation that failed, or an error the failure policy turns into one. */
  private record Failure(String message, String reason) {}

  private static void evaluate(ValidatingAdmissionPolicy p, ValidatingAdmissionPolicyBinding b, Lookup lookup,
      Request request, JsonNode namespaceObject, List<Failure> failures) {
    boolean fail = !"Ignore".equals(p.spec().failurePolicy());
    List<JsonNode> params = new ArrayList<>();
    if (p.spec().paramKind() != null) {
      ParamRef ref = b.spec().paramRef();
      if (ref == null) {
        if (fail) failures.add(new Failure("failed to configure binding: paramRef is required when paramKind is set", "Invalid"));
        return;
      }
      String namespace = paramNamespace(ref, request);
      boolean named = ref.name() != null && !ref.name().isEmpty();
      params.addAll(lookup.params(p.spec().paramKind().apiVersion(), p.spec().paramKind().kind(), namespace,
          named ? ref.name() : null, named ? null : ref.selector() == null ? new LabelSelector(null, null) : ref.selector()));
      if (params.isEmpty()) {
        if ("Deny".equals(ref.parameterNotFoundAction())) {
          failures.add(new Failure("failed to configure binding: no params found for policy binding with `Deny` "
              + "parameterNotFoundAction", "Invalid"));
        }
        return;
      }
    } else {
      params.add(null);
    }
    Object requestValue = JsonValues.toCel(requestJson(request));
    for (JsonNode param : params) {
      Map<String, Object> vars = new HashMap<>();
      vars.put("object", JsonValues.toCel(request.object()));
      vars.put("oldObject", JsonValues.toCel(request.oldObject()));
      vars.put("request", requestValue);
      vars.put("params", JsonValues.toCel(param));
      vars.put("namespaceObject", JsonValues.toCel(namespaceObject));
      Map<String, Object> variables = new HashMap<>();
      vars.put("variables", variables);
      if (!conditionsHold(p, vars, fail, failures)) continue;
      for (var v : p.spec().variables() == null ? List.<ValidatingAdmissionPolicy.Variable>of() : p.spec().variables()) {
        // a variable that fails is left out: an expression reading it fails in turn, with its error
        if (CEL.compile(v.expression()) instanceof Cel.Program prog && prog.eval(vars) instanceof Cel.Value val) {
          variables.put(v.name(), val.value());
        }
      }
      for (var v : p.spec().validations() == null ? List.<ValidatingAdmissionPolicy.Validation>of() : p.spec().validations()) {
        String reason = v.reason() == null ? "Invalid" : v.reason();
        Cel.Compiled c = CEL.compileBool(v.expression());
        Cel.Outcome o = c instanceof Cel.Program prog ? prog.evalBool(vars)
            : new Cel.Failure("compilation failed: " + ((Cel.Invalid) c).message());
        if (o instanceof Cel.Failure f) {
          if (fail) failures.add(new Failure("expression '" + v.expression() + "' resulted in error: " + f.message(), reason));
        } else if (!Boolean.TRUE.equals(((Cel.Value) o).value())) {
          failures.add(new Failure(message(v, vars), reason));
        }
      }
    }
  }

  private static boolean conditionsHold(ValidatingAdmissionPolicy p, Map<String, Object> vars, boolean fail,
      List<Failure> failures) {
    for (var m : p.spec().matchConditions() == null ? List.<ValidatingAdmissionPolicy.MatchCondition>of()
        : p.spec().matchConditions()) {
      Cel.Compiled c = CEL.compileBool(m.expression());
      Cel.Outcome o = c instanceof Cel.Program prog ? prog.evalBool(vars) : new Cel.Failure(((Cel.Invalid) c).message());
      if (o instanceof Cel.Failure f) {
        if (fail) failures.add(new Failure("failed to evaluate matchCondition '" + m.name() + "': " + f.message(), "Invalid"));
        return false;
      }
      if (!Boolean.TRUE.equals(((Cel.Value) o).value())) return false;
    }
    return true;
  }

  /** messageExpression's string if it gives a non-empty one, else message, else Kubernetes' default. */
  private static String message(ValidatingAdmissionPolicy.Validation v, Map<String, Object> vars) {
    if (v.messageExpression() != null && CEL.compile(v.messageExpression()) instanceof Cel.Program p
        && p.eval(vars) instanceof Cel.Value val && val.value() instanceof String s && !s.isBlank()) {
      return s.strip();
    }
    if (v.message() != null && !v.message().isBlank()) return v.message();
    return "failed expression: " + v.expression();
  }

  /**
   * The refusal as kube-apiserver words it: with reason Invalid (the default) a 422 whose one cause has
   * an empty field, so kubectl prints {@code The deployments "web" is invalid: : ValidatingAdmissionPolicy ...}.
   */
  static Status denial(Request r, String message, String reason) {
    String resource = r.group() == null || r.group().isEmpty() ? r.resource() : r.resource() + "." + r.group();
    String name = r.name() == null ? "" : r.name();
    return switch (reason) {
      case "Forbidden" -> Status.failure(403, "Forbidden", resource + " \"" + name + "\" is forbidden: " + message,
          new Status.Details(name, r.group(), r.resource(), null, null, null));
      case "Unauthorized" -> Status.failure(401, "Unauthorized", message, null);
      case "RequestEntityTooLarge" -> Status.failure(413, "RequestEntityTooLarge", message, null);
      default -> Status.failure(422, "Invalid", resource + " \"" + name + "\" is invalid: : " + message,
          new Status.Details(name, r.group(), r.resource(), null, List.of(new Status.Cause("FieldValueInvalid", message, "")),
              null));
    };
  }

  /** The {@code request} variable: Kubernetes' AdmissionRequest, as much of it as policies read. */
  static JsonNode requestJson(Request r) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    ObjectNode kind = o.putObject("kind").put("group", nz(r.group())).put("version", r.version()).put("kind", r.kind());
    ObjectNode resource = o.putObject("resource").put("group", nz(r.group())).put("version", r.version())
        .put("resource", r.resource());
    o.set("requestKind", kind.deepCopy());
    o.set("requestResource", resource.deepCopy());
    o.put("subResource", nz(r.subResource()));
    o.put("name", nz(r.name()));
    o.put("namespace", nz(r.namespace()));
    o.put("operation", r.operation());
    ObjectNode user = o.putObject("userInfo").put("username", nz(r.username()));
    var groups = user.putArray("groups");
    if (r.groups() != null) r.groups().forEach(groups::add);
    o.put("dryRun", r.dryRun());
    return o;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  // ---- matching ----------------------------------------------------------------------------------

  /** Whether {@code m} selects the request: a rule matches, no excluded rule does, and both selectors. */
  static boolean matches(MatchResources m, Request r, JsonNode namespaceObject) {
    if (m == null) return false;
    if (m.resourceRules() != null && !m.resourceRules().isEmpty()
        && m.resourceRules().stream().noneMatch(rule -> rule(rule, r))) {
      return false;
    }
    if (m.excludeResourceRules() != null && m.excludeResourceRules().stream().anyMatch(rule -> rule(rule, r))) return false;
    if (!namespaceSelected(m.namespaceSelector(), r, namespaceObject)) return false;
    return objectSelected(m.objectSelector(), r);
  }

  private static boolean rule(Rule rule, Request r) {
    if (!anyOf(rule.operations(), r.operation())) return false;
    if (!anyOf(rule.apiGroups(), nz(r.group()))) return false;
    if (!anyOf(rule.apiVersions(), r.version())) return false;
    if (!resource(rule.resources(), r.resource(), nz(r.subResource()))) return false;
    if (rule.resourceNames() != null && !rule.resourceNames().isEmpty() && !rule.resourceNames().contains(r.name())) {
      return false;
    }
    String scope = rule.scope() == null ? "*" : rule.scope();
    return scope.equals("*") || scope.equals(r.namespaced() ? "Namespaced" : "Cluster");
  }

  private static boolean anyOf(List<String> allowed, String value) {
    return allowed != null && (allowed.contains("*") || allowed.contains(value));
  }

  /** {@code deployments}, {@code deployments/scale}, {@code deployments/*}, {@code *}, {@code *}{@code /scale}, {@code *}{@code /*}. */
  private static boolean resource(List<String> resources, String resource, String sub) {
    if (resources == null) return false;
    for (String pattern : resources) {
      int slash = pattern.indexOf('/');
      if (slash < 0) {
        // "*" is every resource but none of their subresources, as in Kubernetes
        if (sub.isEmpty() && (pattern.equals("*") || pattern.equals(resource))) return true;
        continue;
      }
      String res = pattern.substring(0, slash);
      String subPattern = pattern.substring(slash + 1);
      if ((res.equals("*") || res.equals(resource)) && (subPattern.equals("*") || subPattern.equals(sub))) return true;
    }
    return false;
  }

  private static boolean namespaceSelected(LabelSelector selector, Request r, JsonNode namespaceObject) {
    if (selector == null || selector.isEmpty()) return true;
    if ("namespaces".equals(r.resource()) && nz(r.group()).isEmpty()) {
      return selector.toSelector().matches(labels(r.object() != null ? r.object() : r.oldObject()));
    }
    if (!r.namespaced()) return true; // cluster-scoped objects are never excluded by a namespace selector
    return selector.toSelector().matches(labels(namespaceObject));
  }

  private static boolean objectSelected(LabelSelector selector, Request r) {
    if (selector == null || selector.isEmpty()) return true;
    var s = selector.toSelector();
    return (r.object() != null && s.matches(labels(r.object()))) || (r.oldObject() != null && s.matches(labels(r.oldObject())));
  }

  private static Map<String, String> labels(JsonNode object) {
    Map<String, String> labels = new HashMap<>();
    if (object == null) return labels;
    for (Iterator<Map.Entry<String, JsonNode>> it = object.path("metadata").path("labels").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      labels.put(e.getKey(), e.getValue().asText());
    }
    return labels;
  }
}
