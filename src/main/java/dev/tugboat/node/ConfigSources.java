package dev.tugboat.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Pod;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a container takes from the ConfigMaps and Secrets of its pod's namespace, as the kubelet
 * resolves it: variables ({@code envFrom}, and {@code env}'s key references) and
 * the files of {@code configMap} and {@code secret} volumes. A Secret's values are base64 in the
 * object and plain in the container. Pure: the objects come through {@link Lookup}.
 */
final class ConfigSources {
  /** The mode Kubernetes gives projected files (0644). */
  static final int DEFAULT_MODE = 0644;

  /** The ConfigMap or Secret of that name in the pod's namespace, empty when there is none. */
  interface Lookup {
    Optional<JsonNode> find(String kind, String name);
  }

  /**
   * A source the pod needs is missing: the container waits with {@code CreateContainerConfigError}
   * and this message, as the kubelet words it.
   */
  static final class Missing extends RuntimeException {
    Missing(String message) {
      super(message, null, false, false);
    }
  }

  /** One projected file: its bytes and mode. */
  record File(byte[] content, int mode) {}

  private ConfigSources() {}

  /** The variables of the container's {@code envFrom}, in order (a later source wins a name). */
  static Map<String, String> envFrom(Pod.Container c, String namespace, Lookup lookup) {
    Map<String, String> env = new LinkedHashMap<>();
    if (c.envFrom() == null) return env;
    for (Pod.EnvFromSource from : c.envFrom()) {
      boolean secret = from.secretRef() != null;
      Pod.ObjectRef ref = secret ? from.secretRef() : from.configMapRef();
      Optional<JsonNode> object = object(lookup, secret, ref.name(), Boolean.TRUE.equals(ref.optional()), namespace);
      if (object.isEmpty()) continue;
      String prefix = from.prefix() == null ? "" : from.prefix();
      values(object.get(), secret).forEach((k, v) -> env.put(prefix + k, new String(v, StandardCharsets.UTF_8)));
    }
    return env;
  }

  /**
   * The value of a variable whose {@code valueFrom} is a {@code configMapKeyRef} or
   * {@code secretKeyRef}; empty when it names an optional source or key that does not exist, or is
   * another kind of reference.
   */
  static Optional<String> keyRef(Pod.EnvVar e, String namespace, Lookup lookup) {
    for (String source : List.of("configMapKeyRef", "secretKeyRef")) {
      JsonNode ref = e.valueFrom() == null ? null : e.valueFrom().get(source);
      if (ref == null || !ref.isObject()) continue;
      boolean secret = source.equals("secretKeyRef");
      boolean optional = ref.path("optional").asBoolean(false);
      String name = ref.path("name").asText();
      String key = ref.path("key").asText();
      Optional<JsonNode> object = object(lookup, secret, name, optional, namespace);
      if (object.isEmpty()) return Optional.empty();
      byte[] value = values(object.get(), secret).get(key);
      if (value == null) {
        if (optional) return Optional.empty();
        throw new Missing("couldn't find key " + key + " in " + (secret ? "Secret" : "ConfigMap") + " " + namespace
            + "/" + name);
      }
      return Optional.of(new String(value, StandardCharsets.UTF_8));
    }
    return Optional.empty();
  }

  /**
   * The files of a configMap or secret volume (path to content), empty for other volumes and for an
   * optional source that does not exist.
   */
  static Map<String, File> files(Pod.Volume v, String namespace, Lookup lookup) {
    boolean secret = v.secret() != null;
    if (!secret && v.configMap() == null) return Map.of();
    String name = secret ? v.secret().secretName() : v.configMap().name();
    boolean optional = Boolean.TRUE.equals(secret ? v.secret().optional() : v.configMap().optional());
    List<Pod.KeyToPath> items = secret ? v.secret().items() : v.configMap().items();
    Integer mode = secret ? v.secret().defaultMode() : v.configMap().defaultMode();
    int defaultMode = mode == null ? DEFAULT_MODE : mode;
    Optional<JsonNode> object = object(lookup, secret, name, optional, namespace);
    if (object.isEmpty()) return Map.of();
    Map<String, byte[]> values = values(object.get(), secret);
    Map<String, File> files = new LinkedHashMap<>();
    if (items == null || items.isEmpty()) {
      values.forEach((k, bytes) -> files.put(k, new File(bytes, defaultMode)));
      return files;
    }
    for (Pod.KeyToPath item : items) {
      byte[] bytes = values.get(item.key());
      if (bytes == null) {
        if (optional) continue;
        throw new Missing("configmap references non-existent config key: " + item.key());
      }
      files.put(item.path(), new File(bytes, item.mode() == null ? defaultMode : item.mode()));
    }
    return files;
  }

  private static Optional<JsonNode> object(Lookup lookup, boolean secret, String name, boolean optional, String namespace) {
    Optional<JsonNode> object = lookup.find(secret ? "Secret" : "ConfigMap", name);
    if (object.isEmpty() && !optional) throw new Missing((secret ? "secret" : "configmap") + " \"" + name + "\" not found");
    return object;
  }

  /** Every key's bytes: a ConfigMap's data (UTF-8) and binaryData (base64), a Secret's data (base64). */
  private static Map<String, byte[]> values(JsonNode object, boolean secret) {
    Map<String, byte[]> values = new LinkedHashMap<>();
    if (secret) {
      decode(object.path("data"), values);
    } else {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.path("data").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        values.put(e.getKey(), e.getValue().asText().getBytes(StandardCharsets.UTF_8));
      }
      decode(object.path("binaryData"), values);
    }
    return values;
  }

  private static void decode(JsonNode map, Map<String, byte[]> into) {
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      into.put(e.getKey(), Base64.getDecoder().decode(e.getValue().asText()));
    }
  }
}
