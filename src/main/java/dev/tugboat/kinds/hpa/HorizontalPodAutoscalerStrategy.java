package dev.tugboat.kinds.hpa;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.VersionConversion;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.kinds.hpa.HorizontalPodAutoscaler.Metric;
import dev.tugboat.kinds.hpa.HorizontalPodAutoscaler.MetricTarget;
import dev.tugboat.kinds.hpa.HorizontalPodAutoscaler.Rules;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.Quantity;
import dev.tugboat.model.ResourceType;
import io.kubernetes.client.proto.V2beta2Autoscaling;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * HorizontalPodAutoscalers (autoscaling/v2 stored; autoscaling/v1 served too, converted: {@link AutoscalingV1}):
 * Kubernetes' defaults (minReplicas 1; no metrics means cpu at 80 %) and validation, plus one check
 * Kubernetes leaves to run time: a target whose kind this server knows and which has no scale
 * subresource is refused at once, naming {@code spec.scaleTargetRef.kind}. A kind it does not know
 * (a CRD not defined yet) is accepted, and the controller reports it in the conditions.
 */
public final class HorizontalPodAutoscalerStrategy extends TypedStrategy<HorizontalPodAutoscaler> {
  public static final ResourceType TYPE = new ResourceType("autoscaling", "v2", "HorizontalPodAutoscaler",
      "horizontalpodautoscalers", "horizontalpodautoscaler", List.of("hpa"), true, List.of("all"), List.of("status"),
      HorizontalPodAutoscaler.class);
  /** Kubernetes' default target when an HPA names no metric. */
  static final int DEFAULT_CPU_UTILIZATION = 80;
  private static final List<String> METRIC_TYPES = List.of("Resource", "ContainerResource", "Pods", "Object", "External");
  private static final List<String> SERVED_METRIC_TYPES = List.of("Resource", "ContainerResource");
  private static final List<String> RESOURCES = List.of("cpu", "memory");
  private static final List<String> SELECT_POLICIES = List.of("Max", "Min", "Disabled");
  private static final List<String> POLICY_TYPES = List.of("Pods", "Percent");
  /** Kubernetes' bounds: a window of at most an hour, a policy's period of at most 30 minutes. */
  static final int MAX_STABILIZATION_SECONDS = 3600;
  static final int MAX_PERIOD_SECONDS = 1800;
  private static final Printer PRINTER = new HorizontalPodAutoscalerPrinter();

  public HorizontalPodAutoscalerStrategy() {
    super(TYPE, HorizontalPodAutoscaler.class);
  }

  @Override
  protected HorizontalPodAutoscaler defaults(HorizontalPodAutoscaler h) {
    HorizontalPodAutoscaler.Spec s = h.spec();
    if (s == null) return h;
    List<Metric> metrics = s.metrics() == null || s.metrics().isEmpty()
        ? List.of(Metric.resource("cpu", new MetricTarget("Utilization", DEFAULT_CPU_UTILIZATION, null, null)))
        : s.metrics();
    return h.withSpec(new HorizontalPodAutoscaler.Spec(s.scaleTargetRef(),
        s.minReplicas() == null ? Integer.valueOf(1) : s.minReplicas(), s.maxReplicas(), metrics, s.behavior()));
  }

  @Override
  protected void validate(HorizontalPodAutoscaler h, List<FieldError> e) {
    HorizontalPodAutoscaler.Spec s = h.spec();
    if (s == null) {
      e.add(FieldError.required("spec", null));
      return;
    }
    target(s.scaleTargetRef(), e);
    if (s.minReplicas() != null && s.minReplicas() < 1) {
      e.add(FieldError.invalid("spec.minReplicas", s.minReplicas(), "must be greater than or equal to 1"));
    }
    if (s.maxReplicas() == null) {
      e.add(FieldError.required("spec.maxReplicas", null));
    } else if (s.maxReplicas() < 1) {
      e.add(FieldError.invalid("spec.maxReplicas", s.maxReplicas(), "must be greater than 0"));
    } else if (s.minReplicas() != null && s.maxReplicas() < s.minReplicas()) {
      e.add(FieldError.invalid("spec.maxReplicas", s.maxReplicas(), "must be greater than or equal to `minReplicas`"));
    }
    if (s.metrics() != null) {
      for (int i = 0; i < s.metrics().size(); i++) metric("spec.metrics[" + i + "]", s.metrics().get(i), e);
    }
    if (s.behavior() != null) {
      rules("spec.behavior.scaleUp", s.behavior().scaleUp(), e);
      rules("spec.behavior.scaleDown", s.behavior().scaleDown(), e);
    }
  }

  private static void target(HorizontalPodAutoscaler.Target t, List<FieldError> e) {
    if (t == null) {
      e.add(FieldError.required("spec.scaleTargetRef", null));
      return;
    }
    if (t.name() == null || t.name().isEmpty()) e.add(FieldError.required("spec.scaleTargetRef.name", null));
    if (t.kind() == null || t.kind().isEmpty()) {
      e.add(FieldError.required("spec.scaleTargetRef.kind", null));
      return;
    }
    Optional<ResourceType> type = targetType(t);
    if (type.isPresent() && !type.get().subresources().contains("scale")) {
      e.add(FieldError.invalid("spec.scaleTargetRef.kind", t.kind(), "the kind " + type.get().qualifiedName()
          + " has no scale subresource, so it cannot be autoscaled"));
    }
  }

  /** The kind the reference names, if this server serves it (by apiVersion and kind, or by kind alone). */
  public static Optional<ResourceType> targetType(HorizontalPodAutoscaler.Target t) {
    return t.apiVersion() == null || t.apiVersion().isEmpty()
        ? ResourceType.byKind(t.kind()) : ResourceType.byKind(t.apiVersion(), t.kind());
  }

  private static void metric(String path, Metric m, List<FieldError> e) {
    if (m == null) {
      e.add(FieldError.required(path, null));
      return;
    }
    if (m.type() == null || m.type().isEmpty()) {
      e.add(FieldError.required(path + ".type", "must specify a metric source type"));
      return;
    }
    if (!METRIC_TYPES.contains(m.type())) {
      e.add(FieldError.notSupported(path + ".type", m.type(), METRIC_TYPES));
      return;
    }
    if (!SERVED_METRIC_TYPES.contains(m.type())) {
      // Tugboat serves the resource metrics API only (no custom or external metrics adapters).
      e.add(FieldError.invalid(path + ".type", m.type(),
          "only Resource and ContainerResource metrics are served by this cluster (there is no custom or external metrics API)"));
      return;
    }
    if (m.type().equals("Resource")) {
      if (m.resource() == null) {
        e.add(FieldError.required(path + ".resource", "must populate information for the given metric source"));
        return;
      }
      resourceName(path + ".resource.name", m.resource().name(), e);
      target(path + ".resource.target", m.resource().target(), e);
    } else {
      if (m.containerResource() == null) {
        e.add(FieldError.required(path + ".containerResource", "must populate information for the given metric source"));
        return;
      }
      resourceName(path + ".containerResource.name", m.containerResource().name(), e);
      if (m.containerResource().container() == null || m.containerResource().container().isEmpty()) {
        e.add(FieldError.required(path + ".containerResource.container", null));
      }
      target(path + ".containerResource.target", m.containerResource().target(), e);
    }
  }

  private static void resourceName(String path, String name, List<FieldError> e) {
    if (name == null || name.isEmpty()) {
      e.add(FieldError.required(path, null));
    } else if (!RESOURCES.contains(name)) {
      e.add(FieldError.notSupported(path, name, RESOURCES));
    }
  }

  private static void target(String path, MetricTarget t, List<FieldError> e) {
    if (t == null) {
      e.add(FieldError.required(path, null));
      return;
    }
    if ("Utilization".equals(t.type())) {
      if (t.averageUtilization() == null) {
        e.add(FieldError.required(path + ".averageUtilization", "must set averageUtilization when type is Utilization"));
      } else if (t.averageUtilization() < 1) {
        e.add(FieldError.invalid(path + ".averageUtilization", t.averageUtilization(), "must be greater than 0"));
      }
    } else if ("AverageValue".equals(t.type())) {
      if (t.averageValue() == null) {
        e.add(FieldError.required(path + ".averageValue", "must set averageValue when type is AverageValue"));
      } else if (positive(t.averageValue()) != null) {
        e.add(FieldError.invalid(path + ".averageValue", t.averageValue().toString(), positive(t.averageValue())));
      }
    } else {
      // A resource metric is an average over the pods; Value (a total) is for Object and External metrics.
      e.add(FieldError.notSupported(path + ".type", t.type(), List.of("Utilization", "AverageValue")));
    }
  }

  private static String positive(Quantity q) {
    try {
      return q.value().compareTo(BigDecimal.ZERO) > 0 ? null : "must be positive";
    } catch (RuntimeException bad) {
      return "must be a quantity";
    }
  }

  private static void rules(String path, Rules r, List<FieldError> e) {
    if (r == null) return;
    Integer window = r.stabilizationWindowSeconds();
    if (window != null && (window < 0 || window > MAX_STABILIZATION_SECONDS)) {
      e.add(FieldError.invalid(path + ".stabilizationWindowSeconds", window,
          "must be between 0 and " + MAX_STABILIZATION_SECONDS + " seconds"));
    }
    if (r.selectPolicy() != null && !SELECT_POLICIES.contains(r.selectPolicy())) {
      e.add(FieldError.notSupported(path + ".selectPolicy", r.selectPolicy(), SELECT_POLICIES));
    }
    if (r.policies() == null) return;
    if (r.policies().isEmpty() && !"Disabled".equals(r.selectPolicy())) {
      e.add(FieldError.required(path + ".policies", "must specify at least one Policy"));
    }
    for (int i = 0; i < r.policies().size(); i++) {
      HorizontalPodAutoscaler.Policy p = r.policies().get(i);
      String at = path + ".policies[" + i + "]";
      if (p == null) {
        e.add(FieldError.required(at, null));
        continue;
      }
      if (!POLICY_TYPES.contains(p.type())) e.add(FieldError.notSupported(at + ".type", p.type(), POLICY_TYPES));
      if (p.value() == null || p.value() <= 0) e.add(FieldError.invalid(at + ".value", p.value(), "must be greater than zero"));
      if (p.periodSeconds() == null || p.periodSeconds() <= 0 || p.periodSeconds() > MAX_PERIOD_SECONDS) {
        e.add(FieldError.invalid(at + ".periodSeconds", p.periodSeconds(),
            "must be greater than zero and less than or equal to " + MAX_PERIOD_SECONDS));
      }
    }
  }

  @Override
  public List<VersionConversion> otherVersions() {
    return List.of(AutoscalingV1.CONVERSION);
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    // autoscaling/v2's messages are v2beta2's, field for field (Kubernetes promoted them unchanged)
    return Optional.of(new ProtobufMessages(V2beta2Autoscaling.HorizontalPodAutoscaler.class,
        V2beta2Autoscaling.HorizontalPodAutoscalerList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
