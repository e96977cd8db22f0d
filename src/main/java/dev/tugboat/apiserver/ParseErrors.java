package dev.tugboat.apiserver;

import dev.tugboat.model.Status;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Requests too malformed to reach the routes (a TRACE with a body, a broken request line or
 * header, a URI too long) get a {@code Status} like every other error, not pekko.http's plain
 * text: clients of a Kubernetes API decode errors as Status. Named in
 * {@code pekko.http.server.parsing.error-handler}.
 */
public final class ParseErrors extends ParsingErrorHandler {
  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    String message = info.formatPretty();
    log.debug("Illegal request: {}", message);
    // Whatever the parser calls it (505 for a request line it cannot read), it is the request's
    // fault, never the server's: a 4xx, as Go's server answers kube-apiserver's malformed requests.
    int code = status.intValue() >= 500 ? 400 : status.intValue();
    String reason = switch (code) {
      case 413 -> "RequestEntityTooLarge";
      case 414 -> "RequestURITooLong";
      case 431 -> "RequestHeaderFieldsTooLarge";
      default -> "BadRequest";
    };
    return Responses.status(Status.failure(code, reason, "the request could not be read: " + message, null));
  }
}
