package dev.tugboat.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy;
import dev.tugboat.kinds.limitrange.LimitRanger;
import dev.tugboat.kinds.resourcequota.QuotaCharge;
import dev.tugboat.kinds.resourcequota.ResourceList;
import dev.tugboat.model.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The admission plugins that read a namespace's other objects, in Kubernetes' order: LimitRanger
 * (mutating: a new pod's default requests and limits; then its min, max and ratios, and a claim's),
 * then ResourceQuota (validating, last: the object as it will be stored is charged to each quota of
 * its namespace that concerns it). Run by {@link Registry#create} for every namespaced kind, so the
 * HTTP API, the controllers and the Java client share it. Only creates are charged: updates that
 * would change an object's usage (a Service turned NodePort) are not, and the quota controller
 * counts them at its next pass.
 *
 * <p><b>Charging a quota.</b> As kube-apiserver does, admission writes the quota's
 * {@code status.used} (plus this object) before the object is created, with the quota's
 * resourceVersion as a precondition. The quota's entity is the one writer of the quota, so of two
 * creates that read the same version only one write succeeds; the other gets a Conflict, reads the
 * quota again (now charged with the first object) and is decided anew: two creates racing for room
 * for one never both pass. The quota is read from its entity, not this member's index, which may lag
 * a charge. An object refused or failed after it was charged (a name already taken, a lost
 * member) leaves the quota charged for it until the quota controller recounts from the index: too
 * high for a moment, never too low, as in Kubernetes.
 */
final class NamespaceAdmission {
  /** Conflicts tolerated per quota before the create is answered 409: each one means another create was charged. */
  private static final int CHARGE_ATTEMPTS = 20;

  private final Registry registry;

  NamespaceAdmission(Registry registry) {
    this.registry = registry;
  }

  /** The object to create, or why not (exactly one is non-null). */
  record Admitted(ObjectNode object, Status refusal) {
    static CompletionStage<Admitted> refused(Status refusal) {
      return CompletableFuture.completedFuture(new Admitted(null, refusal));
    }
  }

  /**
   * Runs the namespace's admission plugins on a new object of {@code strategy}'s kind;
   * {@code reads} are the kind's own admission reads (for the pre-check of validity). A dry run is
   * decided as the write would be, and charges nothing.
   */
  CompletionStage<Admitted> admit(KindStrategy strategy, String namespace, String name, ObjectNode object,
      ObjectNode reads, boolean dryRun) {
    boolean pod = isCore(strategy, "pods");
    boolean claim = isCore(strategy, "persistentvolumeclaims");
    CompletionStage<Admitted> limited = pod || claim
        ? objects("LimitRange", namespace).thenApply(ranges -> limitRanger(strategy, name, object, ranges, pod))
        : CompletableFuture.completedFuture(new Admitted(object, null));
    return limited.thenCompose(a -> a.refusal() != null ? CompletableFuture.completedFuture(a)
        : objects("ResourceQuota", namespace).thenCompose(quotas -> quotas.isEmpty()
            ? CompletableFuture.completedFuture(a)
            : chargeAll(strategy, namespace, name, a.object(), reads, quotas, dryRun)))
        // the index or an entity did not answer: 503 or 504, as any write that cannot reach the store
        .exceptionally(e -> new Admitted(null, Registry.failureOf(e)));
  }

  private static boolean isCore(KindStrategy strategy, String plural) {
    return strategy.group().isEmpty() && strategy.plural().equals(plural);
  }

  private static Admitted limitRanger(KindStrategy strategy, String name, ObjectNode object, List<ObjectNode> ranges,
      boolean pod) {
    if (ranges.isEmpty()) return new Admitted(object, null);
    ObjectNode defaulted = pod ? LimitRanger.defaults(object, ranges) : object;
    List<String> violations = pod ? LimitRanger.podViolations(defaulted, ranges)
        : LimitRanger.claimViolations(defaulted, ranges);
    if (!violations.isEmpty()) return new Admitted(null, forbidden(strategy, name, LimitRanger.aggregate(violations)));
    return new Admitted(defaulted, null);
  }

  /**
   * Charges every quota of the namespace that concerns the object, one after the other (sorted by
   * name). The object is first admitted as its entity will admit it (defaults, validation): an
   * invalid object is refused with its 422 and charges nothing, and what is charged is the object
   * as it will be stored.
   */
  private CompletionStage<Admitted> chargeAll(KindStrategy strategy, String namespace, String name, ObjectNode object,
      ObjectNode reads, List<ObjectNode> quotas, boolean dryRun) {
    ObjectNode probe = object.deepCopy();
    probe.with("metadata").put("uid", UUID.randomUUID().toString());
    KindStrategy.Admission admitted = strategy.admit(null, probe, reads);
    if (admitted.failure() != null) return Admitted.refused(admitted.failure());
    List<String> names = quotas.stream().map(q -> q.path("metadata").path("name").asText())
        .sorted(Comparator.naturalOrder()).toList();
    CompletionStage<Status> chain = CompletableFuture.completedFuture(null);
    for (String quota : names) {
      chain = chain.thenCompose(refusal -> refusal != null ? CompletableFuture.completedFuture(refusal)
          : charge(strategy, namespace, name, admitted.object(), quota, CHARGE_ATTEMPTS, dryRun));
    }
    return chain.thenApply(refusal -> refusal != null ? new Admitted(null, refusal) : new Admitted(object, null));
  }

  /** Charges one quota, again after each Conflict; completes with null when charged (or untouched), else the refusal. */
  private CompletionStage<Status> charge(KindStrategy strategy, String namespace, String name, ObjectNode object,
      String quotaName, int attempts, boolean dryRun) {
    return registry.get("ResourceQuota", namespace, quotaName).thenCompose(read -> {
      if (!(read instanceof Result.Ok ok)) return CompletableFuture.completedFuture((Status) null); // deleted meanwhile
      ObjectNode quota = ok.object();
      QuotaCharge decision = QuotaCharge.of(quota, strategy.group(), strategy.plural(), object, Instant.now());
      if (decision instanceof QuotaCharge.Refused r) {
        return CompletableFuture.completedFuture(forbidden(strategy, name, r.reason()));
      }
      if (!(decision instanceof QuotaCharge.Charged c) || dryRun) return CompletableFuture.completedFuture((Status) null);
      ObjectNode charged = quota.deepCopy();
      // The version read is the precondition: a charge by anyone else in between makes this a Conflict.
      charged.with("status").set("used", ResourceList.toJson(c.used()));
      return registry.update("ResourceQuota", namespace, quotaName, charged, true).thenCompose(written -> {
        if (written instanceof Result.Ok) return CompletableFuture.completedFuture((Status) null);
        Status failure = ((Result.Failed) written).status();
        if (failure.code() == 409 && attempts > 1) return charge(strategy, namespace, name, object, quotaName, attempts - 1, dryRun);
        if (failure.code() == 404) return CompletableFuture.completedFuture((Status) null);
        return CompletableFuture.completedFuture(failure);
      });
    });
  }

  private CompletionStage<List<ObjectNode>> objects(String kind, String namespace) {
    return registry.list(kind, namespace, o -> true, 0, null).thenApply(l -> {
      if (l.failure() != null) throw new IllegalStateException(l.failure().message());
      return new ArrayList<>(l.items());
    });
  }

  /** Kubernetes' admission refusal: {@code pods "web-1" is forbidden: <reason>}. */
  static Status forbidden(KindStrategy strategy, String name, String reason) {
    return Status.forbidden(strategy.plural() + " \"" + name + "\" is forbidden: " + reason);
  }
}
