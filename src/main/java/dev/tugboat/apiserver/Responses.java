package dev.tugboat.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tugboat.model.Codec;
import dev.tugboat.model.Status;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/** JSON responses and Kubernetes {@code Status} errors. */
final class Responses {
  private Responses() {}

  /** A {@code Warning} header as Kubernetes sends it: code 299, the text as an escaped quoted string. */
  static HttpHeader warning(String text) {
    return RawHeader.create("Warning", "299 - \"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
  }

  static HttpResponse json(int code, Object body) {
    byte[] bytes;
    try {
      bytes = Codec.json().writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      return status(Status.internal("cannot encode the response: " + e.getOriginalMessage()));
    }
    return HttpResponse.create()
        .withStatus(StatusCodes.get(code))
        .withEntity(ContentTypes.APPLICATION_JSON, bytes);
  }

  static HttpResponse status(Status status) {
    return json(status.code(), status);
  }
}
