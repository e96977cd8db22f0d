package dev.tugboat.registry;

import dev.tugboat.registry.DynamicAdmission.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The dynamic admission steps of this member, in the order they were added, and the order
 * Kubernetes runs them in: every {@link DynamicAdmission.Phase#MUTATING} step one after the other,
 * each reviewing the object the previous one answered, then every
 * {@link DynamicAdmission.Phase#VALIDATING} step in parallel on the final object. The first refusal
 * (mutating) or any refusal (validating; the first in order is told) refuses the request. No actors:
 * tested as it is.
 */
public final class DynamicAdmissions {
  private final List<DynamicAdmission> steps = new CopyOnWriteArrayList<>();

  /** Adds a step (at startup, before requests are served). */
  public void add(DynamicAdmission step) {
    steps.add(step);
  }

  /** Whether any step concerns the request: false (the usual case) costs one pass over a short list. */
  public boolean concerns(DynamicAdmission.Attributes attributes) {
    for (DynamicAdmission step : steps) {
      if (step.concerns(attributes)) return true;
    }
    return false;
  }

  /** Runs every step that concerns the request, as the class comment says. */
  public CompletionStage<Outcome> admit(DynamicAdmission.Review review) {
    List<DynamicAdmission> concerned = steps.stream().filter(s -> s.concerns(review.attributes())).toList();
    CompletionStage<Outcome> mutated = CompletableFuture.completedFuture(new Outcome.Admitted(review.object(), List.of()));
    for (DynamicAdmission step : concerned) {
      if (step.phase() != DynamicAdmission.Phase.MUTATING) continue;
      mutated = mutated.thenCompose(before -> before instanceof Outcome.Admitted admitted
          ? safely(step, review.withObject(admitted.object())).thenApply(after -> merged(admitted, after))
          : CompletableFuture.completedFuture(before));
    }
    return mutated.thenCompose(before -> {
      if (!(before instanceof Outcome.Admitted admitted)) return CompletableFuture.completedFuture(before);
      List<CompletableFuture<Outcome>> validations = new ArrayList<>();
      for (DynamicAdmission step : concerned) {
        if (step.phase() == DynamicAdmission.Phase.VALIDATING) {
          validations.add(safely(step, review.withObject(admitted.object())).toCompletableFuture());
        }
      }
      return CompletableFuture.allOf(validations.toArray(CompletableFuture[]::new)).thenApply(v -> {
        Outcome result = admitted;
        for (CompletableFuture<Outcome> validation : validations) {
          Outcome o = validation.join();
          if (o instanceof Outcome.Refused) return o;
          // a validating step may warn, never change the object
          result = new Outcome.Admitted(admitted.object(), concat(((Outcome.Admitted) result).warnings(),
              ((Outcome.Admitted) o).warnings()));
        }
        return result;
      });
    });
  }

  private static Outcome merged(Outcome.Admitted before, Outcome after) {
    if (!(after instanceof Outcome.Admitted a)) return after;
    return new Outcome.Admitted(a.object(), concat(before.warnings(), a.warnings()));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    if (b.isEmpty()) return a;
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** A step that throws (a bug) refuses with a 500 naming nothing secret, rather than failing the write's future. */
  private static CompletionStage<Outcome> safely(DynamicAdmission step, DynamicAdmission.Review review) {
    try {
      return step.admit(review).exceptionally(DynamicAdmissions::failed);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(failed(e));
    }
  }

  private static Outcome failed(Throwable e) {
    return new Outcome.Refused(dev.tugboat.model.Status.internal("admission failed: " + e));
  }
}
