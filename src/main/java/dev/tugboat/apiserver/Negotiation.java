package dev.tugboat.apiserver;

import dev.tugboat.model.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a client's {@code Accept} header asks for, chosen as Kubernetes' API server chooses: the
 * media ranges in order of preference ({@code q}, then the order written), the first one this
 * server can produce for this request wins. A range may ask for a different shape of the answer
 * with {@code as=...;g=meta.k8s.io;v=v1}: a {@code Table} (kubectl get), or only the objects'
 * metadata ({@code PartialObjectMetadata} for a get or a watch, {@code PartialObjectMetadataList}
 * for a list), which client-go's metadata informers use. When no range can be produced the answer
 * is a 406, never another kind than the one asked for.
 */
final class Negotiation {
  /** How the answer is encoded. */
  enum Format {
    JSON("application/json"), YAML("application/yaml"), PROTOBUF(ProtobufBodies.MEDIA_TYPE);

    final String mediaType;

    Format(String mediaType) {
      this.mediaType = mediaType;
    }
  }

  /** What the answer holds: the objects, a Table of them, or their metadata only. */
  enum Shape { OBJECT, TABLE, PARTIAL_METADATA }

  /** The kind of request, which decides the shapes it can be answered in. */
  enum Verb { GET, LIST, WATCH, WRITE }

  /** The chosen representation of an answer. */
  record Representation(Format format, Shape shape) {
    static final Representation JSON = new Representation(Format.JSON, Shape.OBJECT);
  }

  private static final String MEDIA_TYPES = "application/json, application/yaml, " + ProtobufBodies.MEDIA_TYPE;

  private Negotiation() {}

  /**
   * The representation {@code accept} prefers among those this request can have; empty when there
   * is none. {@code protobuf} says whether the kind has a protobuf form (custom kinds have not).
   */
  static Optional<Representation> choose(String accept, Verb verb, boolean protobuf) {
    if (accept == null || accept.isBlank()) return Optional.of(Representation.JSON);
    for (MediaRange range : ranges(accept)) {
      Optional<Representation> r = representation(range, verb, protobuf);
      if (r.isPresent()) return r;
    }
    return Optional.empty();
  }

  /** The 406 for an Accept header no representation satisfies. */
  static Status notAcceptable(String accept) {
    return Status.notAcceptable("the server was unable to respond with a content type that the client supports"
        + " (got Accept: " + accept + "; this resource can be answered as " + MEDIA_TYPES
        + ", with as=Table, as=PartialObjectMetadata or as=PartialObjectMetadataList of meta.k8s.io/v1)");
  }

  private static Optional<Representation> representation(MediaRange range, Verb verb, boolean protobuf) {
    Optional<Shape> shape = shape(range, verb);
    if (shape.isEmpty()) return Optional.empty();
    Format format = switch (range.type()) {
      case "application/json", "application/*", "*/*" -> Format.JSON;
      case "application/yaml" -> verb == Verb.WATCH ? null : Format.YAML;
      case ProtobufBodies.MEDIA_TYPE -> {
        // Tables have no protobuf form in Kubernetes either; metadata is the same message for every kind.
        boolean encodable = switch (shape.get()) {
          case OBJECT -> protobuf;
          case TABLE -> false;
          case PARTIAL_METADATA -> true;
        };
        yield encodable ? Format.PROTOBUF : null;
      }
      default -> null;
    };
    return format == null ? Optional.empty() : Optional.of(new Representation(format, shape.get()));
  }

  private static Optional<Shape> shape(MediaRange range, Verb verb) {
    String as = range.params().get("as");
    if (as == null) return Optional.of(Shape.OBJECT);
    String g = range.params().getOrDefault("g", "");
    String v = range.params().getOrDefault("v", "");
    if (!g.equals("meta.k8s.io") || !(v.equals("v1") || v.equals("v1beta1"))) return Optional.empty();
    return switch (as) {
      case "Table" -> verb == Verb.WRITE ? Optional.empty() : Optional.of(Shape.TABLE);
      case "PartialObjectMetadata" -> verb == Verb.GET || verb == Verb.WATCH
          ? Optional.of(Shape.PARTIAL_METADATA) : Optional.empty();
      case "PartialObjectMetadataList" -> verb == Verb.LIST ? Optional.of(Shape.PARTIAL_METADATA) : Optional.empty();
      default -> Optional.empty();
    };
  }

  /** One media range of an Accept header: {@code type/subtype} and its parameters. */
  record MediaRange(String type, Map<String, String> params, double q) {}

  /** The ranges of an Accept header, most preferred first; q=0 ranges are refusals and left out. */
  static List<MediaRange> ranges(String accept) {
    List<MediaRange> ranges = new ArrayList<>();
    for (String part : accept.split(",")) {
      String[] pieces = part.split(";");
      String type = pieces[0].trim().toLowerCase(java.util.Locale.ROOT);
      if (type.isEmpty()) continue;
      Map<String, String> params = new HashMap<>();
      double q = 1;
      for (int i = 1; i < pieces.length; i++) {
        int eq = pieces[i].indexOf('=');
        if (eq < 0) continue;
        String key = pieces[i].substring(0, eq).trim();
        String value = pieces[i].substring(eq + 1).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) value = value.substring(1, value.length() - 1);
        if (key.equals("q")) {
          try {
            q = Double.parseDouble(value);
          } catch (NumberFormatException e) {
            q = 0;
          }
        } else {
          params.put(key, value);
        }
      }
      if (q > 0) ranges.add(new MediaRange(type, Map.copyOf(params), q));
    }
    // A stable sort: ranges of equal preference keep the order the client wrote them in.
    ranges.sort(Comparator.comparingDouble(MediaRange::q).reversed());
    return ranges;
  }
}
