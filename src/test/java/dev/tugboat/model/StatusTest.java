package dev.tugboat.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Status bodies of API errors: codes, reasons and messages as kube-apiserver writes them. */
class StatusTest {
  @Test
  void notFoundAlreadyExistsAndConflictNameTheResource() {
    assertEquals("pods \"web-1\" not found", Status.notFound("", "pods", "web-1").message());
    Status d = Status.notFound("apps", "deployments", "web");
    assertEquals("deployments.apps \"web\" not found", d.message());
    assertEquals(404, d.code());
    assertEquals("NotFound", d.reason());
    assertEquals("apps", d.details().group());
    assertEquals("deployments", d.details().kind());
    assertEquals("web", d.details().name());
    assertEquals("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
        + "\"message\":\"deployments.apps \\\"web\\\" not found\",\"reason\":\"NotFound\","
        + "\"details\":{\"name\":\"web\",\"group\":\"apps\",\"kind\":\"deployments\"},\"code\":404}", Codec.toJson(d));

    Status exists = Status.alreadyExists("", "services", "web");
    assertEquals(409, exists.code());
    assertEquals("AlreadyExists", exists.reason());
    assertEquals("services \"web\" already exists", exists.message());

    Status conflict = Status.conflict("apps", "deployments", "web");
    assertEquals(409, conflict.code());
    assertEquals("Conflict", conflict.reason());
    assertEquals("Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please "
        + "apply your changes to the latest version and try again", conflict.message());
  }

  @Test
  void invalidListsEveryCause() {
    Status s = Status.invalid("apps", "Deployment", "web", List.of(
        FieldError.invalid("spec.replicas", -1, "must be greater than or equal to 0"),
        FieldError.required("spec.template.spec.containers[0].image", null)));
    assertEquals(422, s.code());
    assertEquals("Invalid", s.reason());
    assertEquals("Deployment.apps \"web\" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal "
        + "to 0, spec.template.spec.containers[0].image: Required value]", s.message());
    assertEquals("Deployment", s.details().kind());
    assertEquals(List.of(
        new Status.Cause("FieldValueInvalid", "Invalid value: -1: must be greater than or equal to 0", "spec.replicas"),
        new Status.Cause("FieldValueRequired", "Required value", "spec.template.spec.containers[0].image")),
        s.details().causes());
    assertEquals("Pod \"p\" is invalid: spec.containers: Required value",
        Status.invalid("", "Pod", "p", List.of(FieldError.required("spec.containers", null))).message());
  }

  @Test
  void theOtherFailuresAndSuccess() {
    assertEquals(List.of(400, "BadRequest"), codeAndReason(Status.badRequest("bad")));
    assertEquals(List.of(405, "MethodNotAllowed"), codeAndReason(Status.methodNotAllowed("PUT", "pods/log")));
    assertEquals(List.of(413, "RequestEntityTooLarge"), codeAndReason(Status.requestEntityTooLarge("too large")));
    assertEquals(List.of(415, "UnsupportedMediaType"), codeAndReason(Status.unsupportedMediaType("text/plain")));
    assertEquals(List.of(503, "ServiceUnavailable"), codeAndReason(Status.serviceUnavailable("store down")));
    assertEquals(List.of(504, "Timeout"), codeAndReason(Status.timeout("slow")));
    assertEquals(1, Status.serviceUnavailable("x").details().retryAfterSeconds());
    Status ok = Status.success("apps", "deployments", "web", "u-1");
    assertEquals("Success", ok.status());
    assertEquals(200, ok.code());
    assertEquals("u-1", ok.details().uid());
  }

  private static List<Object> codeAndReason(Status s) {
    assertEquals("Failure", s.status());
    return List.of(s.code(), s.reason());
  }
}
