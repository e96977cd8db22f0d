package dev.tugboat.kinds.validatingwebhookconfiguration;

import dev.tugboat.cel.Cel;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.Validation;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Defaults and validation of webhooks, shared by both configuration kinds: Kubernetes'
 * SetDefaults_ValidatingWebhook / MutatingWebhook and validateWebhook (admissionregistration v1),
 * and a {@code caBundle} that must hold PEM certificates (Kubernetes finds a bad one only when it
 * calls the webhook; refusing it at write names the field while the author is still looking).
 */
public final class Webhooks {
  private Webhooks() {}

  public static final List<String> OPERATIONS = List.of("*", "CREATE", "UPDATE", "DELETE", "CONNECT");
  public static final List<String> SCOPES = List.of("*", "Cluster", "Namespaced");
  private static final List<String> FAILURE_POLICIES = List.of(Webhook.IGNORE, Webhook.FAIL);
  private static final List<String> MATCH_POLICIES = List.of(Webhook.EXACT, Webhook.EQUIVALENT);
  private static final List<String> SIDE_EFFECTS = List.of(Webhook.NONE, Webhook.NONE_ON_DRY_RUN);
  private static final List<String> REINVOCATION = List.of(Webhook.NEVER, Webhook.IF_NEEDED);
  private static final LabelSelector EVERYTHING = new LabelSelector(null, null);
  private static final int MAX_MATCH_CONDITIONS = 64;
  /**
   * The variables a webhook's matchConditions see, as Kubernetes': the object, the old object and
   * the AdmissionRequest. ({@code authorizer} is not offered: an expression using it does not compile.)
   */
  public static final Cel MATCH_CEL = Cel.withVariables("object", "oldObject", "request");

  /** A webhook with Kubernetes' defaults set; {@code mutating} adds reinvocationPolicy Never. */
  public static Webhook defaults(Webhook w, boolean mutating) {
    if (w == null) return null;
    List<Webhook.Rule> rules = w.rules() == null ? null : w.rules().stream()
        .map(r -> r == null || r.scope() != null ? r
            : new Webhook.Rule(r.operations(), r.apiGroups(), r.apiVersions(), r.resources(), "*"))
        .toList();
    Webhook.ClientConfig client = w.clientConfig();
    if (client != null && client.service() != null && client.service().port() == null) {
      Webhook.ServiceReference s = client.service();
      client = new Webhook.ClientConfig(client.url(), new Webhook.ServiceReference(s.namespace(), s.name(), s.path(), 443),
          client.caBundle());
    }
    return new Webhook(w.name(), client, rules,
        w.failurePolicy() == null ? Webhook.FAIL : w.failurePolicy(),
        w.matchPolicy() == null ? Webhook.EQUIVALENT : w.matchPolicy(),
        w.namespaceSelector() == null ? EVERYTHING : w.namespaceSelector(),
        w.objectSelector() == null ? EVERYTHING : w.objectSelector(),
        w.sideEffects(),
        w.timeoutSeconds() == null ? Webhook.DEFAULT_TIMEOUT_SECONDS : w.timeoutSeconds(),
        w.admissionReviewVersions(),
        mutating ? (w.reinvocationPolicy() == null ? Webhook.NEVER : w.reinvocationPolicy()) : null,
        w.matchConditions());
  }

  /** Every error of a configuration's {@code webhooks} list. */
  public static void validate(List<Webhook> webhooks, boolean mutating, List<FieldError> errors) {
    if (webhooks == null) return;
    Set<String> names = new HashSet<>();
    for (int i = 0; i < webhooks.size(); i++) {
      String at = "webhooks[" + i + "]";
      Webhook w = webhooks.get(i);
      if (w == null) {
        errors.add(FieldError.required(at, null));
        continue;
      }
      if (w.name() == null || w.name().isEmpty()) {
        errors.add(FieldError.required(at + ".name", null));
      } else {
        if (!names.add(w.name())) errors.add(FieldError.duplicate(at + ".name", w.name()));
        if (!Validation.validateName(Validation.NameRule.DNS_SUBDOMAIN, w.name()).isEmpty()
            || w.name().split("\\.").length < 3) {
          errors.add(FieldError.invalid(at + ".name", w.name(),
              "should be a domain with at least three segments separated by dots"));
        }
      }
      validateClientConfig(w.clientConfig(), at + ".clientConfig", errors);
      validateRules(w.rules(), at + ".rules", errors);
      if (!FAILURE_POLICIES.contains(w.failurePolicy())) {
        errors.add(FieldError.notSupported(at + ".failurePolicy", w.failurePolicy(), FAILURE_POLICIES));
      }
      if (!MATCH_POLICIES.contains(w.matchPolicy())) {
        errors.add(FieldError.notSupported(at + ".matchPolicy", w.matchPolicy(), MATCH_POLICIES));
      }
      if (w.sideEffects() == null) {
        errors.add(FieldError.required(at + ".sideEffects", "must specify one of None, NoneOnDryRun"));
      } else if (!SIDE_EFFECTS.contains(w.sideEffects())) {
        errors.add(FieldError.notSupported(at + ".sideEffects", w.sideEffects(), SIDE_EFFECTS));
      }
      if (w.timeoutSeconds() == null || w.timeoutSeconds() < 1 || w.timeoutSeconds() > Webhook.MAX_TIMEOUT_SECONDS) {
        errors.add(FieldError.invalid(at + ".timeoutSeconds", w.timeoutSeconds(),
            "the timeout value must be between 1 and " + Webhook.MAX_TIMEOUT_SECONDS + " seconds"));
      }
      if (w.admissionReviewVersions() == null || w.admissionReviewVersions().isEmpty()) {
        errors.add(FieldError.required(at + ".admissionReviewVersions",
            "must specify one of v1, v1beta1"));
      } else if (!w.admissionReviewVersions().contains("v1")) {
        errors.add(FieldError.invalid(at + ".admissionReviewVersions", w.admissionReviewVersions(),
            "must include v1: Tugboat sends AdmissionReview v1"));
      }
      if (mutating && !REINVOCATION.contains(w.reinvocationPolicy())) {
        errors.add(FieldError.notSupported(at + ".reinvocationPolicy", w.reinvocationPolicy(), REINVOCATION));
      }
      validateSelector(w.namespaceSelector(), at + ".namespaceSelector", errors);
      validateSelector(w.objectSelector(), at + ".objectSelector", errors);
      validateMatchConditions(w.matchConditions(), at + ".matchConditions", errors);
    }
  }

  private static void validateClientConfig(Webhook.ClientConfig c, String at, List<FieldError> errors) {
    if (c == null) {
      errors.add(FieldError.required(at, "exactly one of url or service is required"));
      return;
    }
    if ((c.url() == null) == (c.service() == null)) {
      errors.add(FieldError.required(at, "exactly one of url or service is required"));
    }
    if (c.url() != null) validateUrl(c.url(), at + ".url", errors);
    if (c.service() != null) {
      Webhook.ServiceReference s = c.service();
      if (s.namespace() == null || s.namespace().isEmpty()) errors.add(FieldError.required(at + ".service.namespace", null));
      if (s.name() == null || s.name().isEmpty()) errors.add(FieldError.required(at + ".service.name", null));
      if (s.path() != null && !s.path().startsWith("/")) {
        errors.add(FieldError.invalid(at + ".service.path", s.path(), "must start with a '/'"));
      }
      if (s.port() == null || s.port() < 1 || s.port() > 65535) {
        errors.add(FieldError.invalid(at + ".service.port", s.port(), "port is not valid: must be between 1 and 65535"));
      }
    }
    if (c.caBundle() != null && !c.caBundle().isEmpty()) {
      String problem = caBundleProblem(c.caBundle());
      if (problem != null) errors.add(FieldError.invalid(at + ".caBundle", "<bytes>", problem));
    }
  }

  private static void validateUrl(String url, String at, List<FieldError> errors) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      errors.add(FieldError.invalid(at, url, "host must be specified: " + e.getMessage()));
      return;
    }
    if (!"https".equals(uri.getScheme())) errors.add(FieldError.invalid(at, url, "'https' is the only allowed URL scheme"));
    if (uri.getHost() == null || uri.getHost().isEmpty()) errors.add(FieldError.invalid(at, url, "host must be specified"));
    if (uri.getRawUserInfo() != null) errors.add(FieldError.invalid(at, url, "user information is not permitted in the URL"));
    if (uri.getRawFragment() != null) errors.add(FieldError.invalid(at, url, "fragments are not permitted in the URL"));
    if (uri.getRawQuery() != null) errors.add(FieldError.invalid(at, url, "query parameters are not permitted in the URL"));
  }

  /** Why a caBundle is not usable (null: it is): base64 of PEM holding at least one X.509 certificate. */
  public static String caBundleProblem(String caBundle) {
    byte[] pem;
    try {
      pem = Base64.getMimeDecoder().decode(caBundle);
    } catch (IllegalArgumentException e) {
      return "must be base64-encoded PEM certificates: " + e.getMessage();
    }
    String text = new String(pem, java.nio.charset.StandardCharsets.US_ASCII);
    if (!text.contains("-----BEGIN CERTIFICATE-----")) return "must be PEM certificates (no BEGIN CERTIFICATE block)";
    try {
      var certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
      if (certs.isEmpty()) return "must hold at least one certificate";
    } catch (CertificateException | RuntimeException e) {
      return "does not hold a valid certificate: " + e.getMessage();
    }
    return null;
  }

  private static void validateRules(List<Webhook.Rule> rules, String at, List<FieldError> errors) {
    if (rules == null) return;
    for (int i = 0; i < rules.size(); i++) {
      String r = at + "[" + i + "]";
      Webhook.Rule rule = rules.get(i);
      if (rule == null) {
        errors.add(FieldError.required(r, null));
        continue;
      }
      if (rule.operations() == null || rule.operations().isEmpty()) {
        errors.add(FieldError.required(r + ".operations", null));
      } else {
        for (int j = 0; j < rule.operations().size(); j++) {
          String op = rule.operations().get(j);
          if (!OPERATIONS.contains(op)) errors.add(FieldError.notSupported(r + ".operations[" + j + "]", op, OPERATIONS));
        }
        if (rule.operations().size() > 1 && rule.operations().contains("*")) {
          errors.add(FieldError.invalid(r + ".operations", rule.operations(), "if '*' is present, must not specify other operations"));
        }
      }
      requireList(rule.apiGroups(), r + ".apiGroups", true, errors);
      requireList(rule.apiVersions(), r + ".apiVersions", false, errors);
      requireList(rule.resources(), r + ".resources", false, errors);
      if (rule.resources() != null) {
        for (int j = 0; j < rule.resources().size(); j++) {
          String res = rule.resources().get(j);
          if (res == null || res.isEmpty() || res.split("/", -1).length > 2 || res.startsWith("/") || res.endsWith("/")) {
            errors.add(FieldError.invalid(r + ".resources[" + j + "]", res, "resource must be a resource or resource/subresource"));
          }
        }
      }
      if (!SCOPES.contains(rule.scope())) errors.add(FieldError.notSupported(r + ".scope", rule.scope(), SCOPES));
    }
  }

  private static void requireList(List<String> values, String at, boolean emptyStringAllowed, List<FieldError> errors) {
    if (values == null || values.isEmpty()) {
      errors.add(FieldError.required(at, null));
      return;
    }
    if (values.size() > 1 && values.contains("*")) {
      errors.add(FieldError.invalid(at, values, "if '*' is present, must not specify other values"));
    }
    for (int j = 0; j < values.size(); j++) {
      if (values.get(j) == null || (!emptyStringAllowed && values.get(j).isEmpty())) {
        errors.add(FieldError.required(at + "[" + j + "]", null));
      }
    }
  }

  private static void validateSelector(LabelSelector selector, String at, List<FieldError> errors) {
    if (selector == null) return;
    try {
      selector.toSelector();
    } catch (IllegalArgumentException e) {
      errors.add(FieldError.invalid(at, null, e.getMessage()));
    }
  }

  private static void validateMatchConditions(List<Webhook.MatchCondition> conditions, String at, List<FieldError> errors) {
    if (conditions == null) return;
    if (conditions.size() > MAX_MATCH_CONDITIONS) errors.add(FieldError.invalid(at, conditions.size(), "must have at most " + MAX_MATCH_CONDITIONS + " items"));
    Set<String> names = new HashSet<>();
    for (int i = 0; i < conditions.size(); i++) {
      Webhook.MatchCondition c = conditions.get(i);
      String m = at + "[" + i + "]";
      if (c == null || c.name() == null || c.name().isEmpty()) {
        errors.add(FieldError.required(m + ".name", null));
      } else if (!names.add(c.name())) {
        errors.add(FieldError.duplicate(m + ".name", c.name()));
      }
      if (c == null || c.expression() == null || c.expression().isBlank()) {
        errors.add(FieldError.required(m + ".expression", null));
      } else if (MATCH_CEL.compileBool(c.expression()) instanceof Cel.Invalid invalid) {
        errors.add(FieldError.invalid(m + ".expression", c.expression(), "compilation failed: " + invalid.message()));
      }
    }
  }

  /** The webhooks with defaults set, keeping null a null list. */
  public static List<Webhook> defaults(List<Webhook> webhooks, boolean mutating) {
    if (webhooks == null) return null;
    List<Webhook> out = new ArrayList<>();
    for (Webhook w : webhooks) out.add(defaults(w, mutating));
    return out;
  }
}
