package dev.tugboat.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The kubeconfig {@code tug up} writes for the admin: one cluster (the API's https URL and the CA),
 * one user (the admin client certificate and key, embedded), one context, current. kubectl, fabric8
 * and {@code tug} read it. The file holds a private key, so it is written with mode 0600.
 */
public final class Kubeconfig {
  /** The name of the cluster, user and context entries. */
  public static final String NAME = "tugboat";

  private Kubeconfig() {}

  /** The kubeconfig text for {@code server}, trusting {@code caPem} and presenting {@code client}. */
  public static String render(String server, String caPem, ClusterCa.Pair client) {
    return render(server, caPem, client, null);
  }

  /** As {@link #render(String, String, ClusterCa.Pair)}, its context working in {@code namespace} (null: none). */
  public static String render(String server, String caPem, ClusterCa.Pair client, String namespace) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: %2$s
            certificate-authority-data: %3$s
        users:
        - name: %4$s
          user:
            client-certificate-data: %5$s
            client-key-data: %6$s
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %4$s%7$s
        current-context: %1$s
        preferences: {}
        """.formatted(NAME, server, b64(caPem), ClusterCa.ADMIN_USER, b64(client.certPem()), b64(client.keyPem()),
            namespace == null ? "" : "\n    namespace: " + namespace);
  }

  /** Writes the admin's kubeconfig at {@code file} (mode 0600, replaced whole). */
  public static void write(Path file, String server, ClusterCa ca) {
    try {
      if (file.getParent() != null) java.nio.file.Files.createDirectories(file.getParent());
      ClusterCa.write(file, render(server, ca.caPem(), ca.admin()), "rw-------");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the kubeconfig " + file, e);
    }
  }

  private static String b64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
  }
}
