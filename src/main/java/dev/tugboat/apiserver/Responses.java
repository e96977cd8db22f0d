package dev.tugboat.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tugboat.model.Codec;
import dev.tugboat.model.Status;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/** JSON responses and Kubernetes {@code Status} errors. */
final class Responses {
  private Responses() {}

  static HttpResponse json(int code, Object body) {
    return json(code, body, List.of());
  }

  static HttpResponse json(int code, Object body, List<String> warnings) {
    byte[] bytes;
    try {
      bytes = Codec.json().writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      return status(Status.internal("cannot encode the response: " + e.getOriginalMessage()));
    }
    List<HttpHeader> headers = warnings.stream()
        .map(w -> (HttpHeader) RawHeader.create("Warning", "299 - \"" + w.replace("\"", "'") + "\""))
        .toList();
    return HttpResponse.create()
        .withStatus(StatusCodes.get(code))
        .addHeaders(headers)
        .withEntity(ContentTypes.APPLICATION_JSON, bytes);
  }

  static HttpResponse status(Status status) {
    return json(status.code(), status);
  }
}
