package dev.tugboat.kinds.crd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.WatchEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Runs on every member: follows the CustomResourceDefinitions in this member's index and serves the
 * kinds they define (routing, discovery, entities, index), from the first ADDED event (so, after a
 * restart, as soon as the index is rebuilt) until the definition is gone. A changed definition
 * swaps the kind's schema, versions and columns in place.
 */
public final class CustomResourceServing {
  private sealed interface Msg {}

  private record Changed(WatchEvent event) implements Msg {}

  private record WatchEnded(String why) implements Msg {}

  private enum Rewatch implements Msg { INSTANCE }

  private CustomResourceServing() {}

  /** @param rewatchAfter how long to wait before watching again after the watch ended */
  public static Behavior<?> create(Registry registry, Duration rewatchAfter) {
    return Behaviors.<Msg>setup(context -> Behaviors.withTimers(timers -> {
      Map<String, CustomResourceStrategy> served = new HashMap<>();
      Runnable watch = () -> registry.watch(CustomResourceDefinitionStrategy.TYPE.kind(), null, o -> true, -1, false)
          .runWith(Sink.foreach(e -> context.getSelf().tell(new Changed(e))), context.getSystem())
          .whenComplete((done, error) -> context.getSelf().tell(new WatchEnded(error == null ? "completed" : error.toString())));
      watch.run();
      return Behaviors.receive(Msg.class)
          .onMessage(Changed.class, m -> {
            WatchEvent e = m.event();
            if (e.type().equals("BOOKMARK") || e.type().equals("ERROR")) return Behaviors.same();
            ObjectNode crd = e.object();
            String group = crd.path("spec").path("group").asText();
            String kind = crd.path("spec").path("names").path("kind").asText();
            if (e.type().equals("DELETED")) {
              registry.unserve(group, kind);
              context.getLog().info("No longer serving {}.{}", kind, group);
              return Behaviors.same();
            }
            CustomResourceStrategy strategy = served.get(kind);
            if (strategy == null) {
              strategy = CustomResourceStrategy.of(crd);
              served.put(kind, strategy);
            } else {
              strategy.define(crd);
            }
            registry.serve(strategy, strategy.servedTypes());
            context.getLog().debug("Serving {}.{} at {}", kind, group, strategy.servedTypes());
            return Behaviors.same();
          })
          .onMessage(WatchEnded.class, m -> {
            context.getLog().info("Watch of CustomResourceDefinitions ended ({}); watching again", m.why());
            timers.startSingleTimer(Rewatch.INSTANCE, rewatchAfter);
            return Behaviors.same();
          })
          .onMessageEquals(Rewatch.INSTANCE, () -> {
            watch.run();
            return Behaviors.same();
          })
          .build();
    }));
  }
}
