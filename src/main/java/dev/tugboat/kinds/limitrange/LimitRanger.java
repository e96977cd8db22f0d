package dev.tugboat.kinds.limitrange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.resourcequota.QuotaUsage;
import dev.tugboat.kinds.resourcequota.ResourceList;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Kubernetes' LimitRanger admission plugin as pure functions over a namespace's LimitRanges (as
 * stored: their defaults applied): the default requests and limits given to the containers of a new
 * pod, then the min, max and limit-to-request ratio of each Container, Pod and claim, refused in
 * Kubernetes' words ({@code maximum cpu usage per Container is 1, but limit is 2}).
 */
public final class LimitRanger {
  /** Says which defaults a pod got, as Kubernetes records it. */
  public static final String ANNOTATION = "kubernetes.io/limit-ranger";

  private LimitRanger() {}

  /**
   * The pod with each range's Container defaults: a container's missing limits from {@code default},
   * its missing requests from {@code defaultRequest}. A request left out where a limit is given is
   * that limit first (Kubernetes' API default for pods, applied before admission). Unchanged, the
   * same tree is returned.
   */
  public static ObjectNode defaults(ObjectNode pod, List<? extends JsonNode> ranges) {
    if (ranges.isEmpty()) return pod;
    ObjectNode out = pod.deepCopy();
    List<String> set = new ArrayList<>();
    for (JsonNode range : ranges) {
      Map<String, JsonNode> limits = new TreeMap<>();
      Map<String, JsonNode> requests = new TreeMap<>();
      for (JsonNode item : range.path("spec").path("limits")) {
        if (!item.path("type").asText().equals("Container")) continue;
        item.path("default").fields().forEachRemaining(e -> limits.put(e.getKey(), e.getValue()));
        item.path("defaultRequest").fields().forEachRemaining(e -> requests.put(e.getKey(), e.getValue()));
      }
      set.clear();
      merge(out.path("spec").path("containers"), "container", limits, requests, set);
      merge(out.path("spec").path("initContainers"), "init container", limits, requests, set);
      if (!set.isEmpty()) {
        out.with("metadata").with("annotations").put(ANNOTATION, "LimitRanger plugin set: " + String.join("; ", set));
      }
    }
    return out.equals(pod) ? pod : out;
  }

  private static void merge(JsonNode containers, String what, Map<String, JsonNode> limits,
      Map<String, JsonNode> requests, List<String> set) {
    for (JsonNode c : containers) {
      if (!(c instanceof ObjectNode container)) continue;
      ObjectNode resources = container.with("resources");
      ObjectNode lim = resources.with("limits");
      ObjectNode req = resources.with("requests");
      lim.fields().forEachRemaining(e -> {
        if (!req.has(e.getKey())) req.set(e.getKey(), e.getValue().deepCopy());
      });
      List<String> setLimits = new ArrayList<>();
      List<String> setRequests = new ArrayList<>();
      limits.forEach((k, v) -> {
        if (!lim.has(k)) {
          lim.set(k, v.deepCopy());
          setLimits.add(k);
        }
      });
      requests.forEach((k, v) -> {
        if (!req.has(k)) {
          req.set(k, v.deepCopy());
          setRequests.add(k);
        }
      });
      if (lim.isEmpty()) resources.remove("limits");
      if (req.isEmpty()) resources.remove("requests");
      if (resources.isEmpty()) container.remove("resources");
      String name = container.path("name").asText();
      if (!setRequests.isEmpty()) set.add(String.join(", ", setRequests) + " request for " + what + " " + name);
      if (!setLimits.isEmpty()) set.add(String.join(", ", setLimits) + " limit for " + what + " " + name);
    }
  }

  /** Why the pod breaks the ranges' Container and Pod limits, in Kubernetes' words; empty when it does not. */
  public static List<String> podViolations(JsonNode pod, List<? extends JsonNode> ranges) {
    List<String> errors = new ArrayList<>();
    JsonNode spec = pod.path("spec");
    for (JsonNode range : ranges) {
      for (JsonNode item : range.path("spec").path("limits")) {
        String type = item.path("type").asText();
        if (type.equals("Container")) {
          List<JsonNode> containers = new ArrayList<>();
          spec.path("containers").forEach(containers::add);
          spec.path("initContainers").forEach(containers::add);
          for (JsonNode c : containers) check(errors, type, item, QuotaUsage.requests(c), QuotaUsage.limits(c));
        } else if (type.equals("Pod")) {
          check(errors, type, item, QuotaUsage.podTotal(spec, false), QuotaUsage.podTotal(spec, true));
        }
      }
    }
    return errors;
  }

  /** Why the claim's storage request breaks the ranges' PersistentVolumeClaim min or max; empty when it does not. */
  public static List<String> claimViolations(JsonNode claim, List<? extends JsonNode> ranges) {
    List<String> errors = new ArrayList<>();
    SortedMap<String, BigDecimal> requests = ResourceList.of(claim.path("spec").path("resources").path("requests"));
    for (JsonNode range : ranges) {
      for (JsonNode item : range.path("spec").path("limits")) {
        if (!item.path("type").asText().equals("PersistentVolumeClaim")) continue;
        String type = "PersistentVolumeClaim";
        ResourceList.of(item.path("min")).forEach((r, min) -> {
          BigDecimal req = requests.get(r);
          if (req == null) errors.add(minimum(r, type, min) + ".  No request is specified");
          else if (req.compareTo(min) < 0) errors.add(minimum(r, type, min) + ", but request is " + ResourceList.format(r, req));
        });
        ResourceList.of(item.path("max")).forEach((r, max) -> {
          BigDecimal req = requests.get(r);
          if (req == null) errors.add(maximum(r, type, max) + ".  No request is specified");
          else if (req.compareTo(max) > 0) errors.add(maximum(r, type, max) + ", but request is " + ResourceList.format(r, req));
        });
      }
    }
    return errors;
  }

  /** Kubernetes' aggregate of errors: one as itself, several in brackets. */
  public static String aggregate(List<String> errors) {
    return errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]";
  }

  private static void check(List<String> errors, String type, JsonNode item, Map<String, BigDecimal> requests,
      Map<String, BigDecimal> limits) {
    ResourceList.of(item.path("min")).forEach((r, min) -> {
      BigDecimal req = requests.get(r);
      BigDecimal lim = limits.get(r);
      if (req == null) errors.add(minimum(r, type, min) + ".  No request is specified");
      else if (req.compareTo(min) < 0) errors.add(minimum(r, type, min) + ", but request is " + ResourceList.format(r, req));
      else if (lim != null && lim.compareTo(min) < 0) {
        errors.add(minimum(r, type, min) + ", but limit is " + ResourceList.format(r, lim));
      }
    });
    ResourceList.of(item.path("max")).forEach((r, max) -> {
      BigDecimal req = requests.get(r);
      BigDecimal lim = limits.get(r);
      if (lim == null) errors.add(maximum(r, type, max) + ".  No limit is specified");
      else if (lim.compareTo(max) > 0) errors.add(maximum(r, type, max) + ", but limit is " + ResourceList.format(r, lim));
      else if (req != null && req.compareTo(max) > 0) {
        errors.add(maximum(r, type, max) + ", but request is " + ResourceList.format(r, req));
      }
    });
    ResourceList.of(item.path("maxLimitRequestRatio")).forEach((r, ratio) -> {
      BigDecimal req = requests.get(r);
      BigDecimal lim = limits.get(r);
      String head = r + " max limit to request ratio per " + type + " is " + ResourceList.format(r, ratio);
      if (req == null || req.signum() == 0) {
        errors.add(head + ", but no request is specified or request is 0");
      } else if (lim == null || lim.signum() == 0) {
        errors.add(head + ", but no limit is specified or limit is 0");
      } else {
        BigDecimal observed = lim.divide(req, MathContext.DECIMAL64);
        if (observed.compareTo(ratio) > 0) {
          errors.add(head + ", but provided ratio is " + String.format(Locale.ROOT, "%f", observed.doubleValue()));
        }
      }
    });
  }

  private static String minimum(String resource, String type, BigDecimal min) {
    return "minimum " + resource + " usage per " + type + " is " + ResourceList.format(resource, min);
  }

  private static String maximum(String resource, String type, BigDecimal max) {
    return "maximum " + resource + " usage per " + type + " is " + ResourceList.format(resource, max);
  }
}
