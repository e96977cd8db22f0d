package dev.tugboat.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Codec;
import dev.tugboat.runtime.ContainerRuntime.RegistryAuth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The credentials a pod's {@code imagePullSecrets} hold for the registry of an image, as the
 * kubelet's keyring finds them: Secrets of type {@code kubernetes.io/dockerconfigjson} (an
 * {@code auths} map) or {@code kubernetes.io/dockercfg} (the map itself), keyed by registry host
 * (with or without a scheme and path), each with {@code username}/{@code password} or {@code auth}
 * (base64 of {@code user:password}). Pure.
 */
final class PullSecrets {
  private static final String DOCKER_HUB = "docker.io";

  private PullSecrets() {}

  /** The registry host of an image: its first path part when it names a host, else Docker Hub. */
  static String registryOf(String image) {
    int slash = image.indexOf('/');
    if (slash < 0) return DOCKER_HUB;
    String first = image.substring(0, slash);
    return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : DOCKER_HUB;
  }

  /** The first of {@code secrets} (Secret objects, in the pod's order) with credentials for the image's registry. */
  static Optional<RegistryAuth> forImage(String image, List<JsonNode> secrets) {
    String registry = registryOf(image);
    for (JsonNode secret : secrets) {
      JsonNode auths = auths(secret);
      for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        if (!host(entry.getKey()).equals(registry) && !(registry.equals(DOCKER_HUB) && hub(host(entry.getKey())))) continue;
        JsonNode c = entry.getValue();
        String user = c.path("username").asText("");
        String password = c.path("password").asText("");
        if (user.isEmpty() && !c.path("auth").asText("").isEmpty()) {
          String pair = new String(Base64.getDecoder().decode(c.path("auth").asText()), StandardCharsets.UTF_8);
          int colon = pair.indexOf(':');
          if (colon > 0) {
            user = pair.substring(0, colon);
            password = pair.substring(colon + 1);
          }
        }
        if (!user.isEmpty()) return Optional.of(new RegistryAuth(registry, user, password));
      }
    }
    return Optional.empty();
  }

  private static JsonNode auths(JsonNode secret) {
    String type = secret.path("type").asText("");
    String key = type.equals("kubernetes.io/dockerconfigjson") ? ".dockerconfigjson"
        : type.equals("kubernetes.io/dockercfg") ? ".dockercfg" : null;
    if (key == null || !secret.path("data").has(key)) return Codec.json().createObjectNode();
    try {
      JsonNode config = Codec.json().readTree(Base64.getDecoder().decode(secret.path("data").path(key).asText()));
      return key.equals(".dockerconfigjson") ? config.path("auths") : config;
    } catch (IOException | IllegalArgumentException e) {
      return Codec.json().createObjectNode(); // the Secret's strategy refuses such data; nothing to use
    }
  }

  /** {@code https://registry.example.com/v1/} as {@code registry.example.com}. */
  private static String host(String key) {
    String k = key.replaceFirst("^[a-z]+://", "");
    int slash = k.indexOf('/');
    return slash < 0 ? k : k.substring(0, slash);
  }

  private static boolean hub(String host) {
    return host.equals(DOCKER_HUB) || host.equals("index.docker.io") || host.equals("registry-1.docker.io");
  }
}
