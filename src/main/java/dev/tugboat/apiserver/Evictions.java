package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.poddisruptionbudget.DisruptionBudgets;
import dev.tugboat.model.Codec;
import dev.tugboat.model.Status;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.Query;

/**
 * {@code POST pods/{name}/eviction} (policy/v1 and v1beta1 Eviction, JSON or protobuf): what
 * {@code kubectl drain} sends. As kube-apiserver's eviction REST: a pod that is not running
 * (Pending, finished) or already going is deleted at once; one under a PodDisruptionBudget goes
 * only if the budget has room, which the eviction spends first by writing the budget's status
 * (one disruption fewer, the pod in {@code disruptedPods}) at the version it read, so that of two
 * evictions racing for the last disruption one gets a conflict, reads again and is refused with
 * 429. Then the pod is deleted gracefully with the Eviction's {@code deleteOptions}.
 */
final class Evictions {
  /** Conflicting writes of the budget tried again before giving up (kube-apiserver's EvictionsRetry: 5). */
  private static final int ATTEMPTS = 5;

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Evictions.class);

  private Evictions() {}

  static CompletionStage<HttpResponse> handle(ResourceHandler h, HttpRequest request, ApiPath path,
      Negotiation.Representation rep) {
    return h.bodies().readOptional(request).thenCompose(body -> {
      if (body.failure() != null) return ResourceHandler.done(body.failure(), rep);
      ObjectNode eviction = body.tree();
      if (eviction == null || !"Eviction".equals(eviction.path("kind").asText())
          || !List.of("policy/v1", "policy/v1beta1").contains(eviction.path("apiVersion").asText())) {
        return ResourceHandler.done(Status.badRequest("the body of pods/eviction must be a policy/v1 Eviction"), rep);
      }
      String named = eviction.path("metadata").path("name").asText("");
      if (!named.isEmpty() && !named.equals(path.name())) {
        return ResourceHandler.done(Status.badRequest("name in URL does not match name in Eviction object"), rep);
      }
      JsonNode options = eviction.path("deleteOptions");
      DeleteRequest delete = DeleteRequest.of(options.isObject() ? withKind(options) : null, Query.EMPTY);
      if (delete.failure() != null) return ResourceHandler.done(delete.failure(), rep);
      return evict(h.registry().as(WriteParams.requester(request)), path, delete, 1).thenApply(status -> status.code() == 201
          ? Responses.encoded(201, Codec.json().valueToTree(Map.of("kind", "Status", "apiVersion", "v1",
              "metadata", Map.of(), "status", "Success", "code", 201)), rep.format())
          : Responses.status(status, rep.format()));
    });
  }

  /** DeleteOptions inside an Eviction may leave out their kind. */
  private static JsonNode withKind(JsonNode options) {
    ObjectNode o = ((ObjectNode) options).deepCopy();
    o.put("kind", "DeleteOptions");
    return o;
  }

  /**
   * Evicts, answering a Status: 201 when the pod is on its way out. {@code registry} is the
   * handler's as the evicting user: the deletion and the budget's spending are that user's changes.
   */
  private static CompletionStage<Status> evict(Registry registry, ApiPath path, DeleteRequest delete, int attempt) {
    return registry.get("Pod", path.namespace(), path.name()).thenCompose(got -> {
      if (got instanceof Result.Failed f) return done(f.status());
      ObjectNode pod = ((Result.Ok) got).object();
      var precondition = delete.preconditionFailure(path.type(), pod);
      if (precondition.isPresent()) return done(precondition.get());
      String phase = pod.path("status").path("phase").asText("");
      if (pod.path("metadata").has("deletionTimestamp") || List.of("Pending", "Succeeded", "Failed").contains(phase)) {
        return deletePod(registry, path, delete, pod); // kube-apiserver's canIgnorePDB
      }
      return registry.list("PodDisruptionBudget", path.namespace(), o -> true, 0, null).thenCompose(list -> {
        if (list.failure() != null) return done(list.failure());
        List<JsonNode> budgets = DisruptionBudgets.selecting(list.items(), pod);
        if (budgets.isEmpty()) {
          log.info("Evicting pod {}/{}: no budget selects it (of {} in its namespace)", path.namespace(), path.name(),
              list.items().size());
          return deletePod(registry, path, delete, pod);
        }
        if (budgets.size() > 1) {
          // kube-apiserver answers 500 here; it is the user's setup that is wrong, so a 4xx says so
          return done(Status.forbidden("This pod has more than one PodDisruptionBudget, which the eviction "
              + "subresource does not support."));
        }
        String budget = budgets.get(0).path("metadata").path("name").asText();
        // the budget as its entity has it now, not as this member's index last saw it
        return registry.get("PodDisruptionBudget", path.namespace(), budget).thenCompose(b -> {
          if (b instanceof Result.Failed) return deletePod(registry, path, delete, pod); // gone meanwhile
          ObjectNode pdb = ((Result.Ok) b).object();
          DisruptionBudgets.Verdict verdict = DisruptionBudgets.evict(pdb, pod, Instant.now());
          if (verdict instanceof DisruptionBudgets.Refused refused) {
            log.info("Eviction of pod {}/{} refused by budget {}: {}", path.namespace(), path.name(), budget,
                refused.status().code());
            return done(refused.status());
          }
          ObjectNode spent = ((DisruptionBudgets.Allowed) verdict).budgetStatus();
          log.info("Evicting pod {}/{} under budget {} (ready: {}, disruptions allowed before: {}, spent: {}, attempt {})",
              path.namespace(), path.name(), budget, DisruptionBudgets.ready(pod),
              pdb.path("status").path("disruptionsAllowed").asInt(), spent != null, attempt);
          if (spent == null || delete.dryRun()) return deletePod(registry, path, delete, pod);
          ObjectNode written = pdb.deepCopy();
          written.set("status", spent);
          return registry.update("PodDisruptionBudget", path.namespace(), budget, written, true).thenCompose(w -> {
            if (w instanceof Result.Ok) return deletePod(registry, path, delete, pod);
            Status failed = ((Result.Failed) w).status();
            if (failed.code() == 409 && attempt < ATTEMPTS) return evict(registry, path, delete, attempt + 1);
            return done(failed);
          });
        });
      });
    });
  }

  private static CompletionStage<Status> deletePod(Registry registry, ApiPath path, DeleteRequest delete, ObjectNode pod) {
    if (delete.dryRun()) return done(created());
    String uid = delete.uid() != null ? delete.uid() : pod.path("metadata").path("uid").asText(null);
    return registry.delete("Pod", path.namespace(), path.name(), uid, delete.resourceVersion(),
        delete.gracePeriodSeconds(), List.of()).thenApply(r -> r instanceof Result.Failed f ? f.status() : created());
  }

  private static Status created() {
    return new Status("Status", "v1", Map.of(), "Success", null, null, null, 201);
  }

  private static CompletionStage<Status> done(Status status) {
    return CompletableFuture.completedFuture(status);
  }
}
