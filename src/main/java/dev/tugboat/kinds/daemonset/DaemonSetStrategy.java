package dev.tugboat.kinds.daemonset;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.Defaults;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.IntOrString;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Validation;
import io.kubernetes.client.proto.V1Apps;
import java.util.List;
import java.util.Optional;

/**
 * DaemonSets (apps/v1), with Kubernetes' defaults (RollingUpdate with maxUnavailable 1 and maxSurge
 * 0, ten revisions of history) and rules (pods that restart Always, a selector that matches the
 * template and never changes, not both maxUnavailable and maxSurge 0).
 */
public final class DaemonSetStrategy extends TypedStrategy<DaemonSet> {
  public static final ResourceType TYPE = new ResourceType("apps", "v1", "DaemonSet", "daemonsets", "daemonset",
      List.of("ds"), true, List.of("all"), List.of("status"), DaemonSet.class);
  private static final Printer PRINTER = new DaemonSetPrinter();
  private static final List<String> STRATEGIES = List.of("OnDelete", "RollingUpdate");

  public DaemonSetStrategy() {
    super(TYPE, DaemonSet.class);
  }

  @Override
  protected DaemonSet defaults(DaemonSet ds) {
    DaemonSet.Spec s = ds.spec();
    if (s == null) return ds;
    DaemonSet.UpdateStrategy strategy = s.updateStrategy();
    if (strategy == null || strategy.type() == null) {
      strategy = new DaemonSet.UpdateStrategy("RollingUpdate", strategy == null ? null : strategy.rollingUpdate());
    }
    if (strategy.type().equals("RollingUpdate")) {
      DaemonSet.RollingUpdate ru = strategy.rollingUpdate();
      strategy = new DaemonSet.UpdateStrategy("RollingUpdate", new DaemonSet.RollingUpdate(
          ru == null || ru.maxUnavailable() == null ? IntOrString.of(1) : ru.maxUnavailable(),
          ru == null || ru.maxSurge() == null ? IntOrString.of(0) : ru.maxSurge()));
    }
    return ds.withSpec(new DaemonSet.Spec(s.selector(), Defaults.template(s.template()), strategy,
        s.minReadySeconds() == null ? Integer.valueOf(0) : s.minReadySeconds(),
        s.revisionHistoryLimit() == null ? Integer.valueOf(10) : s.revisionHistoryLimit()));
  }

  @Override
  protected void validate(DaemonSet ds, List<FieldError> e) {
    DaemonSet.Spec s = ds.spec();
    if (s == null) {
      e.add(FieldError.required("spec", null));
      return;
    }
    Validation.selectorAndTemplate(e, s.selector(), s.template(), List.of("Always"));
    Validation.nonNegative(e, "spec.minReadySeconds", s.minReadySeconds());
    Validation.nonNegative(e, "spec.revisionHistoryLimit", s.revisionHistoryLimit());
    DaemonSet.UpdateStrategy strategy = s.updateStrategy();
    if (!STRATEGIES.contains(strategy.type())) {
      e.add(FieldError.notSupported("spec.updateStrategy.type", strategy.type(), STRATEGIES));
    } else if (strategy.type().equals("OnDelete") && strategy.rollingUpdate() != null) {
      e.add(FieldError.forbidden("spec.updateStrategy.rollingUpdate", "may not be specified when strategy `type` is 'OnDelete'"));
    } else if (strategy.rollingUpdate() != null) {
      DaemonSet.RollingUpdate ru = strategy.rollingUpdate();
      Validation.intOrPercent(e, "spec.updateStrategy.rollingUpdate.maxUnavailable", ru.maxUnavailable());
      Validation.intOrPercent(e, "spec.updateStrategy.rollingUpdate.maxSurge", ru.maxSurge());
      if (Validation.isZero(ru.maxUnavailable()) && Validation.isZero(ru.maxSurge())) {
        e.add(FieldError.invalid("spec.updateStrategy.rollingUpdate.maxUnavailable", String.valueOf(ru.maxUnavailable()),
            "may not be 0 when `maxSurge` is 0"));
      }
    }
  }

  @Override
  protected void validateUpdate(DaemonSet current, DaemonSet updated, List<FieldError> e) {
    Validation.validateSelectorUpdate(e, current.spec() == null ? null : current.spec().selector(),
        updated.spec() == null ? null : updated.spec().selector());
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1Apps.DaemonSet.class, V1Apps.DaemonSetList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
