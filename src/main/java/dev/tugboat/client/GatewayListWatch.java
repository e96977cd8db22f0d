package dev.tugboat.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.registry.ListWatch;
import dev.tugboat.registry.WatchEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSource;

/**
 * A {@link ListWatch} for a member without an index: lists and watches of one kind (in a namespace,
 * of one name) through a control-plane member's {@link ClientGateway}. A watch fails when its
 * gateway's member goes, so the informer lists again, through another gateway.
 */
final class GatewayListWatch implements ListWatch {
  /** Changes buffered for an informer that reads slowly; past it the watch fails and it lists again. */
  private static final int BUFFER = 10_000;

  private final ActorSystem<?> system;
  private final Supplier<CompletionStage<ActorRef<ClientGateway.Request>>> gateway;
  private final Duration timeout;
  private final String kind;
  private final String namespace;
  private final String name;

  GatewayListWatch(ActorSystem<?> system, Supplier<CompletionStage<ActorRef<ClientGateway.Request>>> gateway,
      Duration timeout, String kind, String namespace, String name) {
    this.system = system;
    this.gateway = gateway;
    this.timeout = timeout;
    this.kind = kind;
    this.namespace = namespace;
    this.name = name;
  }

  @Override
  public String kind() {
    return kind;
  }

  @Override
  public CompletionStage<Listing> list() {
    return gateway.get()
        .thenCompose(g -> AskPattern.<ClientGateway.Request, ClientGateway.Listed>ask(g,
            reply -> new ClientGateway.ListObjects(kind, namespace, name, null, reply), timeout, system.scheduler()))
        .thenApply(listed -> {
          if (listed.error() != null) throw new IllegalStateException(listed.error());
          return new Listing(named(listed.items()), listed.resourceVersion());
        });
  }

  @Override
  public Source<WatchEvent, NotUsed> watch(long fromVersion) {
    return Source.completionStage(gateway.get()).flatMapConcat(g ->
        ActorSource.<ObjectChanged>actorRef(c -> false, c -> Optional.empty(), BUFFER, OverflowStrategy.fail())
            .mapMaterializedValue(changes -> {
              g.tell(new ClientGateway.Subscribe(kind, namespace, name, fromVersion, changes));
              return NotUsed.getInstance();
            })
            .watch(Adapter.toClassic(g))
            .map(c -> new WatchEvent(c.type(), c.object())));
  }

  /** A gateway of an older version lists the whole kind: only the named object is this subscription's. */
  private List<ObjectNode> named(List<ObjectNode> items) {
    if (name == null) return items;
    return items.stream().filter(o -> name.equals(o.path("metadata").path("name").asText())).toList();
  }
}
