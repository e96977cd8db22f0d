package dev.tugboat.controller.resourcequota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.ControllerLoop;
import dev.tugboat.controller.Meta;
import dev.tugboat.kinds.resourcequota.QuotaStatus;
import dev.tugboat.kinds.resourcequota.ResourceList;
import dev.tugboat.model.ResourceType;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The quota controller: keeps each ResourceQuota's {@code status.hard} (its spec's) and
 * {@code status.used} (counted from this member's index, {@link QuotaStatus}) current, as
 * kube-controller-manager's resourcequota controller. Level-triggered: a quota is recounted when its
 * spec changes, when an object of a kind it most often counts is deleted in its namespace (pods,
 * Services, ConfigMaps, Secrets, claims) or a pod there ends, when a deleted pod's grace period
 * ends, and at every resync (other {@code count/<resource>} kinds: within the resync period; see
 * {@link #keysFor} for why creates do not wake it). Admission charges {@code status.used}
 * between passes; the status is written with the quota's resourceVersion as a precondition, so a
 * charge made meanwhile is never overwritten by an older count: the write conflicts and the pass
 * runs again (after the loop's backoff).
 */
public final class ResourceQuotaController implements ControllerLoop.Reconciler {
  private static final List<String> COUNTED = List.of("Pod", "Service", "ConfigMap", "Secret", "PersistentVolumeClaim");
  private final Registry registry;
  /** The quotas seen, by namespace: a change of an object wakes the quotas of its namespace. */
  private final Map<String, Set<String>> quotas = new ConcurrentHashMap<>();

  public ResourceQuotaController(Registry registry) {
    this.registry = registry;
  }

  @Override
  public String primaryKind() {
    return "ResourceQuota";
  }

  @Override
  public List<String> watchedKinds() {
    List<String> kinds = new ArrayList<>(List.of("ResourceQuota"));
    kinds.addAll(COUNTED);
    return kinds;
  }

  /**
   * As Kubernetes' quota controller, a quota is recounted when it is new or its {@code spec.hard}
   * is not yet its {@code status.hard}, and when usage falls (an object deleted, a pod ended or being
   * deleted); not when objects are created, nor when admission charges {@code status.used}. A
   * recount from the index then could miss an object admitted and charged a moment ago but not yet
   * in this member's index, and write the charge away: a create racing for the last room would then
   * pass too. Such a window remains at the resync's full recount (milliseconds, as in Kubernetes).
   */
  @Override
  public List<String> keysFor(Informer.ObjectEvent change) {
    String namespace = Meta.namespace(change.object());
    if (change.kind().equals("ResourceQuota")) {
      String key = ControllerLoop.key(change.object());
      Set<String> names = quotas.computeIfAbsent(namespace, n -> ConcurrentHashMap.newKeySet());
      if (change instanceof Informer.Deleted) {
        names.remove(key);
        return List.of();
      }
      names.add(key);
      JsonNode q = change.object();
      boolean hardChanged = !ResourceList.of(q.path("spec").path("hard"))
          .equals(ResourceList.of(q.path("status").path("hard"))) || !q.path("status").has("used");
      return change instanceof Informer.Added || hardChanged ? List.of(key) : List.of();
    }
    boolean released = change instanceof Informer.Deleted
        || (change.kind().equals("Pod") && change instanceof Informer.Modified m && releases(m.previous(), m.object()));
    Set<String> names = quotas.get(namespace);
    return !released || names == null ? List.of() : List.copyOf(names);
  }

  /** A pod that ended or is being deleted may count no more (at once, or after its grace period). */
  private static boolean releases(JsonNode before, JsonNode after) {
    String phase = after.path("status").path("phase").asText("");
    boolean ended = (phase.equals("Succeeded") || phase.equals("Failed"))
        && !phase.equals(before.path("status").path("phase").asText(""));
    return ended || after.path("metadata").has("deletionTimestamp");
  }

  @Override
  public CompletionStage<Duration> reconcile(String key) {
    String namespace = key.substring(0, key.indexOf('/'));
    String name = key.substring(key.indexOf('/') + 1);
    return registry.get("ResourceQuota", namespace, name).thenCompose(result -> {
      if (!(result instanceof Result.Ok ok) || ok.object().path("metadata").has("deletionTimestamp")) {
        return CompletableFuture.completedFuture(null);
      }
      ObjectNode quota = ok.object();
      Set<String> limited = new java.util.TreeSet<>(ResourceList.of(quota.path("spec").path("hard")).keySet());
      Map<QuotaStatus.Resource, List<JsonNode>> objects = new LinkedHashMap<>();
      List<CompletableFuture<?>> lists = new ArrayList<>();
      for (QuotaStatus.Resource r : QuotaStatus.kindsFor(limited)) {
        Optional<ResourceType> type = ResourceType.byPlural(r.group(), r.plural());
        if (type.isEmpty() || !registry.serves(type.get().kind())) continue; // nothing of it exists: 0
        lists.add(registry.list(type.get().kind(), namespace, o -> true, 0, null).thenAccept(l -> {
          if (l.failure() != null) throw new CompletionException(new IllegalStateException(l.failure().message()));
          synchronized (objects) {
            objects.put(r, new ArrayList<>(l.items()));
          }
        }).toCompletableFuture());
      }
      return CompletableFuture.allOf(lists.toArray(CompletableFuture[]::new)).thenCompose(v -> {
        Instant now = Instant.now();
        ObjectNode status = QuotaStatus.of(quota, objects, now);
        Instant next = QuotaStatus.nextDeadline(objects.getOrDefault(new QuotaStatus.Resource("", "pods"), List.of()), now);
        Duration recheck = next == null ? null : Duration.between(now, next).plusSeconds(1);
        if (QuotaStatus.same(status, quota.path("status"))) return CompletableFuture.completedFuture(recheck);
        ObjectNode updated = quota.deepCopy();
        updated.set("status", status); // with the version read: a charge since then makes this a Conflict
        return registry.update("ResourceQuota", namespace, name, updated, true).thenApply(written -> {
          if (written instanceof Result.Failed f && f.status().code() != 404) {
            throw new CompletionException(new IllegalStateException(
                "status of quota " + key + " not written: " + f.status().message()));
          }
          return recheck;
        });
      });
    });
  }
}
