package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Codec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where {@code tug} finds the API, as kubectl does: the kubeconfig files of {@code --kubeconfig},
 * else those of {@code $KUBECONFIG} that exist, else {@code ~/.tugboat/kubeconfig} (the one
 * {@code tug up} writes for its admin); its context (server, CA, client certificate, namespace;
 * {@link KubeconfigFile}). With none of them, the local server {@code http://127.0.0.1:8080}
 * (a member started with {@code --insecure-http}), namespace {@code default}. Command-line options
 * win over the files. {@code tls} is null for plain HTTP.
 */
public record TugConfig(String server, String namespace, javax.net.ssl.SSLContext tls) {
  public static final String DEFAULT_SERVER = "http://127.0.0.1:8080";
  public static final String DEFAULT_NAMESPACE = "default";

  /** The files' settings under the given overrides (null: not given). */
  static TugConfig load(String serverOverride, String namespaceOverride) {
    return load(serverOverride, namespaceOverride, null, null);
  }

  /** As {@link #load(String, String)}, from {@code kubeconfig} (or the defaults above) and {@code context} when set. */
  static TugConfig load(String serverOverride, String namespaceOverride, String kubeconfig, String context) {
    // kubectl, too, ignores $KUBECONFIG's files that do not exist.
    List<Path> kubeconfigs = kubeconfig != null ? KubeconfigFile.files(kubeconfig)
        : KubeconfigFile.files(null).stream().filter(Files::isRegularFile).toList();
    if (kubeconfigs.isEmpty() && kubeconfig == null && Files.isRegularFile(tugUpKubeconfig())) {
      kubeconfigs = List.of(tugUpKubeconfig());
    }
    TugConfig file = new TugConfig(DEFAULT_SERVER, DEFAULT_NAMESPACE, null);
    if (!kubeconfigs.isEmpty()) {
      KubeconfigFile k = KubeconfigFile.load(kubeconfigs, context);
      file = new TugConfig(k.server(), k.namespace() == null ? DEFAULT_NAMESPACE : k.namespace(), k.tls());
    }
    return new TugConfig(
        serverOverride != null ? stripSlash(serverOverride) : file.server(),
        namespaceOverride != null ? namespaceOverride : file.namespace(), file.tls());
  }

  /** The admin kubeconfig {@code tug up} writes under its default data directory. */
  static Path tugUpKubeconfig() {
    return Path.of(System.getProperty("user.home"), ".tugboat", "kubeconfig");
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
