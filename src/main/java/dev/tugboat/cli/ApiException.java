package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The server answered with an error {@code Status}: printed as kubectl does,
 * {@code Error from server (NotFound): deployments.apps "web" not found}.
 */
public final class ApiException extends CliException {
  private final int code;
  private final String reason;

  ApiException(int code, String reason, String message) {
    super("Error from server" + (reason.isEmpty() ? "" : " (" + reason + ")") + ": " + message);
    this.code = code;
    this.reason = reason;
  }

  /** From an error response: its Status body, or the raw text when it is not one. */
  static ApiException of(int code, String body) {
    try {
      JsonNode status = dev.tugboat.model.Codec.parseTree(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
      String message = status.path("message").asText("");
      JsonNode causes = status.path("details").path("causes");
      if (code == 422 && causes.isArray() && !causes.isEmpty()) {
        StringBuilder m = new StringBuilder(message.isEmpty() ? "the object is invalid" : message);
        if (message.isEmpty()) {
          for (JsonNode c : causes) m.append("\n* ").append(c.path("field").asText()).append(": ").append(c.path("message").asText());
        }
        message = m.toString();
      }
      return new ApiException(code, status.path("reason").asText(""), message.isEmpty() ? "HTTP " + code : message);
    } catch (RuntimeException e) {
      return new ApiException(code, "", "HTTP " + code + (body.isBlank() ? "" : ": " + body.strip()));
    }
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }
}
