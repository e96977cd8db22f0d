package dev.tugboat.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import dev.tugboat.model.Status;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/** Responses in the negotiated format (JSON, YAML, protobuf) and Kubernetes {@code Status} errors. */
final class Responses {
  private static final ContentType YAML = ContentTypes.create(MediaTypes.customBinary("application", "yaml", true));
  static final ContentType PROTOBUF = ContentTypes.create(MediaTypes.customBinary("application", "vnd.kubernetes.protobuf", false));

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
    return retryAfter(status, json(status.code(), status));
  }

  /** A Status in the format the request negotiated, as Kubernetes answers errors. */
  static HttpResponse status(Status status, Negotiation.Format format) {
    return format == Negotiation.Format.JSON ? status(status)
        : retryAfter(status, encoded(status.code(), Codec.json().valueToTree(status), format));
  }

  /**
   * A Status that says when to try again says it in the header too, where clients look (429, 503,
   * 504). Only a positive delay, as kube-apiserver: client-go retries a response with
   * {@code Retry-After} by itself, up to ten times, so a {@code Retry-After: 0} on a refused
   * eviction hid the 429 from kubectl drain, which is meant to see it, say so and wait 5 s.
   */
  private static HttpResponse retryAfter(Status status, HttpResponse response) {
    Integer seconds = status.details() == null ? null : status.details().retryAfterSeconds();
    return seconds == null || seconds <= 0 ? response
        : response.addHeader(RawHeader.create("Retry-After", seconds.toString()));
  }

  /** An answer (an object, a list, a Table, a Status) in {@code format}. */
  static HttpResponse encoded(int code, ObjectNode body, Negotiation.Format format) {
    try {
      return switch (format) {
        case JSON -> HttpResponse.create().withStatus(StatusCodes.get(code))
            .withEntity(ContentTypes.APPLICATION_JSON, Codec.json().writeValueAsBytes(body));
        case YAML -> HttpResponse.create().withStatus(StatusCodes.get(code))
            .withEntity(YAML, Codec.yaml().writeValueAsBytes(body));
        case PROTOBUF -> HttpResponse.create().withStatus(StatusCodes.get(code))
            .withEntity(PROTOBUF, ProtobufBodies.encode(body));
      };
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return status(Status.internal("cannot encode the response: " + e.getMessage()));
    }
  }
}
