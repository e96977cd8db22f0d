package dev.tugboat.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

/**
 * The host's resolvers, to which names outside the cluster are forwarded (CoreDNS's
 * {@code forward . /etc/resolv.conf}): tried in order of the file, as a stub resolver does. A UDP
 * client's query goes over UDP and a truncated answer comes back truncated (the client then asks
 * again over TCP, as it would of any server); a TCP client's goes over TCP.
 */
public final class Upstream {
  private final List<InetSocketAddress> servers;
  private final Resolver udp;
  private final Resolver tcp;

  /** @param servers nameservers in order; none: every forward fails at once (SERVFAIL) */
  public Upstream(List<InetSocketAddress> servers, Duration timeout) {
    this.servers = List.copyOf(servers);
    this.udp = servers.isEmpty() ? null : resolver(servers, timeout, false);
    this.tcp = servers.isEmpty() ? null : resolver(servers, timeout, true);
  }

  private static Resolver resolver(List<InetSocketAddress> servers, Duration timeout, boolean overTcp) {
    Resolver[] each = servers.stream().map(address -> {
      SimpleResolver r = new SimpleResolver(address);
      r.setTCP(overTcp);
      r.setIgnoreTruncation(true);
      // No OPT of our own: the client's query goes as it came, with its EDNS or without.
      r.setEDNS(-1, 0, 0, List.of());
      r.setTimeout(timeout.dividedBy(servers.size()));
      return (Resolver) r;
    }).toArray(Resolver[]::new);
    ExtendedResolver all = new ExtendedResolver(each);
    all.setLoadBalance(false);
    all.setRetries(1);
    all.setTimeout(timeout);
    return all;
  }

  public List<InetSocketAddress> servers() {
    return servers;
  }

  /** The upstream's response to {@code query}, under the query's own id; fails when none answers in time. */
  public CompletionStage<Message> forward(Message query, boolean overTcp) {
    Resolver resolver = overTcp ? tcp : udp;
    if (resolver == null) return CompletableFuture.failedFuture(new IllegalStateException("no upstream nameserver"));
    int id = query.getHeader().getID();
    return resolver.sendAsync(query.clone()).thenApply(response -> {
      response.getHeader().setID(id);
      return response;
    });
  }

  @Override
  public String toString() {
    return "Upstream" + servers;
  }
}
