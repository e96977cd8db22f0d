package dev.tugboat.kinds.mutatingwebhookconfiguration;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tugboat.kinds.validatingwebhookconfiguration.Webhook;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.ObjectMeta;
import java.util.List;

/**
 * A MutatingWebhookConfiguration (admissionregistration.k8s.io/v1, cluster-scoped): webhooks the API
 * server calls with an AdmissionReview before it writes an object they match; each may change the
 * object (a JSONPatch), in order of configuration name, then of webhook.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MutatingWebhookConfiguration(String apiVersion, String kind, ObjectMeta metadata, List<Webhook> webhooks)
    implements ApiObject {

  @Override
  public MutatingWebhookConfiguration withMetadata(ObjectMeta metadata) {
    return new MutatingWebhookConfiguration(apiVersion, kind, metadata, webhooks);
  }
}
