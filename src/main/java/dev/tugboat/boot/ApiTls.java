package dev.tugboat.boot;

import com.typesafe.config.Config;
import dev.tugboat.kinds.service.KubernetesService;
import dev.tugboat.security.ClusterCa;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The API's TLS as configured under {@code tugboat.api.tls}: the cluster CA (in {@code pki-dir},
 * default {@code <data-dir>/pki}) and the names its serving certificate carries (localhost,
 * 127.0.0.1, the host name, the configured API host, the {@code kubernetes} Service's names and
 * cluster IP, and {@code extra-sans}). Members of one cluster
 * serve with one CA by being given the same {@code pki-dir} (a shared or copied directory): the CA
 * key is a file an operator can reason about, not a secret hidden in the journal.
 */
public record ApiTls(ClusterCa ca, List<String> serverNames) {
  /** Empty when TLS is off ({@code tugboat.api.tls.enabled = off}); otherwise the CA, loaded or created. */
  public static Optional<ApiTls> from(Config config, TugboatSettings settings) {
    if (!config.getBoolean("tugboat.api.tls.enabled")) return Optional.empty();
    List<String> names = serverNames(config, settings);
    return Optional.of(new ApiTls(ClusterCa.loadOrCreate(pkiDir(config, settings), names), names));
  }

  /** The cluster CA's directory: {@code tugboat.api.tls.pki-dir}, else {@code <data-dir>/pki}. */
  static Path pkiDir(Config config, TugboatSettings settings) {
    String dir = config.getString("tugboat.api.tls.pki-dir");
    return (dir.isBlank() ? settings.dataDir().resolve("pki") : Path.of(dir)).toAbsolutePath();
  }

  /** The names the API's serving certificate carries. */
  static List<String> serverNames(Config config, TugboatSettings settings) {
    List<String> names = new ArrayList<>(List.of("localhost", "127.0.0.1", hostName(), settings.apiHost()));
    // What a pod reaches the API by: the kubernetes Service's names and cluster IP (KubernetesService)
    names.addAll(KubernetesService.dnsNames(config.getString("tugboat.dns.cluster-domain")));
    names.add(KubernetesService.clusterIp(Tugboat.clusterIpRange(config)));
    names.addAll(config.getStringList("tugboat.api.tls.extra-sans"));
    return List.copyOf(names);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName().toLowerCase();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
