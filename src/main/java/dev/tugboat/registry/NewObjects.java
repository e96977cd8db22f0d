package dev.tugboat.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.Status;
import dev.tugboat.model.Validation;
import java.security.SecureRandom;
import java.util.List;

/**
 * The rules every create follows, whoever sends it (the HTTP API, the in-cluster Java client, a
 * controller): the object's namespace is the request's, a {@code generateName} becomes a name, and
 * the name must be one the kind accepts, before any entity is asked (the name is its id).
 */
public final class NewObjects {
  private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private NewObjects() {}

  /** The object's name, or the Status that refuses it. */
  public record Named(String name, Status refusal) {}

  /**
   * Sets the object's namespace (namespaced kinds) and name (from generateName with a random
   * suffix, as Kubernetes' 5 characters) in place, and checks the name.
   */
  public static Named prepare(KindStrategy kind, String namespace, ObjectNode object) {
    JsonNode m = object.get("metadata");
    ObjectNode meta = m instanceof ObjectNode o ? o : object.putObject("metadata");
    if (kind.type().namespaced()) {
      if (namespace == null || namespace.isEmpty()) {
        return new Named(null, Status.badRequest("a namespace is required to create " + kind.plural()));
      }
      meta.put("namespace", namespace);
    } else {
      meta.remove("namespace");
    }
    String name = meta.path("name").asText("");
    String generateName = meta.path("generateName").asText("");
    if (name.isEmpty() && !generateName.isEmpty()) {
      name = generateName + randomSuffix();
      meta.put("name", name);
    }
    if (name.isEmpty()) {
      return new Named(null, Status.invalid(kind.group(), kind.kind(), "",
          List.of(FieldError.required("metadata.name", "name or generateName is required"))));
    }
    List<FieldError> errors = Validation.validateName(kind.nameRule(), name);
    if (!errors.isEmpty()) return new Named(null, Status.invalid(kind.group(), kind.kind(), name, errors));
    return new Named(name, null);
  }

  /** Null when objects may be created in a namespace in this state, else why not (Forbidden or NotFound). */
  static Status namespaceRefusal(String namespace, Result lookup) {
    if (lookup instanceof Result.Ok ok) {
      return ok.object().path("metadata").has("deletionTimestamp")
          ? Status.forbidden("unable to create new content in namespace " + namespace + " because it is being terminated")
          : null;
    }
    Status failure = ((Result.Failed) lookup).status();
    return failure.code() == 404 ? Status.notFound("", "namespaces", namespace) : failure;
  }

  private static String randomSuffix() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 5; i++) s.append(NAME_CHARS.charAt(RANDOM.nextInt(NAME_CHARS.length())));
    return s.toString();
  }
}
