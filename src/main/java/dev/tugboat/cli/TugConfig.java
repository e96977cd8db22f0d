package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Codec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where {@code tug} finds the API: the kubeconfig of {@code --kubeconfig} (its context: server, CA,
 * client certificate, namespace; {@link KubeconfigFile}); else the file named by {@code $TUGCONFIG};
 * else {@code $KUBECONFIG}'s files when one exists; else {@code ~/.tugboat/config.yaml}, with {@code server} and
 * {@code namespace}; the local server ({@code http://127.0.0.1:8080}, namespace {@code default})
 * when there is neither. Command-line options win over the files. {@code tls} is null for plain HTTP.
 */
public record TugConfig(String server, String namespace, javax.net.ssl.SSLContext tls) {
  public static final String DEFAULT_SERVER = "http://127.0.0.1:8080";
  public static final String DEFAULT_NAMESPACE = "default";

  /** The file's settings under the given overrides (null: not given). */
  static TugConfig load(String serverOverride, String namespaceOverride) {
    return load(serverOverride, namespaceOverride, null, null);
  }

  /** As {@link #load(String, String)}, from {@code kubeconfig} (or $KUBECONFIG) and {@code context} when set. */
  static TugConfig load(String serverOverride, String namespaceOverride, String kubeconfig, String context) {
    // --kubeconfig first, then tug's own $TUGCONFIG (set for tug alone, so it is meant), then
    // $KUBECONFIG when one of its files exists (kubectl, too, ignores missing ones), then ~/.tugboat.
    String tugconfig = System.getenv("TUGCONFIG");
    List<Path> kubeconfigs = kubeconfig != null ? KubeconfigFile.files(kubeconfig)
        : tugconfig != null && !tugconfig.isBlank() ? List.of()
        : KubeconfigFile.files(null).stream().filter(Files::isRegularFile).toList();
    TugConfig file;
    if (!kubeconfigs.isEmpty()) {
      KubeconfigFile k = KubeconfigFile.load(kubeconfigs, context);
      file = new TugConfig(k.server(), k.namespace() == null ? DEFAULT_NAMESPACE : k.namespace(), k.tls());
    } else {
      file = fromFile(path());
    }
    return new TugConfig(
        serverOverride != null ? stripSlash(serverOverride) : file.server(),
        namespaceOverride != null ? namespaceOverride : file.namespace(), file.tls());
  }

  static Path path() {
    String env = System.getenv("TUGCONFIG");
    return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".tugboat", "config.yaml");
  }

  static TugConfig fromFile(Path file) {
    if (!Files.isRegularFile(file)) return new TugConfig(DEFAULT_SERVER, DEFAULT_NAMESPACE, null);
    try {
      JsonNode tree = Codec.parseTree(Files.readAllBytes(file), true);
      return new TugConfig(stripSlash(tree.path("server").asText(DEFAULT_SERVER)),
          tree.path("namespace").asText(DEFAULT_NAMESPACE), null);
    } catch (IOException | Codec.DecodeException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
