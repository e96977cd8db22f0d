package dev.tugboat.registry;

import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * Publishes one kind's changes from this member's entities on the kind's topic, numbered, so that
 * an index that missed one knows it. A cluster topic delivers at most once; a numbered feed turns a
 * lost change into a gap the next change shows, and a heartbeat with the last number shows a lost
 * last change. The index then reads the kind's journal again ({@link WatchCache}, {@link
 * IndexReplays}): a lost change is repaired in seconds, not at the next periodic resync.
 *
 * <p>The numbers are also what a consistent list waits for ({@link FeedPositions}): a feed asked
 * for its {@link Position} answers after every change its entities gave it before the question,
 * since both come through its mailbox, and an entity gives its change before it acknowledges the write.
 */
final class ChangeFeed {
  /** What the kind's topic carries. */
  sealed interface Message extends CborSerializable permits Numbered, Heartbeat {
    String publisher();

    long number();
  }

  /** A change, the {@code number}th this publisher (one member's incarnation) published for its kind. */
  record Numbered(Change change, String publisher, long number) implements Message {}

  /** The number of the last change {@code publisher} published for its kind. */
  record Heartbeat(String publisher, long number) implements Message {}

  /** Asks for the number of the last change this feed has published. */
  record Position(ActorRef<Positioned> replyTo) implements CborSerializable {}

  /** The answer to {@link Position}. */
  record Positioned(String publisher, long number) implements CborSerializable {}

  private enum Beat { INSTANCE }

  private ChangeFeed() {}

  /**
   * A feed for one kind: entities send it their {@link Change}s, and {@link Position} asks where it
   * is. {@code loseEvery}: a fault for tests, every so many changes one is numbered but not
   * published (0: none); the indexes must notice.
   */
  static Behavior<Object> create(ActorRef<Topic.Command<Message>> topic, String publisher, Duration heartbeat,
      int loseEvery) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Beat.INSTANCE, heartbeat);
      long[] number = {0};
      return Behaviors.receiveMessage(m -> {
        if (m instanceof Change change) {
          number[0]++;
          if (loseEvery <= 0 || number[0] % loseEvery != 0) {
            topic.tell(Topic.publish(new Numbered(change, publisher, number[0])));
          }
        } else if (m instanceof Position position) {
          position.replyTo().tell(new Positioned(publisher, number[0]));
        } else if (number[0] > 0) { // a heartbeat, once there is something to count
          topic.tell(Topic.publish(new Heartbeat(publisher, number[0])));
        }
        return Behaviors.same();
      });
    }));
  }
}
