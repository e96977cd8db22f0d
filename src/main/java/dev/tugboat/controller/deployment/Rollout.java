package dev.tugboat.controller.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.Pods;
import dev.tugboat.model.Codec;
import dev.tugboat.model.IntOrString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The arithmetic of a Deployment's rollout, as Kubernetes' deployment controller does it, without
 * I/O: which ReplicaSet is new, how far it may grow and the old ones shrink under maxSurge and
 * maxUnavailable, proportional scaling during a rollout, and the status and conditions that
 * {@code kubectl rollout status} reads.
 */
public final class Rollout {
  public static final String HASH_LABEL = "pod-template-hash";
  public static final String REVISION = "deployment.kubernetes.io/revision";
  public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
  public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
  /** Tugboat: set to a revision (0: the previous one) and the controller rolls the Deployment back to it. */
  public static final String ROLLBACK_TO = "deployment.tugboat.dev/rollback-to";
  /** Tugboat: "true" and a rollout past its progress deadline returns to the last good revision by itself. */
  public static final String AUTO_ROLLBACK = "deployment.tugboat.dev/auto-rollback";
  /** Tugboat: the last revision whose rollout completed; where an automatic rollback returns to. */
  public static final String LAST_GOOD = "deployment.tugboat.dev/last-good-revision";

  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private Rollout() {}

  // ---- ReplicaSets as the controller reads them ---------------------------------------------------

  public static int replicas(JsonNode object) {
    return object.path("spec").path("replicas").asInt(1);
  }

  public static int statusInt(JsonNode object, String field) {
    return object.path("status").path(field).asInt(0);
  }

  public static long revision(JsonNode object) {
    try {
      return Long.parseLong(object.path("metadata").path("annotations").path(REVISION).asText("0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  public static long maxRevision(List<ObjectNode> replicaSets) {
    return replicaSets.stream().mapToLong(Rollout::revision).max().orElse(0);
  }

  /** The template of a ReplicaSet as its Deployment wrote it: without the hash label. */
  public static JsonNode templateWithoutHash(JsonNode replicaSet) {
    ObjectNode template = replicaSet.path("spec").path("template").deepCopy();
    JsonNode labels = template.path("metadata").path("labels");
    if (labels instanceof ObjectNode l) l.remove(HASH_LABEL);
    return template;
  }

  /** The ReplicaSet running the Deployment's current template, or null. */
  public static ObjectNode newReplicaSet(ObjectNode deployment, List<ObjectNode> replicaSets) {
    JsonNode template = deployment.path("spec").path("template");
    return replicaSets.stream()
        .filter(rs -> templateWithoutHash(rs).equals(template))
        .min(Comparator.comparing(Meta::created))
        .orElse(null);
  }

  /**
   * A short, stable hash of a pod template (FNV-1a over its canonical JSON, keys sorted), spelled in
   * Kubernetes' safe alphabet as its {@code pod-template-hash} is.
   */
  public static String templateHash(JsonNode template, int collisionCount) {
    String canonical = Codec.toJson(canonical(template)) + (collisionCount == 0 ? "" : "#" + collisionCount);
    int hash = 0x811c9dc5;
    for (byte b : canonical.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    StringBuilder out = new StringBuilder();
    for (char digit : Long.toString(Integer.toUnsignedLong(hash)).toCharArray()) {
      out.append(ALPHABET.charAt(digit - '0'));
    }
    return out.toString();
  }

  private static Object canonical(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> sorted = new TreeMap<>();
      node.fields().forEachRemaining(e -> sorted.put(e.getKey(), canonical(e.getValue())));
      return sorted;
    }
    if (node.isArray()) {
      List<Object> items = new ArrayList<>();
      node.forEach(n -> items.add(canonical(n)));
      return items;
    }
    return node;
  }

  // ---- how far a rollout may go -------------------------------------------------------------------

  /** maxSurge and maxUnavailable against the replicas; never both 0 (then 1 may be unavailable). */
  public record Fenceposts(int maxSurge, int maxUnavailable) {}

  public static Fenceposts fenceposts(ObjectNode deployment) {
    int replicas = replicas(deployment);
    JsonNode rolling = deployment.path("spec").path("strategy").path("rollingUpdate");
    int surge = intOrPercent(rolling.path("maxSurge"), "25%").scaled(replicas, true);
    int unavailable = intOrPercent(rolling.path("maxUnavailable"), "25%").scaled(replicas, false);
    if (surge == 0 && unavailable == 0) unavailable = 1;
    return new Fenceposts(surge, unavailable);
  }

  private static IntOrString intOrPercent(JsonNode node, String otherwise) {
    if (node.isInt()) return IntOrString.of(node.asInt());
    return IntOrString.of(node.isTextual() ? node.asText() : otherwise);
  }

  private static int sumReplicas(List<ObjectNode> replicaSets) {
    return replicaSets.stream().mapToInt(Rollout::replicas).sum();
  }

  /** The size the new ReplicaSet may have now in a rolling update (Kubernetes' NewRSNewReplicas). */
  public static int newReplicaSetSize(ObjectNode deployment, ObjectNode newRs, List<ObjectNode> all) {
    int replicas = replicas(deployment);
    int current = replicas(newRs);
    if (current >= replicas) return replicas;
    int maxTotal = replicas + fenceposts(deployment).maxSurge();
    int total = sumReplicas(all);
    if (total >= maxTotal) return current;
    return current + Math.min(maxTotal - total, replicas - current);
  }

  /**
   * The old ReplicaSets' sizes after this step of a rolling update: first those pods that are not
   * available go (they count for nothing), then available ones while at least replicas minus
   * maxUnavailable stay available. Oldest ReplicaSets shrink first. Only changed sizes are returned.
   */
  public static Map<ObjectNode, Integer> oldReplicaSetSizes(ObjectNode deployment, ObjectNode newRs,
      List<ObjectNode> olds) {
    Map<ObjectNode, Integer> sizes = new LinkedHashMap<>();
    List<ObjectNode> all = new ArrayList<>(olds);
    if (newRs != null) all.add(newRs);
    if (sumReplicas(olds) == 0) return sizes;
    int replicas = replicas(deployment);
    int minAvailable = replicas - fenceposts(deployment).maxUnavailable();
    int newUnavailable = newRs == null ? 0 : Math.max(0, replicas(newRs) - statusInt(newRs, "availableReplicas"));
    int maxScaledDown = sumReplicas(all) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return sizes;
    List<ObjectNode> oldestFirst = olds.stream().sorted(Comparator.comparing(Meta::created)).toList();
    Map<ObjectNode, Integer> target = new LinkedHashMap<>();
    oldestFirst.forEach(rs -> target.put(rs, replicas(rs)));
    // unhealthy pods of old ReplicaSets first
    int budget = maxScaledDown;
    for (ObjectNode rs : oldestFirst) {
      if (budget <= 0) break;
      int unhealthy = Math.max(0, target.get(rs) - statusInt(rs, "availableReplicas"));
      int cut = Math.min(unhealthy, budget);
      target.put(rs, target.get(rs) - cut);
      budget -= cut;
    }
    int cleaned = maxScaledDown - budget;
    // then available ones, keeping minAvailable
    int available = all.stream().mapToInt(rs -> statusInt(rs, "availableReplicas")).sum();
    int allowed = Math.min(available - minAvailable, maxScaledDown - cleaned);
    for (ObjectNode rs : oldestFirst) {
      if (allowed <= 0) break;
      int cut = Math.min(target.get(rs), allowed);
      target.put(rs, target.get(rs) - cut);
      allowed -= cut;
    }
    target.forEach((rs, size) -> {
      if (size != replicas(rs)) sizes.put(rs, size);
    });
    return sizes;
  }

  /** True when some active ReplicaSet was sized for another replica count than the Deployment's now. */
  public static boolean isScalingEvent(ObjectNode deployment, List<ObjectNode> all) {
    String wanted = Integer.toString(replicas(deployment));
    return all.stream().filter(rs -> replicas(rs) > 0)
        .anyMatch(rs -> !wanted.equals(rs.path("metadata").path("annotations").path(DESIRED_REPLICAS).asText(wanted)));
  }

  /**
   * Scaling in the middle of a rollout: the difference is spread over the active ReplicaSets in
   * proportion to their sizes, the rest to the largest (newest first when growing), as Kubernetes
   * does, so that neither the old nor the new template wins by the scaling alone.
   */
  public static Map<ObjectNode, Integer> proportionalSizes(ObjectNode deployment, List<ObjectNode> all) {
    List<ObjectNode> active = all.stream().filter(rs -> replicas(rs) > 0).toList();
    Map<ObjectNode, Integer> sizes = new LinkedHashMap<>();
    int replicas = replicas(deployment);
    if (active.size() <= 1) {
      ObjectNode only = active.isEmpty()
          ? all.stream().max(Comparator.comparing(Meta::created)).orElse(null) : active.get(0);
      if (only != null && replicas(only) != replicas) sizes.put(only, replicas);
      return sizes;
    }
    boolean rolling = !"Recreate".equals(deployment.path("spec").path("strategy").path("type").asText());
    int allowed = replicas + (rolling ? fenceposts(deployment).maxSurge() : 0);
    int toAdd = allowed - sumReplicas(active);
    if (toAdd == 0) return sizes;
    Comparator<ObjectNode> bySize = Comparator.<ObjectNode>comparingInt(Rollout::replicas).reversed();
    Comparator<ObjectNode> order = toAdd > 0
        ? bySize.thenComparing((ObjectNode rs) -> Meta.created(rs), Comparator.reverseOrder())
        : bySize.thenComparing((ObjectNode rs) -> Meta.created(rs));
    List<ObjectNode> sorted = active.stream().sorted(order).toList();
    int added = 0;
    Map<ObjectNode, Integer> target = new LinkedHashMap<>();
    for (ObjectNode rs : sorted) {
      int annotated = rs.path("metadata").path("annotations").path(MAX_REPLICAS).asInt(0);
      int share;
      if (annotated <= 0) {
        share = 0;
      } else {
        share = (int) Math.round(replicas(rs) * (double) allowed / annotated) - replicas(rs);
      }
      int remaining = toAdd - added;
      share = toAdd > 0 ? Math.max(0, Math.min(share, remaining)) : Math.min(0, Math.max(share, remaining));
      target.put(rs, replicas(rs) + share);
      added += share;
    }
    ObjectNode first = sorted.get(0);
    target.put(first, Math.max(0, target.get(first) + toAdd - added));
    target.forEach((rs, size) -> {
      if (size != replicas(rs)) sizes.put(rs, size);
    });
    return sizes;
  }

  /** Old ReplicaSets beyond revisionHistoryLimit that may go: scaled to zero with no pods, oldest first. */
  public static List<ObjectNode> historyToDelete(ObjectNode deployment, List<ObjectNode> olds) {
    int limit = deployment.path("spec").path("revisionHistoryLimit").asInt(10);
    List<ObjectNode> idle = olds.stream()
        .filter(rs -> replicas(rs) == 0 && statusInt(rs, "replicas") == 0
            && !rs.path("metadata").has("deletionTimestamp"))
        .sorted(Comparator.comparingLong(Rollout::revision)).toList();
    return idle.size() <= limit ? List.of() : idle.subList(0, idle.size() - limit);
  }

  /** The ReplicaSet a rollback to {@code revision} (0: the one before the current) returns to, or null. */
  public static ObjectNode rollbackTarget(List<ObjectNode> replicaSets, ObjectNode current, long revision) {
    long currentRevision = current == null ? maxRevision(replicaSets) : revision(current);
    if (revision == 0) {
      return replicaSets.stream().filter(rs -> revision(rs) < currentRevision)
          .max(Comparator.comparingLong(Rollout::revision)).orElse(null);
    }
    return replicaSets.stream().filter(rs -> revision(rs) == revision).findFirst().orElse(null);
  }

  // ---- status ------------------------------------------------------------------------------------

  /**
   * The Deployment's status after this pass: counts summed over its ReplicaSets, Available, and
   * Progressing with its deadline.
   */
  public static ObjectNode status(ObjectNode deployment, ObjectNode newRs, List<ObjectNode> all, Instant now) {
    int replicas = replicas(deployment);
    int total = all.stream().mapToInt(rs -> statusInt(rs, "replicas")).sum();
    int updated = newRs == null ? 0 : statusInt(newRs, "replicas");
    int ready = all.stream().mapToInt(rs -> statusInt(rs, "readyReplicas")).sum();
    int available = all.stream().mapToInt(rs -> statusInt(rs, "availableReplicas")).sum();
    JsonNode previous = deployment.path("status");
    ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.put("observedGeneration", deployment.path("metadata").path("generation").asLong(1))
        .put("replicas", total).put("updatedReplicas", updated).put("readyReplicas", ready)
        .put("availableReplicas", available).put("unavailableReplicas", Math.max(0, replicas - available));
    if (previous.has("collisionCount")) status.set("collisionCount", previous.get("collisionCount"));

    boolean minimumAvailable = available >= replicas - fenceposts(deployment).maxUnavailable();
    ObjectNode availableCondition = minimumAvailable
        ? condition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now)
        : condition("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now);
    ObjectNode progressing = progressing(deployment, newRs, status, previous, now);
    ArrayNode conditions = status.putArray("conditions");
    conditions.add(keepTimes(availableCondition, find(previous, "Available"), false));
    if (progressing != null) conditions.add(progressing);
    return status;
  }

  private static ObjectNode progressing(ObjectNode deployment, ObjectNode newRs, ObjectNode now_, JsonNode previous,
      Instant now) {
    JsonNode before = find(previous, "Progressing");
    if (newRs == null) return before == null ? null : (ObjectNode) before.deepCopy();
    String rs = Meta.name(newRs);
    int replicas = replicas(deployment);
    boolean complete = now_.path("updatedReplicas").asInt() == replicas && now_.path("replicas").asInt() == replicas
        && now_.path("availableReplicas").asInt() == replicas;
    boolean sameReplicaSet = before != null && before.path("message").asText().contains("\"" + rs + "\"");
    if (complete) {
      return keepTimes(condition("Progressing", "True", "NewReplicaSetAvailable",
          "ReplicaSet \"" + rs + "\" has successfully progressed.", now), before, false);
    }
    if (!sameReplicaSet) {
      return condition("Progressing", "True", "NewReplicaSetCreated", "Created new replica set \"" + rs + "\"", now);
    }
    boolean progressed = now_.path("updatedReplicas").asInt() > previous.path("updatedReplicas").asInt()
        || now_.path("readyReplicas").asInt() > previous.path("readyReplicas").asInt()
        || now_.path("availableReplicas").asInt() > previous.path("availableReplicas").asInt()
        || now_.path("replicas").asInt() - now_.path("updatedReplicas").asInt()
            < previous.path("replicas").asInt() - previous.path("updatedReplicas").asInt();
    if (progressed) {
      return keepTimes(condition("Progressing", "True", "ReplicaSetUpdated", "ReplicaSet \"" + rs + "\" is progressing.",
          now), before, true);
    }
    if (before.path("reason").asText().equals("ProgressDeadlineExceeded")) return (ObjectNode) before.deepCopy();
    JsonNode deadline = deployment.path("spec").path("progressDeadlineSeconds");
    Instant lastUpdate = instant(before.path("lastUpdateTime").asText(null), now);
    if (deadline.isNumber() && now.isAfter(lastUpdate.plusSeconds(deadline.asLong()))) {
      return condition("Progressing", "False", "ProgressDeadlineExceeded",
          "ReplicaSet \"" + rs + "\" has timed out progressing.", now);
    }
    return (ObjectNode) before.deepCopy();
  }

  /**
   * How long until a rollout still progressing (by {@code status}) passes its progress deadline, or
   * null: complete, already past it, or no deadline. A second more than the deadline, since
   * {@code lastUpdateTime} has whole seconds and the deadline is passed only after it.
   */
  public static Duration untilDeadline(ObjectNode deployment, ObjectNode status, Instant now) {
    JsonNode deadline = deployment.path("spec").path("progressDeadlineSeconds");
    JsonNode progressing = find(status, "Progressing");
    if (!deadline.isNumber() || progressing == null || !progressing.path("status").asText().equals("True")
        || progressing.path("reason").asText().equals("NewReplicaSetAvailable")) {
      return null;
    }
    Instant due = instant(progressing.path("lastUpdateTime").asText(null), now).plusSeconds(deadline.asLong() + 1);
    Duration left = Duration.between(now, due);
    return left.isNegative() ? Duration.ofSeconds(1) : left;
  }

  /** Keeps lastTransitionTime while the status is unchanged, and lastUpdateTime too unless {@code touched}. */
  private static ObjectNode keepTimes(ObjectNode condition, JsonNode before, boolean touched) {
    if (before == null || !before.path("status").asText().equals(condition.path("status").asText())) return condition;
    condition.set("lastTransitionTime", before.path("lastTransitionTime"));
    if (!touched && before.path("reason").asText().equals(condition.path("reason").asText())) {
      condition.set("lastUpdateTime", before.path("lastUpdateTime"));
    }
    return condition;
  }

  private static ObjectNode condition(String type, String status, String reason, String message, Instant now) {
    String time = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    return JsonNodeFactory.instance.objectNode().put("type", type).put("status", status)
        .put("lastUpdateTime", time).put("lastTransitionTime", time).put("reason", reason).put("message", message);
  }

  public static JsonNode find(JsonNode status, String type) {
    for (Iterator<JsonNode> it = status.path("conditions").elements(); it.hasNext(); ) {
      JsonNode c = it.next();
      if (c.path("type").asText().equals(type)) return c;
    }
    return null;
  }

  private static Instant instant(String text, Instant otherwise) {
    try {
      return text == null ? otherwise : Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      return otherwise;
    }
  }
}
