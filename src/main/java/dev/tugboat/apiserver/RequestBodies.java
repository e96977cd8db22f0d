package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * Reads request bodies: the size limit (413), the media type (JSON, YAML or protobuf; anything
 * else 415), and the syntax (400), so that handlers only ever see a parsed object.
 *
 * <p><b>No Content-Type is a 415.</b> A web page the user opens may POST to the loopback API
 * without a CORS preflight only as a "simple request": a body of type {@code text/plain}, a form,
 * or a Blob with no type at all. Reading either as JSON would let any page create a pod. The one
 * exception is kubectl itself: kubectl 1.20's {@code create namespace} and {@code create configmap}
 * send their JSON with no Content-Type (shared/reference), and a page cannot send a {@code kubectl/}
 * User-Agent without a preflight (setting User-Agent makes a request non-simple), so a body without
 * a Content-Type from kubectl is still read as JSON.
 */
final class RequestBodies {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  /** A parsed body, or the Status that refuses it; {@code warnings} name dropped unknown fields. */
  record Body(ObjectNode tree, List<String> warnings, Status failure) {
    static Body failed(Status status) {
      return new Body(null, List.of(), status);
    }
  }

  /** A parsed patch and its type, or the Status that refuses it. */
  record PatchBody(String patchType, JsonNode patch, Status failure) {}

  private final ActorSystem<?> system;
  private final long maxBytes;

  RequestBodies(ActorSystem<?> system, long maxBytes) {
    this.system = system;
    this.maxBytes = maxBytes;
  }

  /** The body as an API object; strict decoding when the client asks {@code fieldValidation=Strict}. */
  CompletionStage<Body> read(HttpRequest request, ResourceType expected) {
    boolean strict = "Strict".equals(request.getUri().query().get("fieldValidation").orElse(""));
    String mediaType = mediaType(request);
    return bytes(request).thenApply(bytes -> {
      if (bytes.failure != null) return Body.failed(bytes.failure);
      if (bytes.data.length == 0) return Body.failed(Status.badRequest("the request body is empty"));
      if (untyped(request, mediaType)) return Body.failed(missingContentType());
      if (mediaType.equals(ProtobufBodies.MEDIA_TYPE)) {
        // As Kubernetes: custom kinds are JSON and YAML only, whatever the protobuf body holds.
        if (expected != null && !ProtobufBodies.served(expected)) {
          return Body.failed(unsupported(mediaType + " (" + expected.plural() + "." + expected.group()
              + " is a custom resource, served as JSON and YAML only)", "application/json, application/yaml"));
        }
        return fromProtobuf(bytes.data, expected);
      }
      Format format = format(mediaType);
      if (format == null) return Body.failed(unsupported(mediaType, "application/json, application/yaml, " + ProtobufBodies.MEDIA_TYPE));
      try {
        Codec.Checked checked = Codec.check(bytes.data, format == Format.YAML, strict, expected);
        return new Body(checked.object(), checked.unknownFields().stream()
            .map(f -> "unknown field \"" + f + "\"").toList(), null);
      } catch (Codec.DecodeException e) {
        return Body.failed(Status.badRequest(e.getMessage()));
      }
    });
  }

  /** A protobuf body, turned into JSON and read again through the same checks as any JSON body. */
  private static Body fromProtobuf(byte[] data, ResourceType expected) {
    try {
      ObjectNode decoded = ProtobufBodies.decode(data);
      if (expected == null) return new Body(decoded, List.of(), null);
      Codec.Checked checked = Codec.check(decoded, false, expected);
      return new Body(checked.object(), List.of(), null);
    } catch (ProtobufBodies.UnsupportedKind e) {
      return Body.failed(unsupported(ProtobufBodies.MEDIA_TYPE + " (" + e.getMessage() + ")", "application/json, application/yaml"));
    } catch (IllegalArgumentException | Codec.DecodeException e) {
      return Body.failed(Status.badRequest(e.getMessage()));
    }
  }

  /** A body that may be absent (DELETE's DeleteOptions), or that is no stored kind (Scale, Binding). */
  CompletionStage<Body> readOptional(HttpRequest request) {
    String mediaType = mediaType(request);
    return bytes(request).thenApply(bytes -> {
      if (bytes.failure != null) return Body.failed(bytes.failure);
      if (bytes.data.length == 0) return new Body(null, List.of(), null);
      if (untyped(request, mediaType)) return Body.failed(missingContentType());
      if (mediaType.equals(ProtobufBodies.MEDIA_TYPE)) return fromProtobuf(bytes.data, null);
      if (format(mediaType) == null) return Body.failed(unsupported(mediaType, "application/json, application/yaml, " + ProtobufBodies.MEDIA_TYPE));
      try {
        JsonNode tree = Codec.parseTree(bytes.data, format(mediaType) == Format.YAML);
        if (!tree.isObject()) return Body.failed(Status.badRequest("DeleteOptions must be a JSON object"));
        return new Body((ObjectNode) tree, List.of(), null);
      } catch (Codec.DecodeException e) {
        return Body.failed(Status.badRequest(e.getMessage()));
      }
    });
  }

  /** A PATCH body and its type from the Content-Type. */
  CompletionStage<PatchBody> readPatch(HttpRequest request) {
    String mediaType = mediaType(request);
    return bytes(request).thenApply(bytes -> {
      if (bytes.failure != null) return new PatchBody(null, null, bytes.failure);
      if (!PATCH_TYPES.contains(mediaType)) {
        return new PatchBody(null, null, unsupported(mediaType, String.join(", ", PATCH_TYPES)));
      }
      try {
        // An apply patch is YAML (JSON is YAML too, and is what kubectl and fabric8 send).
        JsonNode patch = Codec.parseTree(bytes.data, mediaType.equals(APPLY_PATCH));
        if (mediaType.equals(APPLY_PATCH) && !patch.isObject()) {
          return new PatchBody(null, null, Status.badRequest("an apply patch must be an object (a configuration)"));
        }
        return new PatchBody(mediaType, patch, null);
      } catch (Codec.DecodeException e) {
        return new PatchBody(null, null, Status.badRequest(e.getMessage()));
      }
    });
  }

  /**
   * The request with its body read into memory (up to the limit), so that it can be read twice: once
   * to check it (RBAC escalation) and once to serve it. A body past the limit is the Status.
   */
  CompletionStage<Object> buffered(HttpRequest request) {
    var contentType = request.entity().getContentType();
    return bytes(request).thenApply(bytes -> bytes.failure != null ? bytes.failure
        : request.withEntity(org.apache.pekko.http.javadsl.model.HttpEntities.create(contentType, bytes.data)));
  }

  /** Server-side apply's media type. */
  static final String APPLY_PATCH = "application/apply-patch+yaml";

  static final List<String> PATCH_TYPES = List.of(
      "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json",
      APPLY_PATCH);

  private enum Format { JSON, YAML }

  private static Format format(String mediaType) {
    return switch (mediaType) {
      // "": kubectl 1.20's untyped JSON (untyped() refused everyone else's before this)
      case "", "application/json", "*/*" -> Format.JSON;
      case "application/yaml", "application/x-yaml", "text/yaml" -> Format.YAML;
      default -> null;
    };
  }

  private static String mediaType(HttpRequest request) {
    // Pekko calls a missing Content-Type application/octet-stream; kubectl 1.20 sends none for JSON.
    var ct = request.entity().getContentType();
    String mediaType = ct.mediaType().mainType() + "/" + ct.mediaType().subType();
    return mediaType.equals("application/octet-stream") ? "" : mediaType;
  }

  /** A body with no Content-Type, from anyone but kubectl (see the class comment). */
  static boolean untyped(HttpRequest request, String mediaType) {
    if (!mediaType.isEmpty()) return false;
    String agent = request.getHeader("User-Agent").map(h -> h.value()).orElse("");
    return !agent.startsWith("kubectl/");
  }

  private static Status missingContentType() {
    return Status.unsupportedMediaType("the request has a body but no Content-Type - accepted media types include: "
        + "application/json, application/yaml, " + ProtobufBodies.MEDIA_TYPE);
  }

  private static Status unsupported(String mediaType, String supported) {
    return Status.unsupportedMediaType("the body of the request was in an unknown format - accepted media types include: "
        + supported + " (got " + (mediaType.isEmpty() ? "none" : mediaType) + ")");
  }

  private record Bytes(byte[] data, Status failure) {}

  /** The bytes of a body up to a limit; past it, only that it overflowed. Lives within one fold. */
  private static final class Limited {
    private final long limit;
    private final ByteStringBuilder data = new ByteStringBuilder();
    private long length;
    private boolean overflowed;

    Limited(long limit) {
      this.limit = limit;
    }

    Limited add(ByteString chunk) {
      length += chunk.size();
      if (length > limit) {
        overflowed = true;
        data.clear();
      } else {
        data.append(chunk);
      }
      return this;
    }
  }

  /**
   * Reads the body; past the limit it reads on to the end, keeping nothing, so that a client that
   * writes its whole body before it reads gets the 413 rather than a connection reset under its
   * write (pekko.http's parsing limit, far higher, still bounds what is read).
   */
  private CompletionStage<Bytes> bytes(HttpRequest request) {
    return request.entity().getDataBytes().completionTimeout(READ_TIMEOUT)
        .runFold(new Limited(maxBytes), Limited::add, system)
        .thenApply(body -> body.overflowed ? new Bytes(null, Status.requestEntityTooLarge(
            "the request body exceeds the limit of " + maxBytes + " bytes")) : new Bytes(body.data.result().toArray(), null))
        .exceptionally(e -> {
          Throwable cause = e.getCause() != null ? e.getCause() : e;
          while (cause.getCause() != null && !(cause instanceof EntityStreamSizeException)) cause = cause.getCause();
          if (cause instanceof EntityStreamSizeException) {
            return new Bytes(null, Status.requestEntityTooLarge("the request body exceeds the limit of " + maxBytes + " bytes"));
          }
          return new Bytes(null, Status.badRequest("cannot read the request body: " + cause.getMessage()));
        });
  }
}
