package dev.tugboat.testing;

import dev.tugboat.boot.Tugboat;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * fabric8 clients for a member started in the test JVM: its API's address and, when the member
 * serves TLS, its CA and admin credentials. Every test reaches the API through here, so how the
 * API is secured is decided in one place.
 */
public final class Fabric8 {
  private Fabric8() {}

  /** A configuration to extend (a namespace, a token, timeouts) before {@code build()}. */
  public static ConfigBuilder config(Tugboat tugboat) {
    return new ConfigBuilder(Config.empty()).withMasterUrl(tugboat.apiUrl()).withRequestTimeout(30_000);
  }

  /**
   * A client in {@code namespace} that authenticates with the bearer {@code token} alone (a
   * ServiceAccount's): trusting the member's CA when it speaks TLS, presenting no client certificate.
   */
  public static KubernetesClient withToken(Tugboat tugboat, String namespace, String token) {
    ConfigBuilder b = config(tugboat).withNamespace(namespace).withOauthToken(token)
        .withClientCertData(null).withClientKeyData(null).withClientCertFile(null).withClientKeyFile(null);
    tugboat.tls().ifPresent(t -> b.withCaCertData(java.util.Base64.getEncoder().encodeToString(
        t.ca().caPem().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    return new KubernetesClientBuilder().withConfig(b.build()).build();
  }

  /** A client working in {@code namespace}. */
  public static KubernetesClient client(Tugboat tugboat, String namespace) {
    return new KubernetesClientBuilder().withConfig(config(tugboat).withNamespace(namespace).build()).build();
  }
}
