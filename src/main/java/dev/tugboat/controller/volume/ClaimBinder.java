package dev.tugboat.controller.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.ControllerLoop;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.Writes;
import dev.tugboat.kinds.persistentvolume.PersistentVolume;
import dev.tugboat.kinds.persistentvolume.Volumes;
import dev.tugboat.kinds.persistentvolumeclaim.PersistentVolumeClaim;
import dev.tugboat.kinds.storageclass.StorageClass;
import dev.tugboat.registry.EventRecorder;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The claim side of Kubernetes' persistentvolume controller, with its pvc-protection controller
 * and the {@code tugboat.dev/local} provisioner: each pass takes one {@link ClaimPlan} step and
 * writes it; the writes wake the next pass. A claim that waits says why in an Event, once per reason.
 */
public final class ClaimBinder implements ControllerLoop.Reconciler {
  /** A lost race for a volume (another claim took it first) is looked at again this soon. */
  private static final Duration CONFLICT_RETRY = Duration.ofSeconds(1);
  private final Registry registry;
  private final Writes writes;
  private final EventRecorder events;
  /** Claims not bound yet: a volume or class that changes may be theirs. */
  private final Set<String> unbound = ConcurrentHashMap.newKeySet();
  /** The last Event said about each claim (by uid): the same reason is said once, not every pass. */
  private final Map<String, String> said = new ConcurrentHashMap<>();

  public ClaimBinder(Registry registry, String host) {
    this.registry = registry;
    this.writes = new Writes(registry);
    this.events = new EventRecorder(registry, "persistentvolume-controller", host);
  }

  @Override
  public String primaryKind() {
    return "PersistentVolumeClaim";
  }

  @Override
  public List<String> watchedKinds() {
    return List.of("PersistentVolumeClaim", "PersistentVolume", "StorageClass", "Pod");
  }

  @Override
  public List<String> keysFor(Informer.ObjectEvent change) {
    ObjectNode o = change.object();
    switch (change.kind()) {
      case "PersistentVolumeClaim" -> {
        String key = ControllerLoop.key(o);
        if (change instanceof Informer.Deleted) {
          unbound.remove(key);
          said.remove(Meta.uid(o));
        } else if (o.path("spec").path("volumeName").asText("").isEmpty()) {
          unbound.add(key);
        } else {
          unbound.remove(key);
        }
        return List.of(key);
      }
      case "Pod" -> {
        List<String> keys = new ArrayList<>();
        for (String claim : Volumes.claimNames(o)) keys.add(Meta.namespace(o) + "/" + claim);
        return keys;
      }
      case "PersistentVolume" -> {
        List<String> keys = new ArrayList<>(unbound);
        JsonNode ref = o.path("spec").path("claimRef");
        if (ref.isObject()) keys.add(ref.path("namespace").asText() + "/" + ref.path("name").asText());
        return keys;
      }
      default -> {
        return new ArrayList<>(unbound);
      }
    }
  }

  @Override
  public CompletionStage<Duration> reconcile(String key) {
    String namespace = key.substring(0, key.indexOf('/'));
    String name = key.substring(key.indexOf('/') + 1);
    return registry.get("PersistentVolumeClaim", namespace, name).thenCompose(result -> {
      if (!(result instanceof Result.Ok ok)) return CompletableFuture.completedFuture(null);
      ObjectNode claim = ok.object();
      return writes.list("PersistentVolume", null).thenCompose(volumes ->
          writes.list("StorageClass", null).thenCompose(classes ->
              writes.list("Node", null).thenCompose(nodes ->
                  writes.list("Pod", namespace).thenCompose(pods ->
                      act(claim, ClaimPlan.of(claim, volumes, classes, nodes, pods))))));
    });
  }

  private CompletionStage<Duration> act(ObjectNode claim, ClaimPlan.Step step) {
    String namespace = Meta.namespace(claim);
    String name = Meta.name(claim);
    if (step instanceof ClaimPlan.RemoveFinalizer) {
      ObjectNode patch = JsonNodeFactory.instance.objectNode();
      ObjectNode meta = patch.putObject("metadata");
      meta.put("resourceVersion", claim.path("metadata").path("resourceVersion").asText());
      ArrayNode rest = meta.putArray("finalizers");
      for (JsonNode f : claim.path("metadata").path("finalizers")) {
        if (!PersistentVolumeClaim.PROTECTION_FINALIZER.equals(f.asText())) rest.add(f);
      }
      return writes.patch("PersistentVolumeClaim", namespace, name, patch).thenApply(ClaimBinder::retryOnConflict);
    }
    if (step instanceof ClaimPlan.SetDefaultClass d) {
      ObjectNode patch = JsonNodeFactory.instance.objectNode();
      patch.putObject("spec").put("storageClassName", d.className());
      return writes.patch("PersistentVolumeClaim", namespace, name, patch).thenApply(ClaimBinder::retryOnConflict);
    }
    if (step instanceof ClaimPlan.SelectNode s) return selectNode(writes, namespace, name, s.node()).thenApply(r -> null);
    if (step instanceof ClaimPlan.Bind b) return bind(claim, b.volume());
    if (step instanceof ClaimPlan.Provision p) {
      return writes.create("PersistentVolume", null, Meta.name(p.volume()), p.volume()).thenApply(r -> {
        if (r instanceof Result.Ok) {
          say(claim, "Normal", "ProvisioningSucceeded", "Successfully provisioned volume " + Meta.name(p.volume())
              + " using " + StorageClass.LOCAL_PROVISIONER);
        } else if (r instanceof Result.Failed f && f.status().code() != 409) {
          say(claim, "Warning", "ProvisioningFailed", f.status().message());
        }
        return (Duration) null;
      });
    }
    if (step instanceof ClaimPlan.Wait w) {
      say(claim, w.type(), w.reason(), w.message());
      ObjectNode status = claim.path("status").isObject() ? ((ObjectNode) claim.get("status")).deepCopy()
          : JsonNodeFactory.instance.objectNode();
      status.put("phase", "Pending");
      return writes.updateStatus("PersistentVolumeClaim", claim, status).thenApply(v -> null);
    }
    if (step instanceof ClaimPlan.Lost l) {
      say(claim, "Warning", "ClaimLost", l.message());
      ObjectNode status = JsonNodeFactory.instance.objectNode().put("phase", "Lost");
      return writes.updateStatus("PersistentVolumeClaim", claim, status).thenApply(v -> null);
    }
    return CompletableFuture.completedFuture(null);
  }

  /** Records the claim's selected node (what the scheduler does when it binds the claim's first pod). */
  public static CompletableFuture<Result> selectNode(Writes writes, String namespace, String claim, String node) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch.putObject("metadata").putObject("annotations").put(PersistentVolumeClaim.SELECTED_NODE, node);
    return writes.patch("PersistentVolumeClaim", namespace, claim, patch);
  }

  /**
   * Both sides of a binding, in Kubernetes' order: the volume's claimRef (only if the volume is still
   * as read: two claims never take one volume), its status Bound, the claim's volumeName, its status
   * Bound with the volume's capacity and access modes. A pass that stops half way is finished by the
   * next, which finds the volume pre-bound.
   */
  private CompletionStage<Duration> bind(ObjectNode claim, ObjectNode pv) {
    String pvName = Meta.name(pv);
    CompletableFuture<Result> claimed;
    if (Meta.uid(claim).equals(pv.path("spec").path("claimRef").path("uid").asText())) {
      claimed = CompletableFuture.completedFuture(new Result.Ok(pv));
    } else {
      ObjectNode patch = JsonNodeFactory.instance.objectNode();
      ObjectNode meta = patch.putObject("metadata");
      meta.put("resourceVersion", pv.path("metadata").path("resourceVersion").asText());
      meta.putObject("annotations").put(PersistentVolume.BOUND_BY_CONTROLLER, "yes");
      patch.putObject("spec").set("claimRef", ClaimPlan.claimRef(claim));
      claimed = writes.patch("PersistentVolume", null, pvName, patch);
    }
    return claimed.thenCompose(r -> {
      if (!(r instanceof Result.Ok ok)) return CompletableFuture.completedFuture(CONFLICT_RETRY);
      ObjectNode volume = ok.object();
      ObjectNode pvStatus = JsonNodeFactory.instance.objectNode().put("phase", "Bound")
          .put("lastPhaseTransitionTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
      CompletableFuture<Void> pvBound = "Bound".equals(volume.path("status").path("phase").asText())
          ? CompletableFuture.completedFuture(null) : writes.updateStatus("PersistentVolume", volume, pvStatus);
      return pvBound.thenCompose(v -> {
        if (pvName.equals(claim.path("spec").path("volumeName").asText())) return CompletableFuture.completedFuture(new Result.Ok(claim));
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        patch.putObject("metadata").putObject("annotations").put(PersistentVolumeClaim.BIND_COMPLETED, "yes")
            .put(PersistentVolumeClaim.BOUND_BY_CONTROLLER, "yes");
        patch.putObject("spec").put("volumeName", pvName);
        return writes.patch("PersistentVolumeClaim", Meta.namespace(claim), Meta.name(claim), patch);
      }).thenCompose(c -> {
        if (!(c instanceof Result.Ok bound)) return CompletableFuture.completedFuture(CONFLICT_RETRY);
        ObjectNode status = JsonNodeFactory.instance.objectNode().put("phase", "Bound");
        status.set("accessModes", volume.path("spec").path("accessModes").deepCopy());
        status.set("capacity", volume.path("spec").path("capacity").deepCopy());
        said.remove(Meta.uid(claim));
        return writes.updateStatus("PersistentVolumeClaim", bound.object(), status).thenApply(x -> (Duration) null);
      });
    });
  }

  private static Duration retryOnConflict(Result r) {
    return r instanceof Result.Failed f && f.status().code() == 409 ? CONFLICT_RETRY : null;
  }

  /** An Event about the claim, unless the last one said the same. */
  private void say(ObjectNode claim, String type, String reason, String message) {
    String what = reason + ": " + message;
    if (what.equals(said.put(Meta.uid(claim), what))) return;
    events.record(Meta.reference(claim), type, reason, message);
  }
}
