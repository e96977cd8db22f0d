package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Codec;
import dev.tugboat.security.ClusterCa;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * What {@code tug} takes from a kubeconfig, as kubectl reads it: the files of {@code --kubeconfig} or
 * {@code $KUBECONFIG} (a path list; the first file naming an entry wins), the context of
 * {@code --context} or {@code current-context}, and from it the cluster's server and CA, the
 * user's client certificate and key (inline {@code -data} or file paths) and the namespace.
 */
record KubeconfigFile(String server, String namespace, SSLContext tls) {

  /** The files to read: {@code explicit} when given, else {@code $KUBECONFIG}'s; empty when neither is set. */
  static List<Path> files(String explicit) {
    String list = explicit != null ? explicit : System.getenv("KUBECONFIG");
    List<Path> files = new ArrayList<>();
    if (list == null || list.isBlank()) return files;
    for (String p : list.split(File.pathSeparator)) if (!p.isBlank()) files.add(Path.of(p));
    return files;
  }

  /** The chosen context's settings; a CliException when the files do not name it. */
  static KubeconfigFile load(List<Path> files, String contextOverride) {
    List<JsonNode> docs = new ArrayList<>();
    for (Path f : files) {
      if (!Files.isRegularFile(f)) continue;
      try {
        docs.add(Codec.parseTree(Files.readAllBytes(f), true));
      } catch (IOException | Codec.DecodeException e) {
        throw new CliException("cannot read kubeconfig " + f + ": " + e.getMessage());
      }
    }
    if (docs.isEmpty()) throw new CliException("no kubeconfig file found in " + files);
    String contextName = contextOverride != null ? contextOverride
        : docs.stream().map(d -> d.path("current-context").asText("")).filter(s -> !s.isEmpty()).findFirst()
            .orElseThrow(() -> new CliException("the kubeconfig has no current-context; name one with --context"));
    JsonNode context = entry(docs, "contexts", contextName, "context")
        .orElseThrow(() -> new CliException("context \"" + contextName + "\" is not in the kubeconfig"));
    String clusterName = context.path("cluster").asText();
    JsonNode cluster = entry(docs, "clusters", clusterName, "cluster")
        .orElseThrow(() -> new CliException("cluster \"" + clusterName + "\" is not in the kubeconfig"));
    JsonNode user = entry(docs, "users", context.path("user").asText(), "user").orElse(null);
    String server = cluster.path("server").asText("");
    if (server.isEmpty()) throw new CliException("cluster \"" + clusterName + "\" has no server");
    SSLContext tls = null;
    if (server.startsWith("https://")) {
      String ca = pem(cluster, "certificate-authority");
      String cert = user == null ? null : pem(user, "client-certificate");
      String key = user == null ? null : pem(user, "client-key");
      if (ca == null) throw new CliException("cluster \"" + clusterName + "\" has no certificate-authority(-data)");
      tls = ClusterCa.clientContext(ca, cert != null && key != null ? new ClusterCa.Pair(cert, key) : null);
    }
    String namespace = context.path("namespace").asText("");
    return new KubeconfigFile(server.endsWith("/") ? server.substring(0, server.length() - 1) : server,
        namespace.isEmpty() ? null : namespace, tls);
  }

  private static Optional<JsonNode> entry(List<JsonNode> docs, String list, String name, String field) {
    for (JsonNode d : docs) {
      for (JsonNode e : d.path(list)) if (name.equals(e.path("name").asText())) return Optional.of(e.path(field));
    }
    return Optional.empty();
  }

  /** {@code <field>-data} (base64 PEM) or {@code <field>} (a PEM file's path); null when neither. */
  private static String pem(JsonNode node, String field) {
    String data = node.path(field + "-data").asText("");
    if (!data.isEmpty()) return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
    String file = node.path(field).asText("");
    if (file.isEmpty()) return null;
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
  }
}
