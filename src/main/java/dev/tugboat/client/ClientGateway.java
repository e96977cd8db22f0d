package dev.tugboat.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import dev.tugboat.model.Selector;
import dev.tugboat.model.Status;
import dev.tugboat.registry.CborSerializable;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * The control-plane side of {@link TugboatClient}: lists and watches of this member's index for
 * members that have none (in-cluster Java services; a client's subscription is an informer that
 * lists and watches through a gateway), found through the receptionist, and creates and deletes,
 * which follow the registry's rules. Reads and updates of single objects need no gateway:
 * clients reach the entities through sharding proxies.
 */
public final class ClientGateway {
  public static final ServiceKey<Request> KEY = ServiceKey.create(Request.class, "tugboat-client-gateway");

  /** What a client asks a gateway. */
  public sealed interface Request extends CborSerializable {}

  /**
   * The objects of a kind in a namespace (null: all), of one name (null: all), that match a label
   * selector (null: all).
   */
  public record ListObjects(String kind, String namespace, String name, String labelSelector, ActorRef<Listed> replyTo)
      implements Request {}

  public record Listed(List<ObjectNode> items, long resourceVersion, String error) implements CborSerializable {}

  /**
   * Changes of a kind (or of one object, {@code name}) from {@code fromVersion} (-1: every current
   * object first, as ADDED) until the subscriber stops, as a watch sends them: ERROR (410 when
   * {@code fromVersion} is too old) included, and an ERROR when the watch ends on the gateway's side,
   * so that the subscriber's informer lists again.
   */
  public record Subscribe(String kind, String namespace, String name, long fromVersion,
      ActorRef<ObjectChanged> subscriber) implements Request {}

  /**
   * Create an object through the registry, so that the rules every create follows (generateName,
   * names, the namespace) hold for clients as for the HTTP API.
   */
  public record CreateObject(String kind, String namespace, ObjectNode object, ActorRef<Result> replyTo)
      implements Request {}

  /** Delete an object in the background, with the finalizers its kind puts on a delete (a Namespace's). */
  public record DeleteObject(String kind, String namespace, String name, ActorRef<Result> replyTo) implements Request {}

  private record SubscriberGone(ActorRef<ObjectChanged> subscriber) implements Request {}

  private ClientGateway() {}

  public static Behavior<Request> create(Registry registry) {
    return Behaviors.setup(context -> {
      context.getSystem().receptionist().tell(Receptionist.register(KEY, context.getSelf()));
      Map<ActorRef<ObjectChanged>, UniqueKillSwitch> subscriptions = new HashMap<>();
      return Behaviors.receive(Request.class)
          .onMessage(ListObjects.class, m -> {
            Predicate<ObjectNode> filter = labels(m.labelSelector()).and(named(m.name()));
            registry.list(m.kind(), m.namespace(), filter, 0, null).whenComplete((list, error) -> m.replyTo().tell(
                error != null ? new Listed(List.of(), 0, error.toString())
                    : list.failure() != null ? new Listed(List.of(), 0, list.failure().message())
                    : new Listed(list.items(), list.resourceVersion(), null)));
            return Behaviors.same();
          })
          .onMessage(CreateObject.class, m -> {
            registry.create(m.kind(), m.namespace(), m.object()).thenAccept(m.replyTo()::tell);
            return Behaviors.same();
          })
          .onMessage(DeleteObject.class, m -> {
            registry.delete(m.kind(), m.namespace(), m.name(), null, null, null,
                registry.strategy(m.kind()).finalizersOnDelete(null)).thenAccept(m.replyTo()::tell);
            return Behaviors.same();
          })
          .onMessage(Subscribe.class, m -> {
            ActorRef<ObjectChanged> subscriber = m.subscriber();
            Pair<UniqueKillSwitch, CompletionStage<Done>> watch =
                registry.watch(m.kind(), m.namespace(), named(m.name()), m.fromVersion(), false)
                    .viaMat(KillSwitches.single(), Keep.right())
                    .toMat(Sink.foreach(e -> subscriber.tell(new ObjectChanged(e.type(), m.kind(), e.object()))),
                        Keep.both())
                    .run(context.getSystem());
            // Cut (its subscriber read too slowly): the subscriber's informer must list again.
            watch.second().whenComplete((done, error) -> {
              if (error != null) {
                subscriber.tell(new ObjectChanged("ERROR", m.kind(),
                    Codec.toObjectNode(Status.serviceUnavailable("the watch ended: " + error.getMessage()))));
              }
            });
            subscriptions.put(subscriber, watch.first());
            context.watchWith(m.subscriber(), new SubscriberGone(m.subscriber()));
            return Behaviors.same();
          })
          .onMessage(SubscriberGone.class, m -> {
            UniqueKillSwitch stop = subscriptions.remove(m.subscriber());
            if (stop != null) stop.shutdown();
            return Behaviors.same();
          })
          .build();
    });
  }

  private static Predicate<ObjectNode> named(String name) {
    return name == null ? o -> true : o -> name.equals(o.path("metadata").path("name").asText());
  }

  private static Predicate<ObjectNode> labels(String selector) {
    if (selector == null || selector.isBlank()) return o -> true;
    Selector parsed = Selector.parse(selector);
    return o -> {
      Map<String, String> labels = new HashMap<>();
      o.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      return parsed.matches(labels);
    };
  }
}
