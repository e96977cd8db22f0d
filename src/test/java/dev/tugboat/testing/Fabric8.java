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
    ConfigBuilder config = new ConfigBuilder(Config.empty()).withMasterUrl(tugboat.apiUrl()).withRequestTimeout(30_000);
    tugboat.tls().ifPresent(t -> config.withCaCertData(b64(t.ca().caPem()))
        .withClientCertData(b64(t.ca().admin().certPem())).withClientKeyData(b64(t.ca().admin().keyPem())));
    return config;
  }

  /** A configuration trusting {@code tugboat}'s CA, with no client certificate: for a token of the test's own. */
  public static ConfigBuilder configWithoutCertificate(Tugboat tugboat) {
    ConfigBuilder config = new ConfigBuilder(Config.empty()).withMasterUrl(tugboat.apiUrl()).withRequestTimeout(30_000);
    tugboat.tls().ifPresent(t -> config.withCaCertData(b64(t.ca().caPem())));
    return config;
  }

  private static String b64(String pem) {
    return java.util.Base64.getEncoder().encodeToString(pem.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * A client in {@code namespace} that authenticates with the bearer {@code token} alone (a
   * ServiceAccount's): trusting the member's CA when it speaks TLS, presenting no client certificate.
   */
  public static KubernetesClient withToken(Tugboat tugboat, String namespace, String token) {
    return new KubernetesClientBuilder()
        .withConfig(configWithoutCertificate(tugboat).withNamespace(namespace).withOauthToken(token).build()).build();
  }

  /** A client working in {@code namespace}. */
  public static KubernetesClient client(Tugboat tugboat, String namespace) {
    return new KubernetesClientBuilder().withConfig(config(tugboat).withNamespace(namespace).build()).build();
  }
}
