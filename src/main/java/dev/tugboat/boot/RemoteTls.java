package dev.tugboat.boot;

import com.typesafe.config.Config;
import dev.tugboat.client.RemotingTls;
import dev.tugboat.security.ClusterCa;
import java.nio.file.Path;

/**
 * Remoting between members over TLS ({@code tugboat.remote.tls.enabled}): {@link RemotingTls} on
 * the cluster CA's {@code member} pair, the CA created first when absent. Both sides present a
 * certificate and check the other's: it must come from the cluster CA and name what this
 * member's names ({@link ClusterCa#MEMBER_NAME}). So a JVM without the CA's files cannot connect,
 * let alone join and be handed the rights of a member (docs/security.md).
 */
final class RemoteTls {
  private RemoteTls() {}

  /** {@code config} with Artery over TLS when it asks for it (the CA created first if absent). */
  static Config apply(Config config, TugboatSettings settings) {
    if (!config.getBoolean("tugboat.remote.tls.enabled")) return config;
    Path pki = ApiTls.pkiDir(config, settings);
    ClusterCa.loadOrCreate(pki, ApiTls.serverNames(config, settings));
    return RemotingTls.config(pki).withFallback(config);
  }
}
