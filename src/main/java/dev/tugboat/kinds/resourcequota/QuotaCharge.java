package dev.tugboat.kinds.resourcequota;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * What admitting one new object does to one quota, decided without I/O, as Kubernetes'
 * {@code checkRequest}: the quota does not concern it; or it refuses it, in Kubernetes' words; or
 * it is charged, and its {@code status.used} becomes {@link Charged#used()}. The caller writes that
 * status with the quota's resourceVersion as a precondition, so two creates racing for the last
 * room cannot both be charged: the second write conflicts, and the second create is decided again
 * against the first one's charge.
 */
public sealed interface QuotaCharge {

  /** The quota does not limit anything this object uses. */
  record Untouched() implements QuotaCharge {}

  /** The object may not be created; {@code reason} is Kubernetes' message (after "is forbidden: "). */
  record Refused(String reason) implements QuotaCharge {}

  /** The object fits; the quota's {@code status.used} after charging it. */
  record Charged(SortedMap<String, BigDecimal> used) implements QuotaCharge {}

  /**
   * Decides {@code object} (of the given group and plural, admitted: defaults applied) against
   * {@code quota} as it is now (its {@code status.hard} and {@code status.used}).
   */
  static QuotaCharge of(JsonNode quota, String group, String plural, JsonNode object, Instant now) {
    String name = quota.path("metadata").path("name").asText();
    if (!QuotaUsage.matches(quota, group, plural, object)) return new Untouched();
    SortedMap<String, BigDecimal> hard = ResourceList.of(quota.path("status").path("hard"));
    Set<String> tracked = new TreeSet<>(hard.keySet());
    tracked.retainAll(QuotaUsage.resourcesOf(group, plural));
    if (tracked.isEmpty()) return new Untouched();
    if (group.isEmpty() && plural.equals("pods")) {
      String missing = QuotaUsage.missing(object, tracked);
      if (missing != null) return new Refused("failed quota: " + name + ": " + missing);
    }
    JsonNode usedJson = quota.path("status").path("used");
    Set<String> unknown = new TreeSet<>();
    for (String r : tracked) if (!usedJson.has(r)) unknown.add(r);
    if (!unknown.isEmpty()) {
      // The controller has not counted this quota yet: charging it now could let the namespace past it.
      return new Refused("status unknown for quota: " + name + ", resources: " + String.join(",", unknown));
    }
    SortedMap<String, BigDecimal> used = ResourceList.of(usedJson);
    SortedMap<String, BigDecimal> requested =
        ResourceList.removeZeros(ResourceList.mask(QuotaUsage.of(group, plural, object, now), tracked));
    if (requested.isEmpty()) return new Untouched();
    SortedMap<String, BigDecimal> after = ResourceList.add(used, requested);
    Set<String> exceeded = new TreeSet<>();
    for (Map.Entry<String, BigDecimal> e : requested.entrySet()) {
      if (after.get(e.getKey()).compareTo(hard.get(e.getKey())) > 0) exceeded.add(e.getKey());
    }
    if (!exceeded.isEmpty()) {
      return new Refused("exceeded quota: " + name
          + ", requested: " + ResourceList.pretty(ResourceList.mask(requested, exceeded))
          + ", used: " + ResourceList.pretty(ResourceList.mask(used, exceeded))
          + ", limited: " + ResourceList.pretty(ResourceList.mask(hard, exceeded)));
    }
    return new Charged(after);
  }
}
