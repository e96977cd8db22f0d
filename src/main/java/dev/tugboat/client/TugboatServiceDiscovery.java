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
  private final ServiceResolver resolver;

  public TugboatServiceDiscovery(ExtendedActorSystem system) {
    this.resolver = new ServiceResolver(TugboatClient.create(Adapter.toTyped(system)));
  }

  @Override
  public Future<Resolved> lookup(Lookup lookup, FiniteDuration resolveTimeout) {
    String name = lookup.getPortName().map(port -> "_" + port + "._" + lookup.getProtocol().orElse("tcp") + "."
        + lookup.serviceName()).orElse(lookup.serviceName());
    CompletionStage<Resolved> resolved = resolver.resolve(name).thenApply(endpoints -> {
      List<ResolvedTarget> targets = endpoints.stream()
          .map(e -> ServiceDiscovery.ResolvedTarget$.MODULE$.apply(e.host(), Option.apply((Object) e.port()), Option.empty()))
          .toList();
      return ServiceDiscovery.Resolved$.MODULE$.apply(lookup.serviceName(), CollectionConverters.asScala(targets).toList());
    });
    return FutureConverters.asScala(resolved);
  }
}
