package dev.tugboat.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' {@code meta/v1 Status}: how every API error (and some successes) is reported. The
 * factories word their messages as kube-apiserver does, since clients print them verbatim.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Status(
    String kind,
    String apiVersion,
    Map<String, Object> metadata,
    String status,
    String message,
    String reason,
    Details details,
    int code) {

  /** What the failure is about; {@code causes} lists field errors of a 422. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Details(String name, String group, String kind, String uid, List<Cause> causes, Integer retryAfterSeconds) {}

  /** One cause: reason (e.g. FieldValueInvalid), message and field path. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Cause(String reason, String message, String field) {}

  public static Status failure(int code, String reason, String message, Details details) {
    return new Status("Status", "v1", Map.of(), "Failure", message, reason, details, code);
  }

  public static Status success(String group, String plural, String name, String uid) {
    return new Status("Status", "v1", Map.of(), "Success", null, null,
        new Details(name, group.isEmpty() ? null : group, plural, uid, null, null), 200);
  }

  private static String resource(String group, String plural) {
    return group == null || group.isEmpty() ? plural : plural + "." + group;
  }

  private static Details details(String group, String plural, String name) {
    return new Details(name, group == null || group.isEmpty() ? null : group, plural, null, null, null);
  }

  public static Status notFound(String group, String plural, String name) {
    return failure(404, "NotFound", resource(group, plural) + " \"" + name + "\" not found", details(group, plural, name));
  }

  public static Status notFound(String message) {
    return failure(404, "NotFound", message, null);
  }

  public static Status alreadyExists(String group, String plural, String name) {
    return failure(409, "AlreadyExists", resource(group, plural) + " \"" + name + "\" already exists",
        details(group, plural, name));
  }

  public static Status conflict(String group, String plural, String name) {
    return conflict(group, plural, name,
        "the object has been modified; please apply your changes to the latest version and try again");
  }

  public static Status conflict(String group, String plural, String name, String why) {
    return failure(409, "Conflict", "Operation cannot be fulfilled on " + resource(group, plural) + " \"" + name
        + "\": " + why, details(group, plural, name));
  }

  /** 422 Invalid with one cause per field error, worded as kubectl prints it. */
  public static Status invalid(String group, String kind, String name, List<FieldError> errors) {
    String qualified = group == null || group.isEmpty() ? kind : kind + "." + group;
    // As Kubernetes' error aggregate: duplicates once, several in brackets.
    List<String> each = errors.stream().map(FieldError::toString).distinct().toList();
    String message = qualified + " \"" + name + "\" is invalid: "
        + (each.size() == 1 ? each.get(0) : "[" + String.join(", ", each) + "]");
    List<Cause> causes = errors.stream().map(e -> new Cause(e.type(), e.message(), e.field())).toList();
    return failure(422, "Invalid", message,
        new Details(name, group == null || group.isEmpty() ? null : group, kind, null, causes, null));
  }

  /** 422 for a request that is well-formed but cannot be applied (a patch that does not apply). */
  public static Status unprocessable(String message) {
    return failure(422, "Invalid", message, null);
  }

  public static Status badRequest(String message) {
    return failure(400, "BadRequest", message, null);
  }

  /** A 401: the request's credential was not accepted. */
  public static Status unauthorized(String message) {
    return failure(401, "Unauthorized", message, null);
  }

  public static Status forbidden(String message) {
    return failure(403, "Forbidden", message, null);
  }

  public static Status methodNotAllowed(String method, String resource) {
    return failure(405, "MethodNotAllowed", method + " is not supported on " + resource, null);
  }

  public static Status notAcceptable(String message) {
    return failure(406, "NotAcceptable", message, null);
  }

  public static Status expired(String message) {
    return failure(410, "Expired", message, null);
  }

  public static Status requestEntityTooLarge(String message) {
    return failure(413, "RequestEntityTooLarge", message, null);
  }

  public static Status unsupportedMediaType(String message) {
    return failure(415, "UnsupportedMediaType", message, null);
  }

  public static Status internal(String message) {
    return failure(500, "InternalError", message, null);
  }

  public static Status serviceUnavailable(String message) {
    return failure(503, "ServiceUnavailable", message,
        new Details(null, null, null, null, null, 1));
  }

  public static Status timeout(String message) {
    return failure(504, "Timeout", message, new Details(null, null, null, null, null, 1));
  }
}
