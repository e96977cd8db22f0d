package dev.tugboat.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.crd.CustomResourceDefinitionStrategy;
import dev.tugboat.kinds.crd.CustomResourceStrategy;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Runs on every member: follows the CustomResourceDefinitions in this member's index (an
 * {@link Informer}) and serves the kinds they define (routing, discovery, entities, index), from the
 * first Added event (so, after a restart, as soon as the index is rebuilt) until the definition is
 * gone. A changed definition swaps the kind's schema, versions and columns in place.
 */
public final class CustomResourceServing {
  private CustomResourceServing() {}

  public static Behavior<?> create(Registry registry) {
    return Behaviors.<Informer.Event>setup(context -> {
      Map<String, CustomResourceStrategy> served = new HashMap<>();
      context.spawn(Informer.create(registry, Informer.Selection.of(CustomResourceDefinitionStrategy.TYPE.kind()),
          context.getSelf()), "crd-informer");
      return Behaviors.receive(Informer.Event.class)
          .onMessage(Informer.ObjectEvent.class, e -> {
            ObjectNode crd = e.object();
            String group = crd.path("spec").path("group").asText();
            String kind = crd.path("spec").path("names").path("kind").asText();
            if (e instanceof Informer.Deleted) {
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
          .onMessage(Informer.Event.class, synced -> Behaviors.same()) // each definition came as a change
          .build();
    });
  }
}
