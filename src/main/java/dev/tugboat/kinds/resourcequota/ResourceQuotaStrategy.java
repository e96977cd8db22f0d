package dev.tugboat.kinds.resourcequota;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.Quantity;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Validation;
import io.kubernetes.client.proto.V1;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * ResourceQuotas (core v1), with Kubernetes' rules: every name in {@code hard} a standard quota
 * resource or a qualified one ({@code count/deployments.apps}, an extended resource), each limit a
 * quantity of at least 0 (whole objects for counts), known scopes that do not contradict each other,
 * a scope selector whose operators fit its scopes, and scoped quotas that track only what their
 * scopes can count (pods and their compute resources). {@code status} is the quota controller's
 * ({@code status.hard} and {@code status.used}); admission charges {@code status.used}.
 */
public final class ResourceQuotaStrategy extends TypedStrategy<ResourceQuota> {
  public static final ResourceType TYPE = new ResourceType("", "v1", "ResourceQuota", "resourcequotas",
      "resourcequota", List.of("quota"), true, List.of(), List.of("status"), ResourceQuota.class);
  private static final Printer PRINTER = new ResourceQuotaPrinter();
  private static final List<String> OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist");
  /** What a quota scoped to BestEffort pods can track: those pods only (they request nothing). */
  private static final Set<String> BEST_EFFORT_RESOURCES = Set.of("pods", "count/pods");

  public ResourceQuotaStrategy() {
    super(TYPE, ResourceQuota.class);
  }

  @Override
  protected void validate(ResourceQuota quota, List<FieldError> e) {
    ResourceQuota.Spec spec = quota.spec();
    if (spec != null) {
      resources(e, "spec.hard", spec.hard());
      List<String> scopes = new ArrayList<>();
      if (spec.scopes() != null) {
        for (int i = 0; i < spec.scopes().size(); i++) {
          String s = spec.scopes().get(i);
          if (s == null) e.add(FieldError.required("spec.scopes[" + i + "]", null));
          else if (!QuotaUsage.SCOPES.contains(s)) e.add(FieldError.notSupported("spec.scopes[" + i + "]", s, QuotaUsage.SCOPES));
          else scopes.add(s);
        }
      }
      if (spec.scopeSelector() != null && spec.scopeSelector().matchExpressions() != null) {
        List<ResourceQuota.ScopedRequirement> exprs = spec.scopeSelector().matchExpressions();
        for (int i = 0; i < exprs.size(); i++) {
          String scope = requirement(e, "spec.scopeSelector.matchExpressions[" + i + "]", exprs.get(i));
          if (scope != null) scopes.add(scope);
        }
      }
      if (scopes.contains("Terminating") && scopes.contains("NotTerminating")) {
        e.add(FieldError.invalid("spec.scopeSelector", scopes.toString(), "conflicting scopes"));
      }
      if (scopes.contains("BestEffort") && scopes.contains("NotBestEffort")) {
        e.add(FieldError.invalid("spec.scopeSelector", scopes.toString(), "conflicting scopes"));
      }
      if (!scopes.isEmpty() && spec.hard() != null) {
        for (String r : spec.hard().keySet()) {
          boolean allowed = scopes.contains("BestEffort") ? BEST_EFFORT_RESOURCES.contains(r)
              : BEST_EFFORT_RESOURCES.contains(r) || QuotaUsage.POD_COMPUTE.contains(r);
          if (!allowed) e.add(FieldError.invalid("spec.hard[" + r + "]", r, "unsupported scope applied to resource"));
        }
      }
    }
    if (quota.status() != null) {
      resources(e, "status.hard", quota.status().hard());
      resources(e, "status.used", quota.status().used());
    }
  }

  /** Names and quantities of a quota's resource list, as Kubernetes' {@code ValidateResourceQuotaSpec}. */
  private static void resources(List<FieldError> e, String path, Map<String, Quantity> list) {
    if (list == null) return;
    list.forEach((name, q) -> {
      String field = path + "[" + name + "]";
      if (name.contains("/")) {
        String[] parts = name.split("/", 2);
        List<String> problems = new ArrayList<>(Validation.labelKeyProblems(name));
        if (parts[1].isEmpty() || parts[0].isEmpty()) problems.add("must be a standard resource for quota");
        problems.forEach(p -> e.add(FieldError.invalid(field, name, p)));
      } else if (!QuotaUsage.STANDARD.contains(name)) {
        e.add(FieldError.invalid(field, name, "must be a standard resource for quota"));
      }
      BigDecimal value;
      try {
        value = q == null ? null : q.value();
      } catch (IllegalArgumentException bad) {
        e.add(FieldError.invalid(field, q.text(), bad.getMessage()));
        return;
      }
      if (value == null) {
        e.add(FieldError.required(field, null));
        return;
      }
      if (value.signum() < 0) e.add(FieldError.invalid(field, q.text(), "must be greater than or equal to 0"));
      boolean counted = QuotaUsage.INTEGER.contains(name) || name.startsWith("count/");
      if (counted && value.stripTrailingZeros().scale() > 0) e.add(FieldError.invalid(field, q.text(), "must be an integer"));
    });
  }

  /** Checks one scope selector requirement; its scope when the scope is known. */
  private static String requirement(List<FieldError> e, String path, ResourceQuota.ScopedRequirement r) {
    if (r == null) {
      e.add(FieldError.required(path, null));
      return null;
    }
    String scope = r.scopeName();
    if (scope == null || scope.isEmpty()) {
      e.add(FieldError.required(path + ".scopeName", null));
      return null;
    }
    if (!QuotaUsage.SCOPES.contains(scope)) {
      e.add(FieldError.notSupported(path + ".scopeName", scope, QuotaUsage.SCOPES));
      return null;
    }
    String op = r.operator();
    if (op == null || !OPERATORS.contains(op)) {
      e.add(FieldError.notSupported(path + ".operator", op, OPERATORS));
      return scope;
    }
    boolean inOrNotIn = op.equals("In") || op.equals("NotIn");
    if (!scope.equals("PriorityClass") && !op.equals("Exists")) {
      e.add(FieldError.invalid(path + ".operator", op, "must be 'Exist' when scope is any of "
          + "ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, "
          + "ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity"));
    }
    boolean hasValues = r.values() != null && !r.values().isEmpty();
    if (hasValues && r.values().contains(null)) e.add(FieldError.required(path + ".values", null));
    if (inOrNotIn && !hasValues) {
      e.add(FieldError.invalid(path + ".values", "[]",
          "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
    }
    if (!inOrNotIn && hasValues) {
      e.add(FieldError.invalid(path + ".values", String.valueOf(r.values()),
          "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
    }
    return scope;
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1.ResourceQuota.class, V1.ResourceQuotaList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
