package dev.tugboat.kinds.validatingwebhookconfiguration;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tugboat.model.LabelSelector;
import java.util.List;

/**
 * One webhook of a Validating- or MutatingWebhookConfiguration (admissionregistration.k8s.io/v1):
 * where it is ({@code clientConfig}), which requests it sees ({@code rules}, the selectors,
 * {@code matchConditions}), and what happens when it cannot answer ({@code failurePolicy},
 * {@code timeoutSeconds}). {@code reinvocationPolicy} is a mutating webhook's only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Webhook(String name, ClientConfig clientConfig, List<Rule> rules, String failurePolicy,
    String matchPolicy, LabelSelector namespaceSelector, LabelSelector objectSelector, String sideEffects,
    Integer timeoutSeconds, List<String> admissionReviewVersions, String reinvocationPolicy,
    List<MatchCondition> matchConditions) {

  /** Where the webhook is: a {@code url}, or a Service; {@code caBundle} (base64 PEM) is what its certificate must chain to. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ClientConfig(String url, ServiceReference service, String caBundle) {}

  /** A Service in the cluster that serves the webhook at {@code path} on {@code port} (443 by default). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ServiceReference(String namespace, String name, String path, Integer port) {}

  /** The operations on resources the webhook is called for; {@code scope}: Cluster, Namespaced or *. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Rule(List<String> operations, List<String> apiGroups, List<String> apiVersions, List<String> resources,
      String scope) {}

  /** A CEL condition the request must meet to be sent (stored; evaluated once the CEL engine is wired). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MatchCondition(String name, String expression) {}

  public static final String FAIL = "Fail";
  public static final String IGNORE = "Ignore";
  public static final String EQUIVALENT = "Equivalent";
  public static final String EXACT = "Exact";
  public static final String NEVER = "Never";
  public static final String IF_NEEDED = "IfNeeded";
  public static final String NONE = "None";
  public static final String NONE_ON_DRY_RUN = "NoneOnDryRun";
  /** Kubernetes' default: long enough for a TLS handshake and a review, short against a hung webhook. */
  public static final int DEFAULT_TIMEOUT_SECONDS = 10;
  /** Kubernetes' ceiling: a write never waits longer on one webhook. */
  public static final int MAX_TIMEOUT_SECONDS = 30;
}
