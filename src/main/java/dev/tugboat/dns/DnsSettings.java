package dev.tugboat.dns;

import com.typesafe.config.Config;
import dev.tugboat.runtime.DnsConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code tugboat.dns} of conf/application.conf: whether the cluster DNS runs, its domain, where it
 * listens ("" is the pod gateway), how long its answers live, and the host's resolvers.
 */
public record DnsSettings(boolean enabled, String clusterDomain, String address, int port, Duration resync,
    Duration ttl, String hostResolvConf, Duration forwardTimeout) {

  public static DnsSettings from(Config config) {
    Config d = config.getConfig("tugboat.dns");
    return new DnsSettings(d.getBoolean("enabled"), d.getString("cluster-domain"), d.getString("address"),
        d.getInt("port"), d.getDuration("resync"), d.getDuration("ttl"), d.getString("host-resolv-conf"),
        d.getDuration("forward-timeout"));
  }

  /**
   * The host's nameservers (port 53) to forward to, without {@code listening}: a host whose
   * resolv.conf names the cluster DNS itself would otherwise send its own queries round for ever.
   */
  public List<InetSocketAddress> upstreams(String listening) {
    return DnsConfig.read(Path.of(hostResolvConf)).servers().stream()
        .filter(server -> !(server.equals(listening) && port == 53))
        .map(server -> new InetSocketAddress(server, 53))
        .filter(a -> !a.isUnresolved())
        .toList();
  }
}
