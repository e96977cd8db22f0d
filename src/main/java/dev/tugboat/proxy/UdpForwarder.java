package dev.tugboat.proxy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.ReceiveTimeout;
import org.apache.pekko.io.Udp;
import org.apache.pekko.io.UdpConnected;
import org.apache.pekko.io.UdpConnectedMessage;
import org.apache.pekko.io.UdpMessage;
import org.apache.pekko.util.ByteString;

/**
 * One UDP Service port on one address: a socket bound there (Pekko IO's UDP), and per client a
 * session, a socket connected to the endpoint the route chose for that client (round robin, or
 * ClientIP affinity), through which its datagrams go and the endpoint's answers come back, sent to
 * the client from the Service's address. UDP has no connections: a session ends after
 * {@code idleTimeout} without a datagram either way, as kube-proxy's conntrack entries do. There
 * are at most {@value #MAX_SESSIONS} at once per port; a datagram of a new client beyond that is
 * dropped (UDP may drop: the client sends again).
 *
 * <p>A classic actor, because Pekko's UDP is classic IO; the service proxy spawns it as its child.
 */
final class UdpForwarder extends AbstractActor {
  static final int MAX_SESSIONS = 1024;
  /** Datagrams of a new session held while its socket connects; more are dropped. */
  private static final int MAX_PENDING = 16;

  private final InetSocketAddress address;
  private final Route route;
  private final Duration idleTimeout;
  private final Consumer<String> onBindFailed;
  private final Map<InetSocketAddress, ActorRef> sessions = new HashMap<>();
  private final Map<ActorRef, InetSocketAddress> clients = new HashMap<>();
  private ActorRef socket;

  private UdpForwarder(InetSocketAddress address, Route route, Duration idleTimeout, Consumer<String> onBindFailed) {
    this.address = address;
    this.route = route;
    this.idleTimeout = idleTimeout;
    this.onBindFailed = onBindFailed;
  }

  /** @param onBindFailed told why when the address cannot be bound (the forwarder then stops) */
  static Props props(InetSocketAddress address, Route route, Duration idleTimeout, Consumer<String> onBindFailed) {
    return Props.create(UdpForwarder.class, () -> new UdpForwarder(address, route, idleTimeout, onBindFailed));
  }

  @Override
  public void preStart() {
    Udp.get(getContext().getSystem()).getManager().tell(UdpMessage.bind(getSelf(), address), getSelf());
  }

  @Override
  public void postStop() {
    if (socket != null) socket.tell(UdpMessage.unbind(), getSelf());
  }

  @Override
  public Receive createReceive() {
    return receiveBuilder()
        .match(Udp.Bound.class, b -> socket = getSender())
        .match(Udp.CommandFailed.class, f -> {
          onBindFailed.accept("cannot bind UDP " + address);
          getContext().stop(getSelf());
        })
        .match(Udp.Received.class, this::fromClient)
        .match(Answer.class, a -> {
          if (socket != null) socket.tell(UdpMessage.send(a.data(), a.client()), getSelf());
        })
        .match(org.apache.pekko.actor.Terminated.class, t -> {
          InetSocketAddress client = clients.remove(t.getActor());
          if (client != null) sessions.remove(client);
        })
        .build();
  }

  private void fromClient(Udp.Received r) {
    ActorRef session = sessions.get(r.sender());
    if (session == null) {
      if (sessions.size() >= MAX_SESSIONS) return;
      ServiceBackends.Backend backend = route.choose(r.sender().getAddress());
      if (backend == null) {
        ProxyMetrics.rejected(route.service);
        return;
      }
      ProxyMetrics.connection(route.service);
      session = getContext().actorOf(Session.props(new InetSocketAddress(backend.host(), backend.port()), r.sender(),
          route.service, idleTimeout));
      getContext().watch(session);
      sessions.put(r.sender(), session);
      clients.put(session, r.sender());
    }
    ProxyMetrics.bytesIn(route.service).inc(r.data().size());
    session.tell(new Datagram(r.data()), getSelf());
  }

  private record Datagram(ByteString data) {}

  private record Answer(ByteString data, InetSocketAddress client) {}

  /** One client's datagrams to its endpoint and back, over a socket connected to the endpoint. */
  static final class Session extends AbstractActor {
    private final InetSocketAddress endpoint;
    private final InetSocketAddress client;
    private final String service;
    private final List<ByteString> pending = new ArrayList<>();
    private ActorRef connection;

    private Session(InetSocketAddress endpoint, InetSocketAddress client, String service, Duration idleTimeout) {
      this.endpoint = endpoint;
      this.client = client;
      this.service = service;
      getContext().setReceiveTimeout(idleTimeout);
    }

    static Props props(InetSocketAddress endpoint, InetSocketAddress client, String service, Duration idleTimeout) {
      return Props.create(Session.class, () -> new Session(endpoint, client, service, idleTimeout));
    }

    @Override
    public void preStart() {
      UdpConnected.get(getContext().getSystem()).getManager().tell(UdpConnectedMessage.connect(getSelf(), endpoint), getSelf());
    }

    @Override
    public void postStop() {
      if (connection != null) connection.tell(UdpConnectedMessage.disconnect(), getSelf());
    }

    @Override
    public Receive createReceive() {
      return receiveBuilder()
          .match(UdpConnected.Connected.class, c -> {
            connection = getSender();
            getContext().watch(connection);
            pending.forEach(d -> connection.tell(UdpConnectedMessage.send(d), getSelf()));
            pending.clear();
          })
          .match(UdpConnected.CommandFailed.class, f -> getContext().stop(getSelf()))
          .match(Datagram.class, d -> {
            if (connection != null) connection.tell(UdpConnectedMessage.send(d.data()), getSelf());
            else if (pending.size() < MAX_PENDING) pending.add(d.data());
          })
          .match(UdpConnected.Received.class, r -> {
            ProxyMetrics.bytesOut(service).inc(r.data().size());
            getContext().getParent().tell(new Answer(r.data(), client), getSelf());
          })
          .match(UdpConnected.Disconnected.class, d -> getContext().stop(getSelf()))
          .match(ReceiveTimeout.class, t -> getContext().stop(getSelf()))
          .match(org.apache.pekko.actor.Terminated.class, t -> getContext().stop(getSelf()))
          .build();
    }
  }
}
