package dev.tugboat.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Status;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A dynamic admission step (Kubernetes' MutatingAdmissionWebhook, ValidatingAdmissionWebhook,
 * ValidatingAdmissionPolicy): configured by API objects at run time, run by the {@link Registry} on
 * the final object of a create, update, patch, apply or delete (defaulted, validated, the patch
 * applied), before it is written.
 *
 * <p>The registry first asks every step whether it {@link #concerns} the request, from what the
 * step already holds in memory (its configurations, followed through an informer): when none does,
 * the write goes straight to its entity, as fast as without dynamic admission. When one does, the
 * registry runs the write as a dry run to learn the final object, runs the {@link Phase#MUTATING}
 * steps one after the other (each sees the previous one's object), then the
 * {@link Phase#VALIDATING} steps in parallel, and writes the result guarded by the reviewed
 * object's resourceVersion ({@link DynamicAdmissions}).
 *
 * <p>Implementations: admission webhooks ({@code dev.tugboat.admission}); ValidatingAdmissionPolicy
 * plugs in as another {@link Phase#VALIDATING} step. An implementation never throws: whatever goes
 * wrong is an {@link Outcome.Refused} with a 4xx/5xx Status (or, by its failure policy, an
 * {@link Outcome.Admitted}).
 */
public interface DynamicAdmission {

  /** When a step runs: mutating steps in order first, validating steps (which may not change the object) after. */
  enum Phase { MUTATING, VALIDATING }

  /** The operation, as an AdmissionReview names it. */
  enum Operation { CREATE, UPDATE, DELETE, CONNECT }

  /**
   * What is known of a request before its object is: enough to choose the steps that concern it.
   *
   * @param type        the kind, at its stored version
   * @param subResource {@code "status"} for a status write, else null
   * @param namespace   null for a cluster-scoped kind
   * @param name        the object's name (null when a create's name is still to be generated)
   */
  record Attributes(Operation operation, ResourceType type, String subResource, String namespace, String name,
      boolean dryRun, Requester requester) {
    public Attributes withOperation(Operation operation) {
      return new Attributes(operation, type, subResource, namespace, name, dryRun, requester);
    }

    public Attributes withName(String name) {
      return new Attributes(operation, type, subResource, namespace, name, dryRun, requester);
    }
  }

  /**
   * One request to review: {@code oldObject} null on a create, {@code object} null on a delete.
   * Steps must not modify either; a mutating step answers a new object.
   */
  record Review(Attributes attributes, ObjectNode oldObject, ObjectNode object) {
    public Review withObject(ObjectNode object) {
      return new Review(attributes, oldObject, object);
    }
  }

  /** A step's answer. */
  sealed interface Outcome {
    /** Let through, as {@code object} (the reviewed one, or changed by a mutating step); warnings for the client. */
    record Admitted(ObjectNode object, List<String> warnings) implements Outcome {
      public Admitted {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
      }
    }

    /** Refused: nothing is written; {@code status} (naming the webhook or policy) is what the client sees. */
    record Refused(Status status) implements Outcome {}
  }

  Phase phase();

  /**
   * Whether this step might act on a request with these attributes. Called on every write, so it
   * must answer from memory at once; true when unsure (the review then decides, at a dry run's cost).
   */
  boolean concerns(Attributes attributes);

  /** Reviews one request. */
  CompletionStage<Outcome> admit(Review review);
}
