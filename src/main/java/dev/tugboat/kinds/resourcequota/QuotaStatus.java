package dev.tugboat.kinds.resourcequota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The status a quota should show, from the objects of its namespace, as Kubernetes' quota
 * controller computes it: {@code hard} is the spec's, {@code used} the sum of what every object the
 * quota concerns uses, for each resource it limits. Pure: the same quota, objects and clock give the
 * same status.
 */
public final class QuotaStatus {
  private QuotaStatus() {}

  /** A kind by its API group and plural resource name, as quota resource names name it. */
  public record Resource(String group, String plural) {}

  /** The kinds whose objects a quota limiting these resource names must count. */
  public static Set<Resource> kindsFor(Set<String> names) {
    Set<Resource> kinds = new java.util.LinkedHashSet<>();
    for (String name : names) {
      if (name.startsWith("count/")) {
        String rest = name.substring("count/".length());
        int dot = rest.indexOf('.');
        kinds.add(dot < 0 ? new Resource("", rest) : new Resource(rest.substring(dot + 1), rest.substring(0, dot)));
      } else if (name.equals("pods") || QuotaUsage.POD_COMPUTE.contains(name)) {
        kinds.add(new Resource("", "pods"));
      } else if (name.startsWith("services")) {
        kinds.add(new Resource("", "services"));
      } else if (name.equals("persistentvolumeclaims") || name.equals("requests.storage")) {
        kinds.add(new Resource("", "persistentvolumeclaims"));
      } else if (QuotaUsage.STANDARD.contains(name)) {
        kinds.add(new Resource("", name));
      }
    }
    return kinds;
  }

  /** {@code status} with {@code hard} from the spec and {@code used} counted over {@code objects} (by kind). */
  public static ObjectNode of(JsonNode quota, Map<Resource, List<JsonNode>> objects, Instant now) {
    SortedMap<String, BigDecimal> hard = ResourceList.of(quota.path("spec").path("hard"));
    SortedMap<String, BigDecimal> used = new TreeMap<>();
    hard.keySet().forEach(name -> used.put(name, BigDecimal.ZERO));
    objects.forEach((kind, list) -> {
      for (JsonNode object : list) {
        if (!QuotaUsage.matches(quota, kind.group(), kind.plural(), object)) continue;
        used.putAll(ResourceList.add(used,
            ResourceList.mask(QuotaUsage.of(kind.group(), kind.plural(), object, now), hard.keySet())));
      }
    });
    ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.set("hard", ResourceList.toJson(hard));
    status.set("used", ResourceList.toJson(used));
    return status;
  }

  /** Whether two statuses say the same amounts (quantities compared by value, not text). */
  public static boolean same(JsonNode a, JsonNode b) {
    return amounts(a.path("hard")).equals(amounts(b.path("hard"))) && amounts(a.path("used")).equals(amounts(b.path("used")));
  }

  private static Map<String, BigDecimal> amounts(JsonNode list) {
    Map<String, BigDecimal> m = new TreeMap<>();
    ResourceList.of(list).forEach((k, v) -> m.put(k, v.stripTrailingZeros()));
    if (m.size() != list.size()) m.put("\u0000invalid", BigDecimal.ONE); // an entry that is no quantity: differs
    return m;
  }

  /** The pods' soonest deletion deadline after {@code now} (when usage falls by itself), or null. */
  public static Instant nextDeadline(List<JsonNode> pods, Instant now) {
    Instant next = null;
    for (JsonNode pod : pods) {
      Instant d = QuotaUsage.deletionDeadline(pod);
      if (d != null && d.isAfter(now) && (next == null || d.isBefore(next))) next = d;
    }
    return next;
  }
}
