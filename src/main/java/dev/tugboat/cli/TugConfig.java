package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Codec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code tug} finds the API, like a kubeconfig: {@code ~/.tugboat/config.yaml} (or the file
 * named by {@code $TUGCONFIG}) with {@code server} and {@code namespace}; the local server
 * ({@code http://127.0.0.1:8080}, namespace {@code default}) when there is no file. Command-line
 * options win over the file.
 */
public record TugConfig(String server, String namespace) {
  public static final String DEFAULT_SERVER = "http://127.0.0.1:8080";
  public static final String DEFAULT_NAMESPACE = "default";

  /** The file's settings under the given overrides (null: not given). */
  static TugConfig load(String serverOverride, String namespaceOverride) {
    TugConfig file = fromFile(path());
    return new TugConfig(
        serverOverride != null ? stripSlash(serverOverride) : file.server(),
        namespaceOverride != null ? namespaceOverride : file.namespace());
  }

  static Path path() {
    String env = System.getenv("TUGCONFIG");
    return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".tugboat", "config.yaml");
  }

  static TugConfig fromFile(Path file) {
    if (!Files.isRegularFile(file)) return new TugConfig(DEFAULT_SERVER, DEFAULT_NAMESPACE);
    try {
      JsonNode tree = Codec.parseTree(Files.readAllBytes(file), true);
      return new TugConfig(stripSlash(tree.path("server").asText(DEFAULT_SERVER)),
          tree.path("namespace").asText(DEFAULT_NAMESPACE));
    } catch (IOException | Codec.DecodeException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
