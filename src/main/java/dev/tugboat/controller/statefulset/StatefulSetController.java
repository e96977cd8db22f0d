package dev.tugboat.controller.statefulset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.ControllerLoop;
import dev.tugboat.controller.ControllerRevisions;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.Selectors;
import dev.tugboat.controller.Writes;
import dev.tugboat.controller.deployment.Rollout;
import dev.tugboat.controller.replicaset.ReplicaSetPlan;
import dev.tugboat.kinds.statefulset.StatefulSet;
import dev.tugboat.model.ObjectReference;
import dev.tugboat.registry.EventRecorder;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The StatefulSet controller: pods with stable names and claims of their own, created, updated and
 * removed in ordinal order ({@link StatefulSetPlan}); templates kept as ControllerRevisions, which
 * {@code kubectl rollout history} lists and {@code rollout undo} applies. Each pod gets
 * {@code hostname} = its name and {@code subdomain} = the set's serviceName, so a headless Service
 * names it; each claim template gives it a claim {@code <template>-<pod>} that outlives it (unless
 * {@code persistentVolumeClaimRetentionPolicy} says Delete).
 */
public final class StatefulSetController implements ControllerLoop.Reconciler {
  private final Registry registry;
  private final Writes writes;
  private final EventRecorder events;
  private final ControllerRevisions revisions;
  private final Selectors selectors = new Selectors("StatefulSet");

  public StatefulSetController(Registry registry, String host) {
    this.registry = registry;
    this.writes = new Writes(registry);
    this.events = new EventRecorder(registry, "statefulset-controller", host);
    this.revisions = new ControllerRevisions(writes);
  }

  @Override
  public String primaryKind() {
    return "StatefulSet";
  }

  @Override
  public List<String> watchedKinds() {
    return List.of("StatefulSet", "Pod");
  }

  @Override
  public List<String> keysFor(Informer.ObjectEvent change) {
    return selectors.keysFor(change);
  }

  @Override
  public CompletionStage<Duration> reconcile(String key) {
    String namespace = key.substring(0, key.indexOf('/'));
    String name = key.substring(key.indexOf('/') + 1);
    return registry.get("StatefulSet", namespace, name).thenCompose(result -> {
      if (!(result instanceof Result.Ok ok) || ok.object().path("metadata").has("deletionTimestamp")) {
        return CompletableFuture.completedFuture(null);
      }
      ObjectNode sts = ok.object();
      return writes.listOwnedOrOrphaned("Pod", namespace, Meta.uid(sts)).thenCompose(pods ->
          revisions.of(sts).thenCompose(history -> sync(sts, pods, history)));
    });
  }

  private CompletionStage<Duration> sync(ObjectNode sts, List<ObjectNode> pods, List<ObjectNode> history) {
    String namespace = Meta.namespace(sts);
    String hash = Rollout.templateHash(sts.path("spec").path("template"), sts.path("status").path("collisionCount").asInt(0));
    String updateRevision = Meta.name(sts) + "-" + hash;
    String currentRevision = sts.path("status").path("currentRevision").asText(updateRevision);
    return revisions.current(sts, hash, history).thenCompose(revision -> {
      Map<String, ObjectNode> templates = new HashMap<>();
      for (ObjectNode r : history) templates.put(Meta.name(r), ControllerRevisions.template(r));
      templates.put(updateRevision, (ObjectNode) sts.path("spec").path("template"));
      // A current revision whose history is gone (pruned, or never kept): the set's template stands in.
      String current = templates.containsKey(currentRevision) ? currentRevision : updateRevision;
      StatefulSetPlan plan = StatefulSetPlan.of(sts, pods, current, updateRevision, Instant.now());
      ObjectReference self = Meta.reference(sts);
      List<CompletableFuture<?>> work = new ArrayList<>();
      for (ObjectNode pod : plan.adopt()) work.add(writes.adopt("Pod", pod, sts));
      for (StatefulSetPlan.Create c : plan.create()) {
        ObjectNode pod = newPod(sts, c.ordinal(), c.revision(), templates.get(c.revision()));
        work.add(claims(sts, c.ordinal()).thenCompose(v -> writes.create("Pod", namespace, Meta.name(pod), pod)).thenApply(r -> {
          if (r instanceof Result.Ok) {
            events.record(self, "Normal", "SuccessfulCreate", "create Pod " + Meta.name(pod) + " in StatefulSet "
                + Meta.name(sts) + " successful");
          } else if (r instanceof Result.Failed f && f.status().code() != 409) {
            events.record(self, "Warning", "FailedCreate", "create Pod " + Meta.name(pod) + " in StatefulSet "
                + Meta.name(sts) + " failed error: " + f.status().message());
          }
          return r;
        }));
      }
      int replicas = sts.path("spec").path("replicas").asInt(1);
      int start = sts.path("spec").path("ordinals").path("start").asInt(0);
      for (ObjectNode pod : plan.delete()) {
        Integer ordinal = StatefulSetPlan.ordinal(Meta.name(sts), Meta.name(pod));
        boolean scaledAway = ordinal != null && (ordinal < start || ordinal >= start + replicas);
        CompletableFuture<?> before = scaledAway && "Delete".equals(retention(sts, "whenScaled"))
            ? releaseClaimsTo(sts, pod, ordinal) : CompletableFuture.completedFuture(null);
        work.add(before.thenCompose(v -> writes.delete("Pod", namespace, Meta.name(pod), Meta.uid(pod))).thenApply(r -> {
          if (r instanceof Result.Ok) {
            events.record(self, "Normal", "SuccessfulDelete", "delete Pod " + Meta.name(pod) + " in StatefulSet "
                + Meta.name(sts) + " successful");
          }
          return r;
        }));
      }
      Set<String> used = new HashSet<>();
      used.add(hash);
      used.add(current.substring(Meta.name(sts).length() + 1));
      pods.forEach(p -> {
        String podRevision = ControllerRevisions.hash(p);
        if (podRevision.startsWith(Meta.name(sts) + "-")) used.add(podRevision.substring(Meta.name(sts).length() + 1));
      });
      work.addAll(revisions.prune(sts, history, used));
      return Writes.allTaken(work)
          .thenCompose(v -> writes.updateStatus("StatefulSet", sts, plan.status()))
          .thenApply(v -> {
            int minReadySeconds = sts.path("spec").path("minReadySeconds").asInt(0);
            int ready = plan.status().path("readyReplicas").asInt();
            int available = plan.status().path("availableReplicas").asInt();
            return minReadySeconds > 0 && ready > available ? Duration.ofSeconds(minReadySeconds) : null;
          });
    });
  }

  private static String retention(ObjectNode sts, String when) {
    return sts.path("spec").path("persistentVolumeClaimRetentionPolicy").path(when).asText("Retain");
  }

  /**
   * The pod's claims, created when missing (an existing one is the pod's data from before, and is
   * kept). With {@code whenDeleted: Delete} the set owns them, so they go with it.
   */
  private CompletableFuture<Void> claims(ObjectNode sts, int ordinal) {
    List<CompletableFuture<?>> creates = new ArrayList<>();
    for (JsonNode template : sts.path("spec").path("volumeClaimTemplates")) {
      ObjectNode claim = claim(sts, template, ordinal);
      creates.add(writes.create("PersistentVolumeClaim", Meta.namespace(sts), Meta.name(claim), claim));
    }
    return Writes.allTaken(creates);
  }

  static ObjectNode claim(ObjectNode sts, JsonNode template, int ordinal) {
    ObjectNode claim = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "PersistentVolumeClaim");
    ObjectNode meta = claim.putObject("metadata");
    meta.put("name", claimName(template, sts, ordinal));
    meta.put("namespace", Meta.namespace(sts));
    ObjectNode labels = meta.putObject("labels");
    template.path("metadata").path("labels").fields().forEachRemaining(e -> labels.set(e.getKey(), e.getValue()));
    sts.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(e -> labels.set(e.getKey(), e.getValue()));
    if (template.path("metadata").has("annotations")) meta.set("annotations", template.path("metadata").path("annotations").deepCopy());
    if ("Delete".equals(retention(sts, "whenDeleted"))) {
      meta.putArray("ownerReferences").add(ReplicaSetPlan.ownerReference(sts).put("controller", false));
    }
    claim.set("spec", template.path("spec").deepCopy());
    return claim;
  }

  private static String claimName(JsonNode template, ObjectNode sts, int ordinal) {
    return template.path("metadata").path("name").asText() + "-" + Meta.name(sts) + "-" + ordinal;
  }

  /** With {@code whenScaled: Delete}, the claims of a pod scaled away become the pod's, and go with it. */
  private CompletableFuture<Void> releaseClaimsTo(ObjectNode sts, ObjectNode pod, int ordinal) {
    List<CompletableFuture<?>> patches = new ArrayList<>();
    for (JsonNode template : sts.path("spec").path("volumeClaimTemplates")) {
      ObjectNode patch = JsonNodeFactory.instance.objectNode();
      ObjectNode owner = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "Pod")
          .put("name", Meta.name(pod)).put("uid", Meta.uid(pod)).put("controller", false).put("blockOwnerDeletion", true);
      patch.putObject("metadata").putArray("ownerReferences").add(owner);
      patches.add(writes.patch("PersistentVolumeClaim", Meta.namespace(sts), claimName(template, sts, ordinal), patch));
    }
    return Writes.allTaken(patches);
  }

  /**
   * Pod {@code ordinal} of the set at {@code revision}: its template, its identity (name, hostname,
   * subdomain, the pod-name and pod-index labels) and its claims as volumes.
   */
  static ObjectNode newPod(ObjectNode sts, int ordinal, String revision, ObjectNode template) {
    ObjectNode pod = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "Pod");
    String name = Meta.name(sts) + "-" + ordinal;
    ObjectNode meta = pod.putObject("metadata");
    meta.put("name", name);
    meta.put("namespace", Meta.namespace(sts));
    ObjectNode labels = meta.putObject("labels");
    template.path("metadata").path("labels").fields().forEachRemaining(e -> labels.set(e.getKey(), e.getValue()));
    labels.put(ControllerRevisions.HASH_LABEL, revision);
    labels.put(StatefulSet.POD_NAME, name);
    labels.put(StatefulSet.POD_INDEX, Integer.toString(ordinal));
    if (template.path("metadata").has("annotations")) meta.set("annotations", template.path("metadata").path("annotations").deepCopy());
    meta.putArray("ownerReferences").add(ReplicaSetPlan.ownerReference(sts));
    ObjectNode spec = template.path("spec").deepCopy();
    spec.put("hostname", name);
    String service = sts.path("spec").path("serviceName").asText("");
    if (!service.isEmpty()) spec.put("subdomain", service);
    ArrayNode volumes = JsonNodeFactory.instance.arrayNode();
    Set<String> claimed = new HashSet<>();
    for (JsonNode t : sts.path("spec").path("volumeClaimTemplates")) {
      String volume = t.path("metadata").path("name").asText();
      claimed.add(volume);
      ObjectNode v = volumes.addObject().put("name", volume);
      v.putObject("persistentVolumeClaim").put("claimName", claimName(t, sts, ordinal));
    }
    for (JsonNode v : spec.path("volumes")) {
      if (!claimed.contains(v.path("name").asText())) volumes.add(v);
    }
    if (!volumes.isEmpty()) spec.set("volumes", volumes);
    pod.set("spec", spec);
    return pod;
  }
}
