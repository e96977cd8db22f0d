import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.tugboat.client.ObjectChanged;
import dev.tugboat.client.RemotingTls;
import dev.tugboat.client.ServiceResolver;
import dev.tugboat.client.TugboatClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.discovery.Discovery;
import org.apache.pekko.discovery.Lookup;
import org.apache.pekko.discovery.ServiceDiscovery;

/**
 * A tiny Java service inside a Tugboat cluster: it joins the cluster with the role "client",
 * resolves a Service to its ready endpoints through Pekko Discovery (method "tugboat"), and follows
 * the pods of a namespace as they change, all by actor messages (TugboatClient), no HTTP.
 *
 * <pre>
 * javac -cp tugboat.jar:pekko-discovery.jar TugboatClientExample.java
 * TUGBOAT_PKI_DIR=~/.tugboat/pki java -cp tugboat.jar:pekko-discovery.jar:. TugboatClientExample pekko://tugboat@127.0.0.1:25520 web.default http
 * </pre>
 */
public final class TugboatClientExample {
  public static void main(String[] args) throws Exception {
    String seed = args[0];
    String service = args.length > 1 ? args[1] : "web.default";
    String portName = args.length > 2 ? args[2] : "http";
    Config config = ConfigFactory.parseMap(Map.of(
            "pekko.cluster.seed-nodes", List.of(seed),
            "pekko.cluster.roles", List.of("client"),
            "pekko.remote.artery.canonical.port", 0,
            "pekko.discovery.method", "tugboat",
            // the pekko-discovery this machine's Maven Central serves (1.2.1) is older than the
            // cluster's Pekko; a service built on one Pekko version does not need this
            "pekko.fail-mixed-versions", "off"))
        .withFallback(ConfigFactory.load());
    // Members speak TLS with certificates of the cluster CA: a JVM joins with the CA directory's
    // files (tug up's <data-dir>/pki, or its --pki-dir), and is then trusted as a member is.
    String pki = System.getenv("TUGBOAT_PKI_DIR");
    if (pki != null && !pki.isBlank()) config = RemotingTls.config(java.nio.file.Path.of(pki)).withFallback(config);
    // The system's name must be the cluster's: "tugboat".
    ActorSystem<ObjectChanged> system = ActorSystem.create(Behaviors.receive(ObjectChanged.class)
        .onMessage(ObjectChanged.class, change -> {
          System.out.println("change " + change.type() + " " + change.kind() + " " + change.name());
          return Behaviors.same();
        }).build(), "tugboat", config);

    TugboatClient tugboat = TugboatClient.create(system);
    // Pekko Discovery, as any Pekko-based service resolves names: here answered by Tugboat.
    ServiceDiscovery discovery = Discovery.get(system.classicSystem()).discovery();
    Lookup lookup = Lookup.create(service).withPortName(portName).withProtocol("tcp");
    // Resolve until the Service has ready endpoints (the cluster may still be joining).
    for (int attempt = 0; attempt < 120; attempt++) {
      try {
        ServiceDiscovery.Resolved resolved = discovery.lookup(lookup, Duration.ofSeconds(5)).toCompletableFuture().get();
        if (!resolved.getAddresses().isEmpty()) {
          System.out.println("resolved " + service + " " + resolved.getAddresses().stream()
              .map(t -> t.host() + ":" + t.getPort().orElse(0)).toList());
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
