package dev.tugboat.controller.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.ControllerLoop;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.Writes;
import dev.tugboat.registry.EventRecorder;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The volume side of Kubernetes' persistentvolume controller: each volume's phase (Available,
 * Bound, Released) and the reclaim of a released one ({@link VolumePlan}). The claim a volume names
 * is read from its entity, not the index: a volume is never released for a claim the index has not
 * caught up with.
 */
public final class VolumeReclaimer implements ControllerLoop.Reconciler {
  private final Registry registry;
  private final Writes writes;
  private final EventRecorder events;

  public VolumeReclaimer(Registry registry, String host) {
    this.registry = registry;
    this.writes = new Writes(registry);
    this.events = new EventRecorder(registry, "persistentvolume-controller", host);
  }

  @Override
  public String primaryKind() {
    return "PersistentVolume";
  }

  @Override
  public List<String> watchedKinds() {
    return List.of("PersistentVolume", "PersistentVolumeClaim");
  }

  @Override
  public List<String> keysFor(Informer.ObjectEvent change) {
    if (change.kind().equals("PersistentVolume")) return List.of(ControllerLoop.key(change.object()));
    String volume = change.object().path("spec").path("volumeName").asText("");
    return volume.isEmpty() ? List.of() : List.of(volume);
  }

  @Override
  public CompletionStage<Duration> reconcile(String key) {
    return registry.get("PersistentVolume", null, key).thenCompose(result -> {
      if (!(result instanceof Result.Ok ok)) return CompletableFuture.completedFuture(null);
      ObjectNode pv = ok.object();
      JsonNode ref = pv.path("spec").path("claimRef");
      CompletionStage<ObjectNode> claim = !ref.isObject() ? CompletableFuture.completedFuture(null)
          : registry.get("PersistentVolumeClaim", ref.path("namespace").asText(), ref.path("name").asText())
              .thenApply(r -> {
                if (r instanceof Result.Ok c) return c.object();
                if (((Result.Failed) r).status().code() == 404) return null;
                throw new IllegalStateException("cannot read claim: " + ((Result.Failed) r).status().message());
              });
      return claim.thenCompose(c -> act(pv, VolumePlan.of(pv, c)));
    });
  }

  private CompletionStage<Duration> act(ObjectNode pv, VolumePlan.Step step) {
    if (step instanceof VolumePlan.Phase p) {
      ObjectNode status = JsonNodeFactory.instance.objectNode().put("phase", p.phase())
          .put("lastPhaseTransitionTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
      if (p.message() != null) status.put("message", p.message());
      if (p.phase().equals("Failed")) events.record(Meta.reference(pv), "Warning", "VolumeFailedRecycle", p.message());
      return writes.updateStatus("PersistentVolume", pv, status).thenApply(v -> null);
    }
    if (step instanceof VolumePlan.Delete) {
      return writes.delete("PersistentVolume", null, Meta.name(pv), Meta.uid(pv)).thenApply(r -> null);
    }
    return CompletableFuture.completedFuture(null);
  }
}
