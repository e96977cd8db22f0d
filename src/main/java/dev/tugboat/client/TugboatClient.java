package dev.tugboat.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Status;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.ListWatch;
import dev.tugboat.registry.ObjectEntity;
import dev.tugboat.registry.Requester;
import dev.tugboat.registry.WriteOptions;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

/**
 * Tugboat for a Java service inside the cluster: its own ActorSystem joins the Tugboat cluster
 * (with a role that is neither {@code control-plane} nor {@code worker}, say {@code client}) and
 * talks to Tugboat by actor messages, no HTTP: single objects through sharding proxies to their
 * entities, lists and subscriptions through a {@link ClientGateway} found with the receptionist.
 *
 * <pre>{@code
 * TugboatClient tugboat = TugboatClient.create(system);
 * tugboat.endpoints("default", "web", "http").thenAccept(list -> ...);
 * tugboat.subscribe("Pod", "default", null, myActor);   // ObjectChanged messages
 * }</pre>
 *
 * Objects are Kubernetes JSON ({@link ObjectNode}); {@link ObjectChanged#as} and the model's
 * records give them types.
 */
public final class TugboatClient {
  /** A ready endpoint of a Service port: where to connect, and the pod behind it. */
  public record Endpoint(String host, int port, String pod) {}

  /** A request Tugboat refused, with its Kubernetes Status (code, reason, message). */
  public static final class TugboatException extends RuntimeException {
    private final transient Status status;

    TugboatException(Status status) {
      super(status.code() + " " + status.reason() + ": " + status.message());
      this.status = status;
    }

    public Status status() {
      return status;
    }
  }

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final Duration timeout;

  private TugboatClient(ActorSystem<?> system, Duration timeout) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.timeout = timeout;
    for (ResourceType type : ResourceType.all()) {
      // On a member without the control-plane role this starts only a proxy: the factory never runs.
      sharding.init(Entity.of(ObjectEntity.typeKey(type.kind()), ctx -> Behaviors.<ObjectEntity.Command>empty())
          .withRole(Registry.CONTROL_PLANE_ROLE));
    }
  }

  /** A client for a system that is (or is joining) a member of the Tugboat cluster. */
  public static TugboatClient create(ActorSystem<?> system) {
    return new TugboatClient(system, Duration.ofSeconds(10));
  }

  /** The object, or empty when there is none. */
  public CompletionStage<Optional<ObjectNode>> get(String kind, String namespace, String name) {
    return ask(kind, namespace, name, ObjectEntity.Get::new).thenApply(r -> {
      if (r instanceof Result.Ok ok) return Optional.of(ok.object());
      Status s = ((Result.Failed) r).status();
      if (s.code() == 404) return Optional.empty();
      throw new TugboatException(s);
    });
  }

  /** Objects of a kind in a namespace (null: every namespace), matching a label selector (null: all). */
  public CompletionStage<List<ObjectNode>> list(String kind, String namespace, String labelSelector) {
    return gateway().thenCompose(gateway -> AskPattern.<ClientGateway.Request, ClientGateway.Listed>ask(gateway,
            reply -> new ClientGateway.ListObjects(kind, namespace, null, labelSelector, reply), timeout,
            system.scheduler()))
        .thenApply(listed -> {
          if (listed.error() != null) throw new IllegalStateException(listed.error());
          return listed.items();
        });
  }

  /**
   * Creates the object, or replaces the current one's spec, labels and annotations (status and
   * system fields stay the server's), as a declarative apply expects.
   */
  public CompletionStage<ObjectNode> apply(ObjectNode object) {
    String kind = object.path("kind").asText();
    String namespace = namespaced(kind) ? object.path("metadata").path("namespace").asText("default") : null;
    if (namespace != null) object.with("metadata").put("namespace", namespace);
    String name = object.path("metadata").path("name").asText();
    return viaGateway(reply -> new ClientGateway.CreateObject(kind, namespace, object, reply)).thenCompose(created -> {
      if (created instanceof Result.Ok ok) return CompletableFuture.completedFuture(ok.object());
      Status refused = ((Result.Failed) created).status();
      if (refused.code() != 409) throw new TugboatException(refused);
      return ask(kind, namespace, name, ObjectEntity.Get::new).thenCompose(current -> {
        if (!(current instanceof Result.Ok ok)) throw new TugboatException(((Result.Failed) current).status());
        ObjectNode replacement = object.deepCopy();
        ObjectNode meta = replacement.with("metadata");
        meta.put("resourceVersion", ok.object().path("metadata").path("resourceVersion").asText());
        if (ok.object().path("status").isObject()) replacement.set("status", ok.object().path("status"));
        return ask(kind, namespace, name, reply -> new ObjectEntity.Update(replacement, false, null,
            WriteOptions.NONE.withRequester(Requester.inClusterClient()), reply));
      }).thenApply(updated -> {
        if (updated instanceof Result.Ok ok) return ok.object();
        throw new TugboatException(((Result.Failed) updated).status());
      });
    });
  }

  /** Deletes the object (with its default grace period); true when it existed. */
  public CompletionStage<Boolean> delete(String kind, String namespace, String name) {
    return viaGateway(reply -> new ClientGateway.DeleteObject(kind, namespace, name, reply)).thenApply(r -> {
      if (r instanceof Result.Ok) return true;
      Status s = ((Result.Failed) r).status();
      if (s.code() == 404) return false;
      throw new TugboatException(s);
    });
  }

  /**
   * The ready endpoints of a Service's port ({@code portName} null: its only or first port), from
   * its Endpoints object: where a connection to the Service may go now.
   */
  public CompletionStage<List<Endpoint>> endpoints(String namespace, String service, String portName) {
    return get("Endpoints", namespace, service).thenApply(found -> {
      List<Endpoint> ready = new ArrayList<>();
      found.ifPresent(endpoints -> {
        for (JsonNode subset : endpoints.path("subsets")) {
          JsonNode port = null;
          for (JsonNode p : subset.path("ports")) {
            if (portName == null || portName.equals(p.path("name").asText(null))) {
              port = p;
              break;
            }
          }
          if (port == null) continue;
          for (JsonNode address : subset.path("addresses")) {
            ready.add(new Endpoint(address.path("ip").asText(), port.path("port").asInt(),
                address.path("targetRef").path("name").asText(null)));
          }
        }
      });
      return ready;
    });
  }

  /**
   * Sends every change of the kind in the namespace (null: all), or of one object ({@code name}),
   * to {@code subscriber} as {@link ObjectChanged}, starting with every current object as ADDED.
   * The subscription follows the gateway when its member goes, telling what changed meanwhile
   * (what was deleted, as DELETED); it ends when the subscriber stops.
   */
  public void subscribe(String kind, String namespace, String name, ActorRef<ObjectChanged> subscriber) {
    ListWatch source = new GatewayListWatch(system, this::gateway, timeout, kind, namespace, name);
    system.systemActorOf(Subscription.create(source, subscriber), "tugboat-subscription-"
        + java.util.UUID.randomUUID(), Props.empty());
  }

  /**
   * One subscription's client side: an {@link Informer} that lists and watches through a gateway
   * (another one when its member goes, telling only what changed meanwhile), and forwards its
   * changes; it stops when the subscriber does.
   */
  private static final class Subscription {
    static Behavior<Informer.Event> create(ListWatch source, ActorRef<ObjectChanged> subscriber) {
      return Behaviors.setup(context -> {
        context.watch(subscriber);
        context.spawn(Informer.create(source, context.getSelf()), "informer");
        return Behaviors.receive(Informer.Event.class)
            .onMessage(Informer.Added.class, e -> forward(subscriber, "ADDED", e))
            .onMessage(Informer.Modified.class, e -> forward(subscriber, "MODIFIED", e))
            .onMessage(Informer.Deleted.class, e -> forward(subscriber, "DELETED", e))
            .onMessage(Informer.Event.class, synced -> Behaviors.same()) // a subscriber is told changes only
            .onSignal(org.apache.pekko.actor.typed.Terminated.class, t -> Behaviors.stopped())
            .build();
      });
    }

    private static Behavior<Informer.Event> forward(ActorRef<ObjectChanged> subscriber, String type,
        Informer.ObjectEvent e) {
      subscriber.tell(new ObjectChanged(type, e.kind(), e.object()));
      return Behaviors.same();
    }
  }

  private CompletionStage<ActorRef<ClientGateway.Request>> gateway() {
    return AskPattern.<Receptionist.Command, Receptionist.Listing>ask(system.receptionist(),
            reply -> Receptionist.find(ClientGateway.KEY, reply), timeout, system.scheduler())
        .thenApply(listing -> {
          var all = listing.getServiceInstances(ClientGateway.KEY);
          if (all.isEmpty()) throw new IllegalStateException("no Tugboat control-plane member is reachable");
          return all.iterator().next();
        });
  }

  private CompletionStage<Result> viaGateway(Function<ActorRef<Result>, ClientGateway.Request> request) {
    return gateway().thenCompose(gateway -> AskPattern.ask(gateway, request::apply, timeout, system.scheduler()));
  }

  private CompletionStage<Result> ask(String kind, String namespace, String name,
      Function<ActorRef<Result>, ObjectEntity.Command> command) {
    return sharding.entityRefFor(ObjectEntity.typeKey(kind), ObjectEntity.entityId(namespace, name))
        .ask(command::apply, timeout);
  }

  private static boolean namespaced(String kind) {
    return ResourceType.all().stream().filter(t -> t.kind().equals(kind)).findFirst()
        .map(ResourceType::namespaced).orElseThrow(() -> new IllegalArgumentException("no such kind: " + kind));
  }
}
