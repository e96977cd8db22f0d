package dev.tugboat.registry;

import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * Where this member's change feeds are, for a consistent list on any member: asked for a kind, it
 * passes the question to the kind's feed here, which answers after every change handed to it before
 * (see {@link ChangeFeed}). One per member, found through the receptionist. A list that waits until
 * its member's index has every change the feeds of all members had numbered when it asked reflects
 * every write acknowledged before it began: the read index of etcd's linearizable reads, by feed.
 */
final class FeedPositions {
  /** The receptionist's key of the members' {@code FeedPositions}. */
  static final ServiceKey<Ask> KEY = ServiceKey.create(Ask.class, "tugboat-feed-positions");

  /** Asks for the position of this member's feed of {@code kind}. */
  record Ask(String kind, ActorRef<ChangeFeed.Positioned> replyTo) implements CborSerializable {}

  private FeedPositions() {}

  /** Answers for the feeds in {@code feeds}, a live map (kinds served later are added to it). */
  static Behavior<Ask> create(Map<String, ActorRef<Object>> feeds) {
    return Behaviors.setup(context -> {
      context.getSystem().receptionist().tell(Receptionist.register(KEY, context.getSelf()));
      return Behaviors.receiveMessage(ask -> {
        ActorRef<Object> feed = feeds.get(ask.kind());
        if (feed == null) ask.replyTo().tell(new ChangeFeed.Positioned("", 0)); // not served here: nothing published
        else feed.tell(new ChangeFeed.Position(ask.replyTo()));
        return Behaviors.same();
      });
    });
  }
}
