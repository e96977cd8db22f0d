package dev.tugboat.testing;

import dev.tugboat.boot.Tugboat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A kubeconfig for a client the test starts as a process of its own (an operator in a child JVM):
 * the member's own admin kubeconfig when it serves TLS (it writes {@code <data-dir>/kubeconfig}),
 * otherwise one naming its plain API. As {@link Fabric8} for in-JVM clients, how the API is secured
 * is decided here, not in each test.
 */
public final class Kubeconfigs {
  private Kubeconfigs() {}

  /** Writes {@code file} for {@code tugboat} and returns it. */
  public static Path write(Tugboat tugboat, Path file) {
    try {
      Files.createDirectories(file.getParent());
      if (Files.isRegularFile(tugboat.kubeconfig())) {
        return Files.copy(tugboat.kubeconfig(), file, StandardCopyOption.REPLACE_EXISTING);
      }
      return Files.writeString(file, """
          apiVersion: v1
          kind: Config
          clusters: [{name: tugboat, cluster: {server: "%s"}}]
          contexts: [{name: tugboat, context: {cluster: tugboat, user: tugboat}}]
          current-context: tugboat
          users: [{name: tugboat, user: {}}]
          """.formatted(tugboat.apiUrl()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
