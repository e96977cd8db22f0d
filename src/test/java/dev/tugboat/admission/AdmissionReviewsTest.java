package dev.tugboat.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.ResourceType;
import dev.tugboat.registry.DynamicAdmission;
import dev.tugboat.registry.Requester;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionReviewsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String review(String response) {
    return "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":" + response + "}";
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes());
  }

  @Test
  void theRequestCarriesWhatKubernetesSends() throws Exception {
    ObjectNode old = (ObjectNode) JSON.readTree("{\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":1}}");
    ObjectNode now = (ObjectNode) JSON.readTree("{\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":2}}");
    var attrs = new DynamicAdmission.Attributes(DynamicAdmission.Operation.UPDATE,
        ResourceType.byKind("Deployment").orElseThrow(), null, "shop", "web", true,
        new Requester("alice", "u-1", List.of("dev", "system:authenticated"), Map.of("scopes", List.of("x"))));
    JsonNode r = AdmissionReviews.request("uid-1", new DynamicAdmission.Review(attrs, old, now)).path("request");
    assertEquals("uid-1", r.path("uid").asText());
    assertEquals("{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"}", r.path("kind").toString());
    assertEquals("deployments", r.at("/resource/resource").asText());
    assertEquals(r.path("kind"), r.path("requestKind"));
    assertEquals("web", r.path("name").asText());
    assertEquals("shop", r.path("namespace").asText());
    assertEquals("UPDATE", r.path("operation").asText());
    assertEquals("alice", r.at("/userInfo/username").asText());
    assertEquals("dev", r.at("/userInfo/groups/0").asText());
    assertEquals("x", r.at("/userInfo/extra/scopes/0").asText());
    assertEquals(2, r.at("/object/spec/replicas").asInt());
    assertEquals(1, r.at("/oldObject/spec/replicas").asInt());
    assertTrue(r.path("dryRun").asBoolean());
    assertEquals("UpdateOptions", r.at("/options/kind").asText());
    assertEquals("All", r.at("/options/dryRun/0").asText());
  }

  @Test
  void aDenialIsWordedAsKubernetesWordsItWithACodeOfAtLeast400() {
    var denied = (AdmissionReviews.Answer.Denied) AdmissionReviews.answer(
        review("{\"uid\":\"u\",\"allowed\":false,\"status\":{\"code\":403,\"message\":\"no\"},\"warnings\":[\"w\"]}"),
        "u", "x.example.com", false);
    assertEquals(403, denied.status().code());
    assertEquals("admission webhook \"x.example.com\" denied the request: no", denied.status().message());
    assertEquals(List.of("w"), denied.warnings());
    var bare = (AdmissionReviews.Answer.Denied) AdmissionReviews.answer(review("{\"uid\":\"u\",\"allowed\":false}"), "u",
        "x.example.com", false);
    assertEquals(400, bare.status().code());
    assertEquals("admission webhook \"x.example.com\" denied the request without explanation", bare.status().message());
    var low = (AdmissionReviews.Answer.Denied) AdmissionReviews.answer(
        review("{\"uid\":\"u\",\"allowed\":false,\"status\":{\"code\":200,\"reason\":\"Nope\"}}"), "u", "x.example.com", false);
    assertEquals(400, low.status().code());
    assertEquals("admission webhook \"x.example.com\" denied the request: Nope", low.status().message());
  }

  @Test
  void anAllowedAnswerCarriesItsJsonPatchWhichApplies() throws Exception {
    String patch = "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"a\":\"b\"}}]";
    var allowed = (AdmissionReviews.Answer.Allowed) AdmissionReviews.answer(review(
        "{\"uid\":\"u\",\"allowed\":true,\"patchType\":\"JSONPatch\",\"patch\":\"" + b64(patch) + "\"}"), "u", "m", true);
    ObjectNode object = (ObjectNode) JSON.readTree("{\"metadata\":{\"name\":\"n\"}}");
    ObjectNode patched = AdmissionReviews.patched(object, allowed.patch());
    assertEquals("b", patched.at("/metadata/labels/a").asText());
    assertEquals("{\"metadata\":{\"name\":\"n\"}}", object.toString(), "the reviewed object is not changed");
    JsonNode bad = JSON.readTree("[{\"op\":\"replace\",\"path\":\"/spec/missing\",\"value\":1}]");
    assertThrows(IllegalArgumentException.class, () -> AdmissionReviews.patched(object, bad));
  }

  @Test
  void answersThatAreNotAnswersAreFailuresOfTheCall() {
    assertInstanceOf(AdmissionReviews.Answer.Invalid.class, AdmissionReviews.answer("<html>", "u", "x", false));
    assertInstanceOf(AdmissionReviews.Answer.Invalid.class,
        AdmissionReviews.answer(review("{\"uid\":\"other\",\"allowed\":true}"), "u", "x", false), "the uid is echoed");
    assertInstanceOf(AdmissionReviews.Answer.Invalid.class, AdmissionReviews.answer(
        "{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\",\"response\":{\"uid\":\"u\",\"allowed\":true}}",
        "u", "x", false));
    assertInstanceOf(AdmissionReviews.Answer.Invalid.class, AdmissionReviews.answer(review(
        "{\"uid\":\"u\",\"allowed\":true,\"patchType\":\"JSONPatch\",\"patch\":\"" + b64("[]") + "\"}"), "u", "x", false),
        "a validating webhook may not patch");
    assertInstanceOf(AdmissionReviews.Answer.Invalid.class, AdmissionReviews.answer(review(
        "{\"uid\":\"u\",\"allowed\":true,\"patchType\":\"MergePatch\",\"patch\":\"" + b64("{}") + "\"}"), "u", "x", true));
    assertInstanceOf(AdmissionReviews.Answer.Invalid.class, AdmissionReviews.answer(review(
        "{\"uid\":\"u\",\"allowed\":true,\"patchType\":\"JSONPatch\",\"patch\":\"" + b64("{}") + "\"}"), "u", "x", true));
  }
}
