package dev.tugboat.proxy.ingress;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The ingress controller's configuration ({@code tugboat.proxy.ingress} in conf/application.conf).
 *
 * @param address where it listens (the node's address unless configured)
 * @param httpPort plain HTTP; 8081 by default (80 where a member may bind it)
 * @param httpsPort TLS, certificates chosen by SNI; 8443 by default
 * @param maxConnectionsPerEndpoint connections kept open to one pod at most (Pekko's pool default, 4, queues requests)
 * @param maxOpenRequests requests waiting for a connection to one pod at most (a power of two)
 * @param idleTimeout how long a client's connection may stay open with nothing sent either way
 * @param resync how often listeners that could not bind are tried again
 * @param nodeAddress this member's node address: pods whose {@code status.hostIP} it is run on this host
 * @param podNetwork whether this host's pods are reached at their pod IP and container port rather than
 *     through the host port Docker publishes (and its userland proxy)
 */
public record IngressSettings(boolean enabled, String address, int httpPort, int httpsPort,
    int maxConnectionsPerEndpoint, int maxOpenRequests, Duration idleTimeout, Duration resync,
    String nodeAddress, boolean podNetwork) {

  /** From {@code tugboat.proxy}: the ingress section, and the proxy's resync. */
  public static IngressSettings from(Config config, String nodeAddress) {
    Config proxy = config.getConfig("tugboat.proxy");
    Config c = proxy.getConfig("ingress");
    String address = c.getString("address");
    return new IngressSettings(c.getBoolean("enabled"), address.isBlank() ? nodeAddress : address,
        c.getInt("http-port"), c.getInt("https-port"), c.getInt("max-connections-per-endpoint"),
        c.getInt("max-open-requests"), c.getDuration("idle-timeout"), proxy.getDuration("resync"),
        nodeAddress, c.getBoolean("local-pods-by-pod-ip"));
  }
}
