package dev.tugboat.kinds.resourcequota;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What an object counts against a quota, and which quotas concern it: Kubernetes' quota evaluators
 * ({@code pkg/quota/v1/evaluator/core}) as pure functions over objects in their JSON form. A pod
 * counts itself ({@code pods}, {@code count/pods}) and its compute requests and limits; a Service
 * itself, its node ports and load balancer; a claim itself and its storage; any other object
 * itself under {@code count/<resource>[.<group>]}.
 */
public final class QuotaUsage {
  /** The resource names a quota's {@code hard} may hold without a "/": Kubernetes' standard quota resources. */
  public static final Set<String> STANDARD = Set.of("pods", "services", "replicationcontrollers", "resourcequotas",
      "secrets", "configmaps", "persistentvolumeclaims", "services.nodeports", "services.loadbalancers", "cpu",
      "memory", "requests.cpu", "requests.memory", "requests.storage", "requests.ephemeral-storage", "limits.cpu",
      "limits.memory", "limits.ephemeral-storage", "ephemeral-storage");
  /** Resources counted in whole objects: their quantities must be integers. */
  static final Set<String> INTEGER = Set.of("pods", "services", "replicationcontrollers", "resourcequotas", "secrets",
      "configmaps", "persistentvolumeclaims", "services.nodeports", "services.loadbalancers");
  /** The compute resources of pods (what scoped quotas other than BestEffort may track). */
  static final Set<String> POD_COMPUTE = Set.of("cpu", "memory", "requests.cpu", "requests.memory",
      "limits.cpu", "limits.memory", "ephemeral-storage", "requests.ephemeral-storage", "limits.ephemeral-storage");
  /** Every container must say these when a quota tracks them (Kubernetes' backward-compatible rule). */
  private static final Set<String> MUST_SPECIFY = Set.of("cpu", "memory", "requests.cpu", "requests.memory",
      "limits.cpu", "limits.memory");
  /** The core kinds that have a short name besides {@code count/<plural>}. */
  private static final Set<String> LEGACY_COUNTS = Set.of("pods", "services", "configmaps", "secrets",
      "persistentvolumeclaims", "replicationcontrollers", "resourcequotas");
  public static final List<String> SCOPES = List.of("Terminating", "NotTerminating", "BestEffort", "NotBestEffort",
      "PriorityClass", "CrossNamespacePodAffinity");

  private QuotaUsage() {}

  /** {@code count/<plural>} for the core group, else {@code count/<plural>.<group>}. */
  public static String countName(String group, String plural) {
    return group.isEmpty() ? "count/" + plural : "count/" + plural + "." + group;
  }

  /** The resource names objects of this kind can be charged for. */
  public static Set<String> resourcesOf(String group, String plural) {
    Set<String> names = new TreeSet<>();
    names.add(countName(group, plural));
    if (group.isEmpty() && LEGACY_COUNTS.contains(plural)) names.add(plural);
    if (group.isEmpty() && plural.equals("pods")) names.addAll(POD_COMPUTE);
    if (group.isEmpty() && plural.equals("services")) names.addAll(List.of("services.nodeports", "services.loadbalancers"));
    if (group.isEmpty() && plural.equals("persistentvolumeclaims")) names.add("requests.storage");
    return names;
  }

  /**
   * What one object uses, by resource name, at {@code now}. A pod that has ended, or whose deletion's
   * grace period is over (a node lost), uses nothing: it must not keep its owner from replacing it.
   */
  public static SortedMap<String, BigDecimal> of(String group, String plural, JsonNode object, Instant now) {
    SortedMap<String, BigDecimal> usage = new TreeMap<>();
    boolean core = group.isEmpty();
    if (core && plural.equals("pods") && !counts(object, now)) return usage;
    usage.put(countName(group, plural), BigDecimal.ONE);
    if (core && LEGACY_COUNTS.contains(plural)) usage.put(plural, BigDecimal.ONE);
    if (core && plural.equals("pods")) usage.putAll(podCompute(object.path("spec")));
    if (core && plural.equals("services")) {
      String type = object.path("spec").path("type").asText("ClusterIP");
      if (type.equals("NodePort") || type.equals("LoadBalancer")) {
        usage.put("services.nodeports", BigDecimal.valueOf(object.path("spec").path("ports").size()));
      }
      usage.put("services.loadbalancers", type.equals("LoadBalancer") ? BigDecimal.ONE : BigDecimal.ZERO);
      usage.putIfAbsent("services.nodeports", BigDecimal.ZERO);
    }
    if (core && plural.equals("persistentvolumeclaims")) {
      BigDecimal storage = ResourceList.of(object.path("spec").path("resources").path("requests")).get("storage");
      if (storage != null) usage.put("requests.storage", storage);
    }
    return usage;
  }

  /** Kubernetes' {@code QuotaV1Pod}: not ended, and not past its deletion's grace period. */
  static boolean counts(JsonNode pod, Instant now) {
    String phase = pod.path("status").path("phase").asText("");
    if (phase.equals("Succeeded") || phase.equals("Failed")) return false;
    JsonNode meta = pod.path("metadata");
    if (meta.hasNonNull("deletionTimestamp") && meta.hasNonNull("deletionGracePeriodSeconds")) {
      Instant until = deletionDeadline(pod);
      return until == null || !now.isAfter(until);
    }
    return true;
  }

  /** When a deleted pod stops counting (its deletionTimestamp plus its grace period), or null. */
  public static Instant deletionDeadline(JsonNode pod) {
    JsonNode meta = pod.path("metadata");
    if (!meta.hasNonNull("deletionTimestamp")) return null;
    try {
      return Instant.parse(meta.path("deletionTimestamp").asText())
          .plusSeconds(meta.path("deletionGracePeriodSeconds").asLong(0));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** A container's requests with Kubernetes' default: a request left out is the limit, when there is one. */
  public static SortedMap<String, BigDecimal> requests(JsonNode container) {
    SortedMap<String, BigDecimal> requests = ResourceList.of(container.path("resources").path("limits"));
    requests.putAll(ResourceList.of(container.path("resources").path("requests")));
    return requests;
  }

  public static SortedMap<String, BigDecimal> limits(JsonNode container) {
    return ResourceList.of(container.path("resources").path("limits"));
  }

  /**
   * A pod's requests or limits: its containers' summed, or its largest init container's when that
   * is more (init containers run one at a time, before the others).
   */
  public static SortedMap<String, BigDecimal> podTotal(JsonNode spec, boolean limits) {
    SortedMap<String, BigDecimal> total = new TreeMap<>();
    for (JsonNode c : spec.path("containers")) total = ResourceList.add(total, limits ? limits(c) : requests(c));
    for (JsonNode c : spec.path("initContainers")) {
      for (Map.Entry<String, BigDecimal> e : (limits ? limits(c) : requests(c)).entrySet()) {
        total.merge(e.getKey(), e.getValue(), BigDecimal::max);
      }
    }
    return total;
  }

  private static SortedMap<String, BigDecimal> podCompute(JsonNode spec) {
    SortedMap<String, BigDecimal> usage = new TreeMap<>();
    podTotal(spec, false).forEach((name, v) -> {
      if (name.equals("cpu") || name.equals("memory") || name.equals("ephemeral-storage")) {
        usage.put("requests." + name, v);
        usage.put(name, v);
      }
    });
    podTotal(spec, true).forEach((name, v) -> {
      if (name.equals("cpu") || name.equals("memory") || name.equals("ephemeral-storage")) usage.put("limits." + name, v);
    });
    return usage;
  }

  /**
   * Kubernetes' pod constraint: when a quota tracks cpu or memory, every container must say its
   * request (or limit) of it. Null when they all do, else the message ({@code must specify
   * limits.cpu for: app; requests.memory for: app,side}).
   */
  public static String missing(JsonNode pod, Set<String> tracked) {
    Set<String> required = new TreeSet<>(tracked);
    required.retainAll(MUST_SPECIFY);
    if (required.isEmpty()) return null;
    Map<String, Set<String>> missing = new TreeMap<>();
    List<JsonNode> containers = new ArrayList<>();
    pod.path("spec").path("containers").forEach(containers::add);
    pod.path("spec").path("initContainers").forEach(containers::add);
    for (JsonNode c : containers) {
      Set<String> has = new TreeSet<>();
      requests(c).keySet().forEach(k -> {
        has.add(k);
        has.add("requests." + k);
      });
      limits(c).keySet().forEach(k -> has.add("limits." + k));
      for (String r : required) {
        if (!has.contains(r)) missing.computeIfAbsent(r, k -> new TreeSet<>()).add(c.path("name").asText());
      }
    }
    if (missing.isEmpty()) return null;
    List<String> parts = new ArrayList<>();
    missing.forEach((r, names) -> parts.add(r + " for: " + String.join(",", names)));
    return "must specify " + String.join("; ", parts);
  }

  /** Whether a pod is BestEffort: no container requests or limits cpu or memory. */
  static boolean bestEffort(JsonNode spec) {
    List<JsonNode> containers = new ArrayList<>();
    spec.path("containers").forEach(containers::add);
    spec.path("initContainers").forEach(containers::add);
    for (JsonNode c : containers) {
      for (String bucket : List.of("requests", "limits")) {
        JsonNode r = c.path("resources").path(bucket);
        if (r.has("cpu") || r.has("memory")) return false;
      }
    }
    return true;
  }

  /**
   * Whether the quota concerns the object: a quota without scopes concerns everything in its
   * namespace; one with scopes (its {@code scopes}, each as an Exists requirement, and its
   * {@code scopeSelector}) only the pods that meet every requirement.
   */
  public static boolean matches(JsonNode quota, String group, String plural, JsonNode object) {
    List<JsonNode> requirements = requirements(quota);
    if (requirements.isEmpty()) return true;
    if (!group.isEmpty() || !plural.equals("pods")) return false;
    for (JsonNode r : requirements) if (!meets(object.path("spec"), r)) return false;
    return true;
  }

  private static List<JsonNode> requirements(JsonNode quota) {
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode s : quota.path("spec").path("scopes")) {
      all.add(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
          .put("scopeName", s.asText()).put("operator", "Exists"));
    }
    quota.path("spec").path("scopeSelector").path("matchExpressions").forEach(all::add);
    return all;
  }

  private static boolean meets(JsonNode spec, JsonNode requirement) {
    String operator = requirement.path("operator").asText();
    boolean in = switch (requirement.path("scopeName").asText()) {
      case "Terminating" -> spec.path("activeDeadlineSeconds").canConvertToLong()
          && spec.path("activeDeadlineSeconds").asLong() >= 0;
      case "NotTerminating" -> !(spec.path("activeDeadlineSeconds").canConvertToLong()
          && spec.path("activeDeadlineSeconds").asLong() >= 0);
      case "BestEffort" -> bestEffort(spec);
      case "NotBestEffort" -> !bestEffort(spec);
      case "PriorityClass" -> {
        String pc = spec.path("priorityClassName").asText("");
        Set<String> values = new TreeSet<>();
        requirement.path("values").forEach(v -> values.add(v.asText()));
        yield switch (operator) {
          case "In" -> values.contains(pc);
          case "NotIn" -> !values.contains(pc);
          case "Exists" -> !pc.isEmpty();
          case "DoesNotExist" -> pc.isEmpty();
          default -> false;
        };
      }
      case "CrossNamespacePodAffinity" -> crossNamespaceAffinity(spec);
      default -> false;
    };
    if (requirement.path("scopeName").asText().equals("PriorityClass")) return in;
    return operator.equals("DoesNotExist") != in;
  }

  private static boolean crossNamespaceAffinity(JsonNode spec) {
    for (String kind : List.of("podAffinity", "podAntiAffinity")) {
      JsonNode a = spec.path("affinity").path(kind);
      List<JsonNode> terms = new ArrayList<>();
      a.path("requiredDuringSchedulingIgnoredDuringExecution").forEach(terms::add);
      a.path("preferredDuringSchedulingIgnoredDuringExecution").forEach(t -> terms.add(t.path("podAffinityTerm")));
      for (JsonNode t : terms) if (t.path("namespaces").size() > 0 || t.has("namespaceSelector")) return true;
    }
    return false;
  }
}
