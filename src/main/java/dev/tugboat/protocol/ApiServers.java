package dev.tugboat.protocol;

import dev.tugboat.registry.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * The members serving the API, as kube-apiserver's master endpoints reconciler knows its peers:
 * each control-plane member registers an announcer under {@link #KEY} once its API is bound, and
 * the {@code kubernetes-service} controller asks each for its address. The receptionist drops a
 * member that leaves or is downed, so the {@code kubernetes} Service's Endpoints follow membership
 * with nothing persisted per member and nothing to expire.
 */
public final class ApiServers {
  private ApiServers() {}

  public static final ServiceKey<Query> KEY = ServiceKey.create(Query.class, "api-servers");

  /** Asks a member where its API listens. */
  public record Query(ActorRef<Address> replyTo) implements CborSerializable {}

  /** Where a member's API listens: an address other members and the proxy reach, and its port. */
  public record Address(String ip, int port) implements CborSerializable {}

  /** The announcer of a member whose API listens at {@code ip}:{@code port}. */
  public static Behavior<Query> announcer(String ip, int port) {
    return Behaviors.setup(context -> {
      context.getSystem().receptionist().tell(Receptionist.register(KEY, context.getSelf()));
      return Behaviors.receiveMessage(q -> {
        q.replyTo().tell(new Address(ip, port));
        return Behaviors.same();
      });
    });
  }
}
