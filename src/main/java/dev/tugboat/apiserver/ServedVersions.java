package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy;
import dev.tugboat.kind.VersionConversion;
import dev.tugboat.kinds.Kinds;
import dev.tugboat.model.ResourceType;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The versions built-in kinds are served at besides their stored one ({@link KindStrategy#otherVersions()}):
 * bodies sent at such a version are converted to the stored one before anything else sees them, and
 * objects are shown at the version of the request.
 */
final class ServedVersions {
  private static final Map<String, VersionConversion> CONVERSIONS = conversions();

  private ServedVersions() {}

  private static Map<String, VersionConversion> conversions() {
    Map<String, VersionConversion> m = new HashMap<>();
    for (KindStrategy kind : Kinds.strategies()) {
      for (VersionConversion c : kind.otherVersions()) m.put(c.type().apiVersion() + " " + c.type().kind(), c);
    }
    return Map.copyOf(m);
  }

  /** The conversion of a type that is not its kind's stored version; empty for a stored one. */
  static Optional<VersionConversion> of(ResourceType type) {
    return Optional.ofNullable(CONVERSIONS.get(type.apiVersion() + " " + type.kind()));
  }

  /** A body of the request's version as the stored version holds it. */
  static ObjectNode toStored(ResourceType type, ObjectNode body) {
    return of(type).map(c -> c.toStored().apply(body)).orElse(body);
  }
}
