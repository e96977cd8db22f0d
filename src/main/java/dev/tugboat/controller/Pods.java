package dev.tugboat.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;

/** What controllers read off a Pod: whether it counts, is ready, is available. Pure. */
public final class Pods {
  private Pods() {}

  /** Neither finished nor being deleted: it counts toward its owner's replicas. */
  public static boolean isActive(ObjectNode pod) {
    String phase = pod.path("status").path("phase").asText("");
    return !pod.path("metadata").has("deletionTimestamp") && !phase.equals("Succeeded") && !phase.equals("Failed");
  }

  public static boolean isReady(ObjectNode pod) {
    return readySince(pod) != null;
  }

  /** When the Ready condition last became True; null when the pod is not ready. */
  public static Instant readySince(ObjectNode pod) {
    for (JsonNode c : pod.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        if (!c.path("status").asText().equals("True")) return null;
        return instant(c.path("lastTransitionTime").asText(null), Instant.EPOCH);
      }
    }
    return null;
  }

  /** Ready for at least {@code minReadySeconds}, as Kubernetes defines available. */
  public static boolean isAvailable(ObjectNode pod, int minReadySeconds, Instant now) {
    Instant since = readySince(pod);
    return since != null && (minReadySeconds == 0 || !since.plusSeconds(minReadySeconds).isAfter(now));
  }

  /** The restarts of all its containers. */
  public static int restarts(ObjectNode pod) {
    int sum = 0;
    for (JsonNode s : pod.path("status").path("containerStatuses")) sum += s.path("restartCount").asInt(0);
    return sum;
  }

  private static int phaseRank(ObjectNode pod) {
    return switch (pod.path("status").path("phase").asText("")) {
      case "Pending", "" -> 0;
      case "Unknown" -> 1;
      default -> 2;
    };
  }

  /**
   * The order in which to give pods up when scaling down, as Kubernetes' ActivePods: unscheduled
   * before scheduled, pending before running, not ready before ready, recently ready before long
   * ready, more restarts before fewer, newer before older.
   */
  public static final Comparator<ObjectNode> DELETE_FIRST = Comparator
      .<ObjectNode, Boolean>comparing(p -> !p.path("spec").path("nodeName").asText("").isEmpty())
      .thenComparingInt(Pods::phaseRank)
      .thenComparing(Pods::isReady)
      .thenComparing(p -> readySince(p) == null ? Instant.MAX : readySince(p), Comparator.reverseOrder())
      .thenComparing(Pods::restarts, Comparator.reverseOrder())
      .thenComparing(Meta::created, Comparator.reverseOrder());

  static Instant instant(String text, Instant otherwise) {
    if (text == null || text.isEmpty()) return otherwise;
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return otherwise;
    }
  }
}
