package dev.tugboat.client;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.discovery.Lookup;
import org.apache.pekko.discovery.ServiceDiscovery;
import scala.Option;
import scala.concurrent.Future;
import scala.concurrent.duration.FiniteDuration;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;

/**
 * A Pekko Discovery method backed by Tugboat: with {@code pekko.discovery.method = tugboat} any
 * Pekko-based service in the cluster resolves {@code my-service.my-namespace} (and SRV-style
 * {@code _http._tcp.my-service.my-namespace}, or a Lookup with a port name) to the Service's ready
 * endpoints, through {@link TugboatClient}. Pekko creates it from {@code pekko.discovery.tugboat.class}.
 *
 * <p>Tugboat's jar does not carry pekko-discovery (a service brings its own, of its Pekko version).
 */
public final class TugboatServiceDiscovery extends ServiceDiscovery {
  private final TugboatClient client;

  public TugboatServiceDiscovery(ExtendedActorSystem system) {
    this.client = TugboatClient.create(Adapter.toTyped(system));
  }

  @Override
  public Future<Resolved> lookup(Lookup lookup, FiniteDuration resolveTimeout) {
    // The name as ServiceResolver reads it (svc.ns, or SRV-style); a Lookup's own port name wins.
    ServiceResolver.Lookup name = ServiceResolver.Lookup.parse(lookup.serviceName());
    String portName = lookup.getPortName().orElse(name.portName());
    CompletionStage<Resolved> resolved = client.endpoints(name.namespace(), name.service(), portName).thenApply(endpoints -> {
      List<ResolvedTarget> targets = endpoints.stream()
          .map(e -> ServiceDiscovery.ResolvedTarget$.MODULE$.apply(e.host(), Option.apply((Object) e.port()), Option.empty()))
          .toList();
      return ServiceDiscovery.Resolved$.MODULE$.apply(lookup.serviceName(), CollectionConverters.asScala(targets).toList());
    });
    return FutureConverters.asScala(resolved);
  }
}
