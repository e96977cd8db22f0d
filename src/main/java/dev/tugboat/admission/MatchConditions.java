package dev.tugboat.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.cel.Cel;
import dev.tugboat.cel.JsonValues;
import dev.tugboat.kinds.validatingwebhookconfiguration.Webhook;
import dev.tugboat.kinds.validatingwebhookconfiguration.Webhooks;
import dev.tugboat.registry.DynamicAdmission;
import java.util.HashMap;
import java.util.Map;

/**
 * A webhook's {@code matchConditions}, as Kubernetes evaluates them: CEL expressions over
 * {@code object}, {@code oldObject} and {@code request}, compiled once per text (the engine's
 * cache); the webhook is called only when all hold. Kubernetes' rule for errors: a condition that
 * is false skips the webhook even when another errs; otherwise an error is a failure of the
 * webhook, under its failurePolicy.
 */
final class MatchConditions {
  private MatchConditions() {}

  /**
   * Null when the webhook is to be called; {@code ""} when a condition is false (skip it); else why
   * a condition could not be evaluated.
   */
  static String unmatched(Webhook webhook, DynamicAdmission.Review review, JsonNode request) {
    if (webhook.matchConditions() == null || webhook.matchConditions().isEmpty()) return null;
    Map<String, Object> vars = new HashMap<>();
    vars.put("object", JsonValues.toCel(review.object()));
    vars.put("oldObject", JsonValues.toCel(review.oldObject()));
    vars.put("request", JsonValues.toCel(request));
    String error = null;
    for (Webhook.MatchCondition c : webhook.matchConditions()) {
      Cel.Compiled compiled = Webhooks.MATCH_CEL.compileBool(c.expression());
      Cel.Outcome o = compiled instanceof Cel.Program p ? p.evalBool(vars) : new Cel.Failure(((Cel.Invalid) compiled).message());
      if (o instanceof Cel.Failure f) {
        if (error == null) error = "failed to evaluate matchCondition '" + c.name() + "': " + f.message();
      } else if (!Boolean.TRUE.equals(((Cel.Value) o).value())) {
        return "";
      }
    }
    return error;
  }
}
