package dev.tugboat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Codec;
import dev.tugboat.runtime.ContainerRuntime.RegistryAuth;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PullSecretsTest {
  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode secret(String type, String key, String config) {
    return Codec.parseTree(("{\"type\":\"" + type + "\",\"data\":{\"" + key + "\":\"" + b64(config) + "\"}}")
        .getBytes(StandardCharsets.UTF_8), false);
  }

  @Test
  void theRegistryOfAnImage() {
    assertEquals("docker.io", PullSecrets.registryOf("busybox"));
    assertEquals("docker.io", PullSecrets.registryOf("library/busybox:1.36"));
    assertEquals("registry.example.com", PullSecrets.registryOf("registry.example.com/team/app:1"));
    assertEquals("127.0.0.1:5000", PullSecrets.registryOf("127.0.0.1:5000/app"));
    assertEquals("localhost", PullSecrets.registryOf("localhost/app"));
  }

  @Test
  void credentialsComeFromTheFirstSecretNamingTheRegistry() {
    JsonNode other = secret("kubernetes.io/dockerconfigjson", ".dockerconfigjson",
        "{\"auths\":{\"other.example.com\":{\"username\":\"x\",\"password\":\"y\"}}}");
    JsonNode json = secret("kubernetes.io/dockerconfigjson", ".dockerconfigjson",
        "{\"auths\":{\"https://registry.example.com/v1/\":{\"auth\":\"" + b64("me:s3cret:with-colon") + "\"}}}");
    JsonNode cfg = secret("kubernetes.io/dockercfg", ".dockercfg",
        "{\"https://index.docker.io/v1/\":{\"username\":\"hub\",\"password\":\"pw\"}}");
    assertEquals(Optional.of(new RegistryAuth("registry.example.com", "me", "s3cret:with-colon")),
        PullSecrets.forImage("registry.example.com/team/app:1", List.of(other, json, cfg)));
    assertEquals(Optional.of(new RegistryAuth("docker.io", "hub", "pw")), PullSecrets.forImage("busybox", List.of(other, cfg)));
    assertEquals(Optional.empty(), PullSecrets.forImage("quay.io/app", List.of(other, json, cfg)));
    assertEquals(Optional.empty(), PullSecrets.forImage("busybox", List.of(Codec.parseTree(
        "{\"type\":\"Opaque\",\"data\":{\"a\":\"eA==\"}}".getBytes(), false))), "only docker config Secrets count");
    assertEquals("RegistryAuth[docker.io, hub]", new RegistryAuth("docker.io", "hub", "pw").toString(), "no password printed");
  }
}
