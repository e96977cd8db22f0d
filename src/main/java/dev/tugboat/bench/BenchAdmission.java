package dev.tugboat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * What {@code tug bench api --admission} installs before its load, as JSON manifests: three admission
 * webhooks (a mutating one that adds a label, two validating ones that allow), served by
 * {@link WebhookServer}, and five ValidatingAdmissionPolicies bound with Deny. All of them match the
 * benchmark's writes (Deployments created and patched) in namespaces labelled {@link #LABEL}, and
 * all of them allow those writes: what is measured is the cost of admission, not of a refusal. Each
 * policy comes with a change that breaks it, so the benchmark can see when each is in effect.
 */
final class BenchAdmission {
  /** The label of the namespaces whose writes go through the installed admission. */
  static final String LABEL = "bench.tugboat.dev/admission";
  /** The label the mutating webhook adds to every Deployment it reviews. */
  static final String MUTATED = "bench.tugboat.dev/mutated";
  /** The prefix of every object installed, so a run's leftovers are recognisable. */
  static final String PREFIX = "bench-api-";
  /** The names of the two webhook configurations. */
  static final String MUTATING = PREFIX + "mutating";
  static final String VALIDATING = PREFIX + "validating";
  /** The paths of the webhook server: the mutating webhook, then the two validating ones. */
  static final List<String> HOOKS = List.of("/mutate", "/allow-1", "/allow-2");

  /**
   * One policy: its CEL validation (true for the benchmark's Deployments) and a JSON merge patch
   * of the benchmark's Deployment that makes it false.
   */
  record Policy(String name, String expression, String violation) {
    String fullName() {
      return PREFIX + name;
    }
  }

  /** Checks a cluster could well have on Deployments, each cheap, each on a different part of the object. */
  static final List<Policy> POLICIES = List.of(
      new Policy("replicas-limit", "object.spec.replicas <= 50", """
          {"spec":{"replicas":100}}"""),
      new Policy("image-origin", "object.spec.template.spec.containers.all(c, c.image.startsWith('tugboat/'))",
          containers("elsewhere/busybox:1.0")),
      new Policy("no-latest", "object.spec.template.spec.containers.all(c, !c.image.endsWith(':latest'))",
          containers("tugboat/busybox:latest")),
      new Policy("name-length", "size(object.metadata.name) <= 40", """
          {"metadata":{"name":"probe-%s"}}""".formatted("x".repeat(40))),
      new Policy("numeric-seq",
          "!has(object.metadata.labels) || !('seq' in object.metadata.labels) || object.metadata.labels['seq'].matches('^[0-9]+$')",
          """
          {"metadata":{"labels":{"seq":"abc"}}}"""));

  private BenchAdmission() {}

  private static String containers(String image) {
    return """
        {"spec":{"template":{"spec":{"containers":[{"name":"app","image":"%s"}]}}}}""".formatted(image);
  }

  /** A namespace for the load: labelled for admission or not. */
  static String namespace(String name, boolean admitted) {
    String labels = admitted ? ",\"labels\":{\"" + LABEL + "\":\"on\"}" : "";
    return """
        {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"%s"%s}}""".formatted(name, labels);
  }

  /** The MutatingWebhookConfiguration: one webhook at {@code baseUrl}'s first hook. */
  static String mutatingConfiguration(String baseUrl, String caPem) {
    return """
        {"apiVersion":"admissionregistration.k8s.io/v1","kind":"MutatingWebhookConfiguration",
         "metadata":{"name":"%s"},"webhooks":[%s]}"""
        .formatted(MUTATING, webhook("mutate", baseUrl + HOOKS.get(0), caPem));
  }

  /** The ValidatingWebhookConfiguration: two webhooks, at the other two hooks. */
  static String validatingConfiguration(String baseUrl, String caPem) {
    return """
        {"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingWebhookConfiguration",
         "metadata":{"name":"%s"},"webhooks":[%s,%s]}"""
        .formatted(VALIDATING, webhook("allow-1", baseUrl + HOOKS.get(1), caPem), webhook("allow-2", baseUrl + HOOKS.get(2), caPem));
  }

  private static String webhook(String name, String url, String caPem) {
    String caBundle = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
    return """
        {"name":"%s.bench.tugboat.dev","clientConfig":{"url":"%s","caBundle":"%s"},
         "rules":[{"operations":["CREATE","UPDATE"],"apiGroups":["apps"],"apiVersions":["v1"],"resources":["deployments"]}],
         "namespaceSelector":{"matchLabels":{"%s":"on"}},
         "failurePolicy":"Fail","timeoutSeconds":10,"sideEffects":"None","admissionReviewVersions":["v1"]}"""
        .formatted(name, url, caBundle, LABEL);
  }

  /** The ValidatingAdmissionPolicy of {@code p}. */
  static String policy(Policy p) {
    return """
        {"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingAdmissionPolicy","metadata":{"name":"%s"},
         "spec":{"failurePolicy":"Fail",
           "matchConstraints":{"resourceRules":[{"apiGroups":["apps"],"apiVersions":["v1"],
             "operations":["CREATE","UPDATE"],"resources":["deployments"]}]},
           "validations":[{"expression":%s,"message":"%s"}]}}"""
        .formatted(p.fullName(), HttpApi.JSON.valueToTree(p.expression()), "refused by the benchmark's policy " + p.name());
  }

  /** Its binding: Deny, in the namespaces labelled for admission. */
  static String binding(Policy p) {
    return """
        {"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingAdmissionPolicyBinding","metadata":{"name":"%s"},
         "spec":{"policyName":"%s","validationActions":["Deny"],
           "matchResources":{"namespaceSelector":{"matchLabels":{"%s":"on"}}}}}"""
        .formatted(p.fullName(), p.fullName(), LABEL);
  }

  /** {@code deployment} with {@code p}'s violation merged in: a Deployment {@code p} refuses. */
  static String violating(Policy p, String deployment) {
    try {
      ObjectNode object = (ObjectNode) HttpApi.JSON.readTree(deployment);
      merge(object, (ObjectNode) HttpApi.JSON.readTree(p.violation()));
      return object.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON merge patch's objects merged into {@code target}; anything else replaces. */
  private static void merge(ObjectNode target, ObjectNode patch) {
    patch.fields().forEachRemaining(e -> {
      JsonNode there = target.get(e.getKey());
      if (there instanceof ObjectNode t && e.getValue() instanceof ObjectNode p) merge(t, p);
      else target.set(e.getKey(), e.getValue());
    });
  }

  /**
   * The mutating webhook's JSON patch for a Deployment: the {@link #MUTATED} label added (the whole
   * labels map when the object has none).
   */
  static String labelPatch(JsonNode object) {
    return object.path("metadata").path("labels").isObject()
        ? "[{\"op\":\"add\",\"path\":\"/metadata/labels/" + MUTATED.replace("~", "~0").replace("/", "~1") + "\",\"value\":\"yes\"}]"
        : "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"" + MUTATED + "\":\"yes\"}}]";
  }
}
