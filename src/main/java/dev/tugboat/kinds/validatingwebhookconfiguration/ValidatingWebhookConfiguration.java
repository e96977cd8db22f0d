package dev.tugboat.kinds.validatingwebhookconfiguration;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.tugboat.model.ApiObject;
import dev.tugboat.model.ObjectMeta;
import java.util.List;

/**
 * A ValidatingWebhookConfiguration (admissionregistration.k8s.io/v1, cluster-scoped): webhooks the API
 * server calls with an AdmissionReview before it writes an object they match; each may refuse the
 * write, all of them in parallel after the mutating ones.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ValidatingWebhookConfiguration(String apiVersion, String kind, ObjectMeta metadata, List<Webhook> webhooks)
    implements ApiObject {

  @Override
  public ValidatingWebhookConfiguration withMetadata(ObjectMeta metadata) {
    return new ValidatingWebhookConfiguration(apiVersion, kind, metadata, webhooks);
  }
}
