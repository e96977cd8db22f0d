package dev.tugboat.controller.hpa;

import dev.tugboat.kinds.hpa.HorizontalPodAutoscaler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How fast an HPA may move from the replicas it has to the replicas its metrics ask for, as
 * Kubernetes' {@code normalizeDesiredReplicas} and {@code normalizeDesiredReplicasWithBehaviors}:
 * stabilization (the highest recommendation within the scale-down window, the lowest within the
 * scale-up window), then the rate limits (without {@code behavior}: at most double or 4 pods up
 * per pass; with it: its policies over their periods, counting the rescales made within them),
 * then min and max. Pure: the recommendations and rescales of the past are an immutable
 * {@link History} the caller keeps per HPA.
 */
public final class ScaleRules {
  private ScaleRules() {}

  /** A past recommendation (the unstabilized desired replicas) of one HPA. */
  public record Recommendation(int replicas, Instant at) {}

  /** A past rescale of one HPA: replicas added (positive) or removed (negative). */
  public record ScaleEvent(int change, Instant at) {}

  /**
   * What an HPA's normalization remembers; lost when the controller moves, as Kubernetes' is when
   * kube-controller-manager restarts.
   */
  public record History(List<Recommendation> recommendations, List<ScaleEvent> events) {
    public static final History EMPTY = new History(List.of(), List.of());

    /** With a rescale from {@code from} to {@code to} at {@code at}; events older than {@code keep} dropped. */
    public History rescaled(int from, int to, Instant at, Duration keep) {
      List<ScaleEvent> next = new ArrayList<>();
      for (ScaleEvent e : events) if (e.at().isAfter(at.minus(keep))) next.add(e);
      next.add(new ScaleEvent(to - from, at));
      return new History(recommendations, List.copyOf(next));
    }
  }

  /** A condition the normalization sets: AbleToScale (stabilization) or ScalingLimited (limits). */
  public record Reason(String reason, String message) {}

  /**
   * The outcome: the replicas to set, why the recommendation was stabilized (AbleToScale) or
   * limited (ScalingLimited, {@code limited} true when it was), and the history to keep.
   */
  public record Outcome(int replicas, Reason stabilization, Reason limit, boolean limited, History history) {}

  /** Defaults of {@code behavior} as Kubernetes fills them; the scale-down window is the controller's. */
  public static HorizontalPodAutoscaler.Rules scaleUpDefaults(HorizontalPodAutoscaler.Rules given) {
    HorizontalPodAutoscaler.Rules rules = given == null ? new HorizontalPodAutoscaler.Rules(null, null, null) : given;
    return new HorizontalPodAutoscaler.Rules(
        rules.stabilizationWindowSeconds() == null ? Integer.valueOf(0) : rules.stabilizationWindowSeconds(),
        rules.selectPolicy() == null ? "Max" : rules.selectPolicy(),
        rules.policies() == null ? List.of(new HorizontalPodAutoscaler.Policy("Pods", 4, 15),
            new HorizontalPodAutoscaler.Policy("Percent", 100, 15)) : rules.policies());
  }

  public static HorizontalPodAutoscaler.Rules scaleDownDefaults(HorizontalPodAutoscaler.Rules given, Duration window) {
    HorizontalPodAutoscaler.Rules rules = given == null ? new HorizontalPodAutoscaler.Rules(null, null, null) : given;
    return new HorizontalPodAutoscaler.Rules(
        rules.stabilizationWindowSeconds() == null ? Integer.valueOf((int) window.toSeconds()) : rules.stabilizationWindowSeconds(),
        rules.selectPolicy() == null ? "Max" : rules.selectPolicy(),
        rules.policies() == null ? List.of(new HorizontalPodAutoscaler.Policy("Percent", 100, 15)) : rules.policies());
  }

  private static final Reason READY = new Reason("ReadyForNewScale", "recommended size matches current size");
  private static final Reason WITHIN = new Reason("DesiredWithinRange", "the desired count is within the acceptable range");

  /**
   * Without {@code behavior}: the highest recommendation of the last {@code downscaleWindow}, then
   * at most max(2 × current, 4), then min and max.
   */
  public static Outcome withoutBehavior(History history, int current, int desired, int min, int max,
      Duration downscaleWindow, Instant now) {
    int stabilized = desired;
    List<Recommendation> kept = new ArrayList<>();
    for (Recommendation r : history.recommendations()) {
      if (r.at().isAfter(now.minus(downscaleWindow))) {
        kept.add(r);
        stabilized = Math.max(stabilized, r.replicas());
      }
    }
    kept.add(new Recommendation(desired, now));
    Reason stabilization = stabilized != desired ? new Reason("ScaleDownStabilized",
        "recent recommendations were higher than current one, applying the highest recent recommendation") : READY;
    int scaleUpLimit = Math.max(2 * current, 4);
    int result = stabilized;
    Reason limit = WITHIN;
    if (result > Math.min(max, scaleUpLimit)) {
      limit = max > scaleUpLimit
          ? new Reason("ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
          : new Reason("TooManyReplicas", "the desired replica count is more than the maximum replica count");
      result = Math.min(max, scaleUpLimit);
    } else if (result < min) {
      limit = new Reason("TooFewReplicas", "the desired replica count is less than the minimum replica count");
      result = min;
    }
    return new Outcome(result, stabilization, limit, result != stabilized,
        new History(List.copyOf(kept), history.events()));
  }

  /** With {@code behavior} (defaults filled): stabilization in both directions, then the policies' rates, then min and max. */
  public static Outcome withBehavior(History history, int current, int desired, int min, int max,
      HorizontalPodAutoscaler.Rules up, HorizontalPodAutoscaler.Rules down, Instant now) {
    Instant upCutoff = now.minusSeconds(up.stabilizationWindowSeconds());
    Instant downCutoff = now.minusSeconds(down.stabilizationWindowSeconds());
    int upRecommendation = desired;
    int downRecommendation = desired;
    List<Recommendation> kept = new ArrayList<>();
    for (Recommendation r : history.recommendations()) {
      if (r.at().isAfter(upCutoff)) upRecommendation = Math.min(r.replicas(), upRecommendation);
      if (r.at().isAfter(downCutoff)) downRecommendation = Math.max(r.replicas(), downRecommendation);
      if (r.at().isAfter(upCutoff) || r.at().isAfter(downCutoff)) kept.add(r); // older ones can never count again
    }
    kept.add(new Recommendation(desired, now));
    int stabilized = Math.min(Math.max(current, upRecommendation), downRecommendation);
    Reason stabilization = stabilized == desired ? READY : desired >= current
        ? new Reason("ScaleUpStabilized", "recent recommendations were lower than current one, applying the lowest recent recommendation")
        : new Reason("ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation");
    int result = stabilized;
    Reason limit = WITHIN;
    if (stabilized > current) {
      int scaleUpLimit = Math.max(scaleUpLimit(current, history.events(), up, now), current);
      int allowed = max;
      Reason possible = new Reason("TooManyReplicas", "the desired replica count is more than the maximum replica count");
      if (allowed > scaleUpLimit) {
        allowed = scaleUpLimit;
        possible = new Reason("ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate");
      }
      if (stabilized > allowed) {
        result = allowed;
        limit = possible;
      }
    } else if (stabilized < current) {
      int scaleDownLimit = Math.min(scaleDownLimit(current, history.events(), down, now), current);
      int allowed = min;
      Reason possible = new Reason("TooFewReplicas", "the desired replica count is less than the minimum replica count");
      if (allowed < scaleDownLimit) {
        allowed = scaleDownLimit;
        possible = new Reason("ScaleDownLimit", "the desired replica count is decreasing faster than the maximum scale rate");
      }
      if (stabilized < allowed) {
        result = allowed;
        limit = possible;
      }
    }
    // Kubernetes does not clamp an unchanged count to min and max here: the caller does, before.
    return new Outcome(result, stabilization, limit, result != stabilized,
        new History(List.copyOf(kept), history.events()));
  }

  /** The longest policy period of either direction: how long rescales must be remembered. */
  public static Duration longestPeriod(HorizontalPodAutoscaler.Rules up, HorizontalPodAutoscaler.Rules down) {
    int longest = 15;
    for (var rules : List.of(up, down)) {
      if (rules.policies() != null) for (var p : rules.policies()) longest = Math.max(longest, p.periodSeconds());
    }
    return Duration.ofSeconds(longest);
  }

  static int scaleUpLimit(int current, List<ScaleEvent> events, HorizontalPodAutoscaler.Rules rules, Instant now) {
    if ("Disabled".equals(rules.selectPolicy())) return current;
    boolean minChange = "Min".equals(rules.selectPolicy());
    int result = minChange ? Integer.MAX_VALUE : Integer.MIN_VALUE;
    for (HorizontalPodAutoscaler.Policy p : rules.policies()) {
      int start = periodStart(current, events, p.periodSeconds(), now);
      int proposed = p.type().equals("Pods") ? start + p.value()
          : (int) Math.ceil(start * (1 + p.value() / 100.0));
      result = minChange ? Math.min(result, proposed) : Math.max(result, proposed);
    }
    return result;
  }

  static int scaleDownLimit(int current, List<ScaleEvent> events, HorizontalPodAutoscaler.Rules rules, Instant now) {
    if ("Disabled".equals(rules.selectPolicy())) return current;
    boolean minChange = "Min".equals(rules.selectPolicy());
    int result = minChange ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    for (HorizontalPodAutoscaler.Policy p : rules.policies()) {
      int start = periodStart(current, events, p.periodSeconds(), now);
      int proposed = p.type().equals("Pods") ? start - p.value() : (int) (start * (1 - p.value() / 100.0));
      result = minChange ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return result;
  }

  /** The replicas at the start of the period: the current ones less what was added, plus what was removed, within it. */
  private static int periodStart(int current, List<ScaleEvent> events, int periodSeconds, Instant now) {
    Instant cutoff = now.minusSeconds(periodSeconds);
    int added = 0;
    int removed = 0;
    for (ScaleEvent e : events) {
      if (!e.at().isAfter(cutoff)) continue;
      if (e.change() > 0) added += e.change();
      else removed -= e.change();
    }
    return current - added + removed;
  }
}
