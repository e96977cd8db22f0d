package dev.tugboat.kinds.resourcequota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Quantity;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Amounts by resource name ({@code requests.cpu: 0.5}), as Kubernetes' {@code ResourceList}, and how
 * Kubernetes writes them: sorted by name, each quantity in its canonical form ({@code 500m},
 * {@code 2}, {@code 128Mi}). Pure functions over immutable sorted maps.
 */
public final class ResourceList {
  private static final BigDecimal KI = BigDecimal.valueOf(1024);
  private static final String[] BINARY = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  private static final String[] DECIMAL = {"", "k", "M", "G", "T", "P", "E"};

  private ResourceList() {}

  /** The amounts of a JSON map of quantities; entries that are no quantity are left out (validation names them). */
  public static SortedMap<String, BigDecimal> of(JsonNode map) {
    SortedMap<String, BigDecimal> amounts = new TreeMap<>();
    if (map == null) return amounts;
    map.fields().forEachRemaining(e -> {
      try {
        amounts.put(e.getKey(), new Quantity(e.getValue().asText()).value());
      } catch (IllegalArgumentException notAQuantity) {
        // skipped: the object's validation refuses it
      }
    });
    return amounts;
  }

  /** {@code a + b}, name by name. */
  public static SortedMap<String, BigDecimal> add(Map<String, BigDecimal> a, Map<String, BigDecimal> b) {
    SortedMap<String, BigDecimal> sum = new TreeMap<>(a);
    b.forEach((k, v) -> sum.merge(k, v, BigDecimal::add));
    return sum;
  }

  /** Only the entries named in {@code names}. */
  public static SortedMap<String, BigDecimal> mask(Map<String, BigDecimal> list, Set<String> names) {
    SortedMap<String, BigDecimal> masked = new TreeMap<>();
    list.forEach((k, v) -> {
      if (names.contains(k)) masked.put(k, v);
    });
    return masked;
  }

  /** Without the zero amounts. */
  public static SortedMap<String, BigDecimal> removeZeros(Map<String, BigDecimal> list) {
    SortedMap<String, BigDecimal> kept = new TreeMap<>();
    list.forEach((k, v) -> {
      if (v.signum() != 0) kept.put(k, v);
    });
    return kept;
  }

  /** Kubernetes' {@code prettyPrint}: {@code name=quantity} pairs, sorted, joined by commas. */
  public static String pretty(Map<String, BigDecimal> list) {
    return new TreeMap<>(list).entrySet().stream().map(e -> e.getKey() + "=" + format(e.getKey(), e.getValue()))
        .collect(Collectors.joining(","));
  }

  /** The list as a JSON map of canonical quantities. */
  public static ObjectNode toJson(Map<String, BigDecimal> list) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    new TreeMap<>(list).forEach((k, v) -> json.put(k, format(k, v)));
    return json;
  }

  /**
   * A quantity's canonical text, as Kubernetes' {@code Quantity.String()} prints it: bytes (memory,
   * storage) in binary suffixes when they divide evenly ({@code 128Mi}), anything else in decimal
   * ones ({@code 500m}, {@code 2}, {@code 1k}). Kubernetes keeps the suffix family a quantity was
   * written in; the resource's name is how this tells them apart without carrying the text along.
   */
  public static String format(String resource, BigDecimal value) {
    if (value.signum() == 0) return "0";
    boolean bytes = resource.endsWith("memory") || resource.endsWith("storage");
    if (bytes && value.signum() > 0 && value.stripTrailingZeros().scale() <= 0
        && value.remainder(KI).signum() == 0) {
      BigDecimal v = value;
      int i = 0;
      while (i < BINARY.length - 1 && v.remainder(KI).signum() == 0) {
        v = v.divide(KI);
        i++;
      }
      return v.toBigInteger() + BINARY[i];
    }
    BigDecimal stripped = value.stripTrailingZeros();
    if (stripped.scale() > 0) {
      // fractions: milli, micro or nano units, rounded up to nano as Kubernetes rounds
      BigDecimal milli = value.movePointRight(3);
      if (milli.stripTrailingZeros().scale() <= 0) return milli.toBigInteger() + "m";
      BigDecimal micro = value.movePointRight(6);
      if (micro.stripTrailingZeros().scale() <= 0) return micro.toBigInteger() + "u";
      return value.movePointRight(9).setScale(0, java.math.RoundingMode.CEILING).toBigInteger() + "n";
    }
    BigDecimal v = stripped;
    int i = 0;
    BigDecimal thousand = BigDecimal.valueOf(1000);
    while (i < DECIMAL.length - 1 && v.remainder(thousand).signum() == 0 && v.abs().compareTo(thousand) >= 0) {
      v = v.divide(thousand);
      i++;
    }
    return v.toBigInteger() + DECIMAL[i];
  }
}
