package dev.tugboat.kinds.poddisruptionbudget;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.IntOrString;
import dev.tugboat.model.ResourceType;
import io.kubernetes.client.proto.V1Policy;
import java.util.List;
import java.util.Optional;

/**
 * PodDisruptionBudgets (policy/v1), with Kubernetes' ValidatePodDisruptionBudgetSpec: one of
 * minAvailable and maxUnavailable (never both), each a non-negative number or a percentage of at
 * most 100 %, a valid selector, and a known unhealthyPodEvictionPolicy. Spec changes are allowed,
 * as in policy/v1.
 */
public final class PodDisruptionBudgetStrategy extends TypedStrategy<PodDisruptionBudget> {
  public static final ResourceType TYPE = new ResourceType("policy", "v1", "PodDisruptionBudget",
      "poddisruptionbudgets", "poddisruptionbudget", List.of("pdb"), true, List.of(), List.of("status"),
      PodDisruptionBudget.class);
  private static final Printer PRINTER = new PodDisruptionBudgetPrinter();
  private static final List<String> POLICIES = List.of(PodDisruptionBudget.IF_HEALTHY_BUDGET,
      PodDisruptionBudget.ALWAYS_ALLOW);

  public PodDisruptionBudgetStrategy() {
    super(TYPE, PodDisruptionBudget.class);
  }

  @Override
  protected void validate(PodDisruptionBudget pdb, List<FieldError> e) {
    PodDisruptionBudget.Spec s = pdb.spec();
    if (s == null) return;
    if (s.minAvailable() != null && s.maxUnavailable() != null) {
      e.add(FieldError.invalid("spec.maxUnavailable", s.maxUnavailable().toString(),
          "minAvailable and maxUnavailable cannot be both set"));
    }
    amount(e, "spec.minAvailable", s.minAvailable());
    amount(e, "spec.maxUnavailable", s.maxUnavailable());
    if (s.selector() != null) {
      try {
        s.selector().toSelector();
      } catch (IllegalArgumentException ex) {
        e.add(FieldError.invalid("spec.selector", s.selector().toString(), ex.getMessage()));
      }
    }
    if (s.unhealthyPodEvictionPolicy() != null && !POLICIES.contains(s.unhealthyPodEvictionPolicy())) {
      e.add(FieldError.notSupported("spec.unhealthyPodEvictionPolicy", s.unhealthyPodEvictionPolicy(), POLICIES));
    }
  }

  /** Kubernetes' ValidatePositiveIntOrPercent and IsNotMoreThan100Percent. */
  private static void amount(List<FieldError> e, String path, IntOrString v) {
    if (v == null) return;
    if (v.isInt()) {
      if (v.intValue() < 0) e.add(FieldError.invalid(path, v.intValue(), "must be greater than or equal to 0"));
      return;
    }
    String s = v.strValue();
    int percent;
    try {
      if (!v.isPercent()) throw new NumberFormatException();
      percent = Integer.parseInt(s.substring(0, s.length() - 1));
    } catch (NumberFormatException ex) {
      e.add(FieldError.invalid(path, s, "a valid percent string must be a numeric string followed by an ending '%' "
          + "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"));
      return;
    }
    if (percent < 0) e.add(FieldError.invalid(path, s, "must be greater than or equal to 0"));
    if (percent > 100) e.add(FieldError.invalid(path, s, "must not be greater than 100%"));
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1Policy.PodDisruptionBudget.class, V1Policy.PodDisruptionBudgetList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
