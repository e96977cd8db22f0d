package dev.tugboat.dns;

import dev.tugboat.kinds.service.ClusterIpRange;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Tcp;

/**
 * The cluster DNS of one worker member: follows Services, Endpoints and Pods on the member's index
 * (an {@link Informer} each) into a {@link ServiceDirectory}, and serves it on UDP and TCP at one
 * address and port through a {@link QueryHandler}.
 *
 * <p>Several members on one host want the same address (the pod gateway, port 53). The first to
 * bind holds it; the others find it taken, say so once, and try again every resync, so that one of
 * them takes over within that period when the holder stops. Whichever answers, the answers are the
 * same: every member's index holds the same objects. UDP and TCP are bound and retried apart.
 */
public final class ClusterDns {
  private sealed interface Msg {}

  private record Informed(Informer.Event event) implements Msg {}

  private record TcpBound(Tcp.ServerBinding binding) implements Msg {}

  private record TcpFailed(String why) implements Msg {}

  private enum Tick implements Msg { INSTANCE }

  private final ActorContext<Msg> context;
  private final InetSocketAddress address;
  private final ServiceDirectory directory = new ServiceDirectory();
  private final QueryHandler handler;
  private DnsServer.UdpListener udp;
  private CompletionStage<Tcp.ServerBinding> tcpBinding;
  private Tcp.ServerBinding tcp;
  private boolean udpFailureSaid;
  private boolean tcpFailureSaid;

  private ClusterDns(ActorContext<Msg> context, DnsSettings settings, ClusterIpRange clusterIps, String host) {
    this.context = context;
    this.address = new InetSocketAddress(host, settings.port());
    List<InetSocketAddress> upstreams = settings.upstreams(host);
    this.handler = new QueryHandler(new ClusterResolver(settings.clusterDomain(), clusterIps,
        settings.ttl().toSeconds(), System.currentTimeMillis() / 1000), directory, new Upstream(upstreams, settings.forwardTimeout()));
    context.getLog().info("Cluster DNS for {} on {}:{} (UDP and TCP); other names go to {}", settings.clusterDomain(),
        host, settings.port(), upstreams.isEmpty() ? "no resolver (the host's resolv.conf names none)" : upstreams);
  }

  /**
   * @param host the address to listen on: {@code tugboat.dns.address}, or the pod gateway
   */
  public static Behavior<Void> create(Registry registry, DnsSettings settings, ClusterIpRange clusterIps, String host) {
    return Behaviors.<Msg>setup(context -> Behaviors.withTimers(timers -> {
      ClusterDns dns = new ClusterDns(context, settings, clusterIps, host);
      ActorRef<Informer.Event> informed = context.messageAdapter(Informer.Event.class, Informed::new);
      for (String kind : List.of("Service", "Endpoints", "Pod")) {
        context.spawn(Informer.create(registry, Informer.Selection.of(kind), informed), kind.toLowerCase() + "-informer");
      }
      dns.bind();
      timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.resync());
      return Behaviors.receive(Msg.class)
          .onMessage(Informed.class, i -> {
            dns.onInformed(i.event());
            return Behaviors.same();
          })
          .onMessageEquals(Tick.INSTANCE, () -> {
            dns.bind();
            return Behaviors.same();
          })
          .onMessage(TcpBound.class, b -> {
            dns.tcp = b.binding();
            if (dns.tcpFailureSaid) context.getLog().info("Cluster DNS: now listening on TCP {}", dns.address);
            dns.tcpFailureSaid = false;
            return Behaviors.same();
          })
          .onMessage(TcpFailed.class, f -> {
            dns.tcpBinding = null;
            if (!dns.tcpFailureSaid) {
              context.getLog().warn("Cluster DNS: cannot listen on TCP {} ({}); trying again every resync", dns.address, f.why());
              dns.tcpFailureSaid = true;
            }
            return Behaviors.same();
          })
          .onSignal(PostStop.class, s -> {
            dns.close();
            return Behaviors.same();
          })
          .build();
    })).unsafeCast();
  }

  private void onInformed(Informer.Event event) {
    // Synced and Relisted bring nothing: what they speak of came as changes before them.
    if (!(event instanceof Informer.ObjectEvent change)) return;
    ObjectNode object = change.object();
    if (change instanceof Informer.Deleted) directory.remove(change.kind(), object);
    else directory.put(change.kind(), object);
  }

  /** Binds what is not bound: at start and every resync. */
  private void bind() {
    if (udp == null) {
      try {
        udp = DnsServer.bindUdp(address, handler::handle);
        if (udpFailureSaid) context.getLog().info("Cluster DNS: now listening on UDP {}", address);
        udpFailureSaid = false;
      } catch (IOException | RuntimeException e) {
        if (!udpFailureSaid) {
          context.getLog().warn("Cluster DNS: cannot listen on UDP {} ({}); trying again every resync", address, e.toString());
          udpFailureSaid = true;
        }
      }
    }
    if (tcp == null && tcpBinding == null) {
      tcpBinding = DnsServer.bindTcp(context.getSystem(), address, handler::handle);
      ActorRef<Msg> self = context.getSelf();
      tcpBinding.whenComplete((b, error) -> self.tell(error == null ? new TcpBound(b) : new TcpFailed(error.getMessage())));
    }
  }

  private void close() {
    if (udp != null) udp.close();
    if (tcp != null) tcp.unbind();
    else if (tcpBinding != null) tcpBinding.thenAccept(Tcp.ServerBinding::unbind);
  }
}
