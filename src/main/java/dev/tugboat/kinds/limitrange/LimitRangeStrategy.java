package dev.tugboat.kinds.limitrange;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.kinds.resourcequota.ResourceList;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.Quantity;
import dev.tugboat.model.ResourceType;
import io.kubernetes.client.proto.V1;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * LimitRanges (core v1), with Kubernetes' defaults for Container items (default limit from max,
 * default request from the default limit or min) and its rules: a known type once per range,
 * quantities, no defaults for a Pod, min ≤ default request ≤ default limit ≤ max, ratios of at
 * least 1. The range is enforced on pods and claims at admission ({@link LimitRanger}).
 */
public final class LimitRangeStrategy extends TypedStrategy<LimitRange> {
  public static final ResourceType TYPE = new ResourceType("", "v1", "LimitRange", "limitranges", "limitrange",
      List.of("limits"), true, List.of(), List.of(), LimitRange.class);
  private static final Printer PRINTER = new LimitRangePrinter();

  public LimitRangeStrategy() {
    super(TYPE, LimitRange.class);
  }

  @Override
  protected LimitRange defaults(LimitRange range) {
    if (range.spec() == null || range.spec().limits() == null) return range;
    return range.withSpec(new LimitRange.Spec(range.spec().limits().stream()
        .map(i -> i == null ? null : i.withDefaults()).toList()));
  }

  @Override
  protected void validate(LimitRange range, List<FieldError> e) {
    if (range.spec() == null || range.spec().limits() == null) {
      e.add(FieldError.required("spec.limits", null));
      return;
    }
    Set<String> types = new HashSet<>();
    List<LimitRange.Item> items = range.spec().limits();
    for (int i = 0; i < items.size(); i++) {
      String path = "spec.limits[" + i + "]";
      LimitRange.Item item = items.get(i);
      if (item == null) {
        e.add(FieldError.required(path, null));
        continue;
      }
      if (item.type() == null || item.type().isEmpty()) e.add(FieldError.required(path + ".type", null));
      else if (!LimitRange.TYPES.contains(item.type())) e.add(FieldError.notSupported(path + ".type", item.type(), LimitRange.TYPES));
      else if (!types.add(item.type())) e.add(FieldError.duplicate(path + ".type", item.type()));
      Map<String, BigDecimal> max = amounts(e, path + ".max", item.max());
      Map<String, BigDecimal> min = amounts(e, path + ".min", item.min());
      Map<String, BigDecimal> limit = amounts(e, path + ".default", item.defaultLimit());
      Map<String, BigDecimal> request = amounts(e, path + ".defaultRequest", item.defaultRequest());
      Map<String, BigDecimal> ratio = amounts(e, path + ".maxLimitRequestRatio", item.maxLimitRequestRatio());
      if ("Pod".equals(item.type())) {
        if (!limit.isEmpty()) e.add(FieldError.forbidden(path + ".default", "may not be specified when `type` is 'Pod'"));
        if (!request.isEmpty()) e.add(FieldError.forbidden(path + ".defaultRequest", "may not be specified when `type` is 'Pod'"));
      }
      for (String r : new java.util.TreeSet<>(union(max, min, limit, request))) {
        order(e, path + ".min[" + r + "]", min.get(r), "min value", max.get(r), "max value");
        order(e, path + ".defaultRequest[" + r + "]", request.get(r), "default request value", limit.get(r),
            "default limit value");
        order(e, path + ".default[" + r + "]", limit.get(r), "default value", max.get(r), "max value");
        order(e, path + ".min[" + r + "]", min.get(r), "min value", request.get(r), "default request value");
        order(e, path + ".defaultRequest[" + r + "]", request.get(r), "default request value", max.get(r), "max value");
      }
      ratio.forEach((r, v) -> {
        if (v.compareTo(BigDecimal.ONE) < 0) {
          e.add(FieldError.invalid(path + ".maxLimitRequestRatio[" + r + "]", ResourceList.format(r, v),
              "ratio " + ResourceList.format(r, v) + " is less than 1"));
        }
      });
    }
  }

  private static Set<String> union(Map<String, BigDecimal>... maps) {
    Set<String> all = new HashSet<>();
    for (Map<String, BigDecimal> m : maps) all.addAll(m.keySet());
    return all;
  }

  /** Refuses {@code low > high} when both are given. */
  private static void order(List<FieldError> e, String field, BigDecimal low, String lowName, BigDecimal high,
      String highName) {
    if (low == null || high == null || low.compareTo(high) <= 0) return;
    String resource = field.substring(field.lastIndexOf('[') + 1, field.length() - 1);
    String a = ResourceList.format(resource, low);
    String b = ResourceList.format(resource, high);
    e.add(FieldError.invalid(field, a, lowName + " " + a + " is greater than " + highName + " " + b));
  }

  /** The quantities of one list, each checked (a quantity, not negative). */
  private static Map<String, BigDecimal> amounts(List<FieldError> e, String path, Map<String, Quantity> list) {
    Map<String, BigDecimal> amounts = new TreeMap<>();
    if (list == null) return amounts;
    list.forEach((name, q) -> {
      String field = path + "[" + name + "]";
      if (q == null) {
        e.add(FieldError.required(field, null));
        return;
      }
      try {
        BigDecimal v = q.value();
        if (v.signum() < 0) e.add(FieldError.invalid(field, q.text(), "must be greater than or equal to 0"));
        else amounts.put(name, v);
      } catch (IllegalArgumentException bad) {
        e.add(FieldError.invalid(field, q.text(), bad.getMessage()));
      }
    });
    return amounts;
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1.LimitRange.class, V1.LimitRangeList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
