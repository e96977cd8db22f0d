package dev.tugboat.proxy.ingress;

import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * The ingress controller's answer to a request too malformed to route (a broken request line or
 * header, a URI too long): plain text, as a web server answers, not the API's {@code Status}; and
 * whatever the parser calls it (505 for a request line it cannot read), a 4xx: it is the client's
 * fault, never the proxy's. Named in the ingress listeners' own server settings.
 */
public final class IngressParseErrors extends ParsingErrorHandler {
  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    log.debug("Ingress: illegal request: {}", info.formatPretty());
    int code = status.intValue() >= 500 ? 400 : status.intValue();
    return IngressHandler.text(StatusCodes.get(code), code + " " + StatusCodes.get(code).reason() + ": " + info.summary() + "\n");
  }
}
