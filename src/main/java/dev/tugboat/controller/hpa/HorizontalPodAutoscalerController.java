package dev.tugboat.controller.hpa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.ControllerLoop;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.Writes;
import dev.tugboat.kind.JsonPaths;
import dev.tugboat.kind.ObjectFilter;
import dev.tugboat.kind.ScaleSubresource;
import dev.tugboat.kinds.hpa.HorizontalPodAutoscaler;
import dev.tugboat.kinds.hpa.HorizontalPodAutoscalerStrategy;
import dev.tugboat.model.Codec;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.ObjectReference;
import dev.tugboat.model.ResourceType;
import dev.tugboat.protocol.ResourceUsage;
import dev.tugboat.registry.EventRecorder;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The HorizontalPodAutoscaler controller, as Kubernetes' {@code pkg/controller/podautoscaler}: every
 * sync period per HPA it reads the target's scale (its replicas and selector, through the kind's
 * scale subresource paths), the target's pods from the index and their usage from the node agents
 * ({@link ResourceUsage}), computes the replicas each metric asks for ({@link ReplicaCalculator}),
 * takes the highest, normalizes it ({@link ScaleRules}: stabilization, rate limits, min and max),
 * writes the target's replicas when they change (with a {@code SuccessfulRescale} Event), and the
 * HPA's status: current and desired replicas, current metrics, conditions AbleToScale,
 * ScalingActive and ScalingLimited.
 *
 * <p>The stabilization windows and recent rescales of each HPA are kept here, in memory, as
 * Kubernetes keeps them; a pass for one HPA never runs beside another pass for it (the loop's
 * rule), so the map needs no more than its own thread safety.
 */
public final class HorizontalPodAutoscalerController implements ControllerLoop.Reconciler {
  public static final String KIND = "HorizontalPodAutoscaler";
  private static final Duration ASK = Duration.ofSeconds(3);

  /**
   * @param syncPeriod how often each HPA is evaluated (Kubernetes' --horizontal-pod-autoscaler-sync-period)
   * @param downscaleStabilization the scale-down window when an HPA names none
   */
  public record Settings(Duration syncPeriod, Duration downscaleStabilization, ReplicaCalculator.Settings calculation) {}

  private final Registry registry;
  private final ActorSystem<?> system;
  private final Writes writes;
  private final EventRecorder events;
  private final Settings settings;
  private final Map<String, ScaleRules.History> histories = new ConcurrentHashMap<>();

  public HorizontalPodAutoscalerController(Registry registry, ActorSystem<?> system, String host, Settings settings) {
    this.registry = registry;
    this.system = system;
    this.writes = new Writes(registry);
    this.events = new EventRecorder(registry, "horizontal-pod-autoscaler", host);
    this.settings = settings;
  }

  @Override
  public String primaryKind() {
    return KIND;
  }

  @Override
  public List<String> watchedKinds() {
    return List.of(KIND);
  }

  @Override
  public List<String> keysFor(Informer.ObjectEvent change) {
    return List.of(ControllerLoop.key(change.object()));
  }

  @Override
  public CompletionStage<Duration> reconcile(String key) {
    String namespace = key.substring(0, key.indexOf('/'));
    String name = key.substring(key.indexOf('/') + 1);
    return registry.get(KIND, namespace, name).thenCompose(result -> {
      if (!(result instanceof Result.Ok ok) || ok.object().path("metadata").has("deletionTimestamp")) {
        histories.remove(key);
        return CompletableFuture.completedFuture(null);
      }
      return evaluate(key, ok.object()).thenApply(v -> settings.syncPeriod());
    });
  }

  /** One evaluation of one HPA; completes once its writes are taken. */
  private CompletionStage<Void> evaluate(String key, ObjectNode object) {
    HorizontalPodAutoscaler hpa = Codec.convert(object, HorizontalPodAutoscaler.class);
    Instant now = Instant.now();
    HpaStatus status = HpaStatus.of(hpa, now);
    HorizontalPodAutoscaler.Target ref = hpa.spec().scaleTargetRef();
    String namespace = Meta.namespace(object);
    ResourceType type = HorizontalPodAutoscalerStrategy.targetType(ref).orElse(null);
    ScaleSubresource scale = type == null || !registry.serves(type.kind()) ? null
        : registry.strategy(type.kind()).scale().orElse(null);
    if (scale == null) {
      String why = type == null
          ? "no matches for kind \"" + ref.kind() + "\" in group \"" + group(ref.apiVersion()) + "\""
          : "the kind " + type.qualifiedName() + " has no scale subresource";
      return failedScale(object, status, "the HPA controller was unable to get the target's current scale: " + why);
    }
    return registry.get(type.kind(), namespace, ref.name()).thenCompose(target -> {
      if (!(target instanceof Result.Ok got)) {
        return failedScale(object, status, "the HPA controller was unable to get the target's current scale: "
            + type.qualifiedName() + " \"" + ref.name() + "\" not found");
      }
      ObjectNode targetObject = got.object();
      status.condition("AbleToScale", true, "SucceededGetScale", "the HPA controller was able to get the target's current scale");
      int current = JsonPaths.at(targetObject, scale.specReplicasPath()).asInt(0);
      String selector = selector(targetObject, scale);
      return decide(key, hpa, status, current, selector, namespace, now).thenCompose(desired -> {
        boolean rescale = desired.replicas() != current && desired.reason() != null;
        CompletionStage<Boolean> written = rescale
            ? writes.patch(type.kind(), namespace, ref.name(), JsonPaths.patchSetting(scale.specReplicasPath(),
                JsonNodeFactory.instance.numberNode(desired.replicas()))).thenApply(r -> r instanceof Result.Ok)
            : CompletableFuture.completedFuture(false);
        return written.thenCompose(done -> {
          ObjectReference self = Meta.reference(object);
          if (rescale && done) {
            status.condition("AbleToScale", true, "SucceededRescale",
                "the HPA controller was able to update the target scale to " + desired.replicas());
            status.rescaled(now);
            histories.computeIfPresent(key, (k, h) -> h.rescaled(current, desired.replicas(), now, desired.keepEvents()));
            events.record(self, "Normal", "SuccessfulRescale", "New size: " + desired.replicas() + "; reason: " + desired.reason());
          } else if (rescale) {
            status.condition("AbleToScale", false, "FailedUpdateScale",
                "the HPA controller was unable to update the target scale");
            events.record(self, "Warning", "FailedRescale", "New size: " + desired.replicas() + "; reason: "
                + desired.reason() + "; error: the target's scale could not be written");
          }
          status.replicas(current, desired.replicas());
          return writes.updateStatus(KIND, object, status.toJson());
        });
      });
    });
  }

  /** The replicas an evaluation decides, and why it would rescale (null: it would not). */
  private record Desired(int replicas, String reason, Duration keepEvents) {}

  private CompletionStage<Desired> decide(String key, HorizontalPodAutoscaler hpa, HpaStatus status, int current,
      String selector, String namespace, Instant now) {
    HorizontalPodAutoscaler.Spec spec = hpa.spec();
    int min = spec.minReplicas() == null ? 1 : spec.minReplicas();
    int max = spec.maxReplicas();
    if (current == 0 && min != 0) {
      status.condition("ScalingActive", false, "ScalingDisabled", "scaling is disabled since the replica count of the target is zero");
      return CompletableFuture.completedFuture(new Desired(0, null, Duration.ZERO));
    }
    if (current > max) return CompletableFuture.completedFuture(new Desired(max, "Current number of replicas above Spec.MaxReplicas", Duration.ZERO));
    if (current < min) return CompletableFuture.completedFuture(new Desired(min, "Current number of replicas below Spec.MinReplicas", Duration.ZERO));
    if (selector == null) {
      status.condition("ScalingActive", false, "InvalidSelector", "the HPA target's scale is missing a selector");
      events.record(status.reference(), "Warning", "SelectorRequired", "selector is required");
      return CompletableFuture.completedFuture(new Desired(current, null, Duration.ZERO));
    }
    return registry.list("Pod", namespace, ObjectFilter.of(registry.strategy("Pod"), selector, null), 0, null)
        .thenCombine(ResourceUsage.collect(system, ASK), (pods, usage) -> {
          MetricsEvaluation evaluation = MetricsEvaluation.of(spec.metrics(), current, pods.items(), usage,
              settings.calculation(), now);
          status.metrics(evaluation.statuses());
          if (evaluation.replicas() < 0) {
            status.condition("ScalingActive", false, evaluation.failureReason(), evaluation.failure());
            events.record(status.reference(), "Warning", evaluation.failureReason(), evaluation.failure());
            return new Desired(current, null, Duration.ZERO);
          }
          status.condition("ScalingActive", true, "ValidMetricFound",
              "the HPA was able to successfully calculate a replica count from " + evaluation.metricName());
          int proposed = evaluation.replicas();
          String reason = proposed > current ? evaluation.metricName() + " above target"
              : proposed < current ? "All metrics below target" : null;
          ScaleRules.History history = histories.getOrDefault(key, ScaleRules.History.EMPTY);
          ScaleRules.Outcome outcome;
          Duration keep = Duration.ZERO;
          if (spec.behavior() == null) {
            outcome = ScaleRules.withoutBehavior(history, current, proposed, min, max, settings.downscaleStabilization(), now);
          } else {
            var up = ScaleRules.scaleUpDefaults(spec.behavior().scaleUp());
            var down = ScaleRules.scaleDownDefaults(spec.behavior().scaleDown(), settings.downscaleStabilization());
            outcome = ScaleRules.withBehavior(history, current, proposed, min, max, up, down, now);
            keep = ScaleRules.longestPeriod(up, down);
          }
          histories.put(key, outcome.history());
          status.condition("AbleToScale", true, outcome.stabilization().reason(), outcome.stabilization().message());
          status.condition("ScalingLimited", outcome.limited(), outcome.limit().reason(), outcome.limit().message());
          if (outcome.replicas() != current && reason == null) {
            reason = outcome.replicas() > current ? "Current number of replicas below Spec.MinReplicas"
                : "Current number of replicas above Spec.MaxReplicas";
          }
          return new Desired(outcome.replicas(), outcome.replicas() == current ? null : reason, keep);
        });
  }

  private CompletionStage<Void> failedScale(ObjectNode object, HpaStatus status, String message) {
    status.condition("AbleToScale", false, "FailedGetScale", message);
    events.record(Meta.reference(object), "Warning", "FailedGetScale", message);
    return writes.updateStatus(KIND, object, status.toJson());
  }

  /** The target's selector in its string form, as its Scale shows it; null when it has none. */
  static String selector(ObjectNode target, ScaleSubresource scale) {
    if (scale.labelSelectorPath() != null) {
      JsonNode s = JsonPaths.at(target, scale.labelSelectorPath());
      return s.isTextual() && !s.asText().isEmpty() ? s.asText() : null;
    }
    JsonNode s = target.path("spec").path("selector");
    if (!s.isObject()) return null;
    String text = Codec.json().convertValue(s, LabelSelector.class).toString();
    return text.isEmpty() ? null : text;
  }

  private static String group(String apiVersion) {
    return apiVersion == null || !apiVersion.contains("/") ? "" : apiVersion.substring(0, apiVersion.indexOf('/'));
  }
}
