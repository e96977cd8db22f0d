package dev.tugboat.kinds.pod;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.Status;
import java.util.List;
import java.util.Optional;

/**
 * Kubernetes' ServiceAccount admission, its refusal: a new pod may run only as an account that
 * exists in its namespace. The namespace's {@code default} account is let through even when the
 * controller has not made it yet (a pod created right after its namespace), where Kubernetes refuses
 * and has its clients retry: a controller's pod refused here would wait for its next resync.
 */
final class PodServiceAccount {
  private PodServiceAccount() {}

  /** The refusal (403 naming {@code spec.serviceAccountName}), or empty when the account exists or is default. */
  static Optional<Status> missing(JsonNode pod, JsonNode accounts) {
    JsonNode spec = pod.path("spec");
    String name = spec.path("serviceAccountName").asText("");
    String field = "spec.serviceAccountName";
    if (name.isEmpty()) {
      name = spec.path("serviceAccount").asText("");
      field = "spec.serviceAccount";
    }
    if (name.isEmpty() || name.equals("default")) return Optional.empty();
    String namespace = pod.path("metadata").path("namespace").asText("");
    for (JsonNode sa : accounts) {
      if (name.equals(sa.path("metadata").path("name").asText()) && namespace.equals(sa.path("metadata").path("namespace").asText())) {
        return Optional.empty();
      }
    }
    String podName = pod.path("metadata").path("name").asText(pod.path("metadata").path("generateName").asText(""));
    Status refused = Status.forbidden("pods \"" + podName + "\" is forbidden: error looking up service account "
        + namespace + "/" + name + ": serviceaccount \"" + name + "\" not found (" + field + ")");
    return Optional.of(refused);
  }

}
