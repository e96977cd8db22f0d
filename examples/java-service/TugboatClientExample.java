import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.tugboat.client.ObjectChanged;
import dev.tugboat.client.ServiceResolver;
import dev.tugboat.client.TugboatClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A tiny Java service inside a Tugboat cluster: it joins the cluster with the role "client",
 * resolves a Service to its ready endpoints, and follows the pods of a namespace as they change,
 * all by actor messages (TugboatClient), no HTTP.
 *
 * <pre>
 * javac -cp tugboat.jar TugboatClientExample.java
 * java -cp tugboat.jar:. TugboatClientExample pekko://tugboat@127.0.0.1:25520 web.default
 * </pre>
 */
public final class TugboatClientExample {
  public static void main(String[] args) throws Exception {
    String seed = args[0];
    String service = args.length > 1 ? args[1] : "web.default";
    Config config = ConfigFactory.parseMap(Map.of(
            "pekko.cluster.seed-nodes", List.of(seed),
            "pekko.cluster.roles", List.of("client"),
            "pekko.remote.artery.canonical.port", 0))
        .withFallback(ConfigFactory.load());
    // The system's name must be the cluster's: "tugboat".
    ActorSystem<ObjectChanged> system = ActorSystem.create(Behaviors.receive(ObjectChanged.class)
        .onMessage(ObjectChanged.class, change -> {
          System.out.println("change " + change.type() + " " + change.kind() + " " + change.name());
          return Behaviors.same();
        }).build(), "tugboat", config);

    TugboatClient tugboat = TugboatClient.create(system);
    ServiceResolver resolver = new ServiceResolver(tugboat);
    // Resolve until the Service has ready endpoints (the cluster may still be joining).
    for (int attempt = 0; attempt < 120; attempt++) {
      try {
        List<TugboatClient.Endpoint> endpoints = resolver.resolve(service).toCompletableFuture().get();
        if (!endpoints.isEmpty()) {
          System.out.println("resolved " + service + " " + endpoints.stream()
              .map(e -> e.host() + ":" + e.port() + "(" + e.pod() + ")").toList());
          break;
        }
      } catch (Exception notYet) {
        // not joined yet, or no control-plane member reachable: try again
      }
      Thread.sleep(Duration.ofMillis(500).toMillis());
    }
    ActorRef<ObjectChanged> self = system;
    String namespace = ServiceResolver.Lookup.parse(service).namespace();
    tugboat.subscribe("Pod", namespace, null, self);
    System.out.println("subscribed to pods in " + namespace);
  }
}
