package dev.tugboat.controller.kubernetesservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.Writes;
import dev.tugboat.kinds.service.ClusterIpRange;
import dev.tugboat.kinds.service.KubernetesService;
import dev.tugboat.protocol.ApiServers;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * Keeps the {@code kubernetes} Service of {@code default} and its Endpoints, as kube-apiserver's
 * master endpoints reconciler: the Service at the range's first address, port 443 ({@code https}),
 * and Endpoints listing every member that serves the API ({@link ApiServers}), following the
 * receptionist as members come and go. A cluster singleton, so one writer; it also looks again
 * every resync, so a hand edit or deletion of either object is put back.
 */
public final class KubernetesServiceController {
  private KubernetesServiceController() {}

  private sealed interface Msg {}

  private record Listed(Set<ActorRef<ApiServers.Query>> members) implements Msg {}

  private record Answered(ActorRef<ApiServers.Query> member, ApiServers.Address address) implements Msg {}

  private record Written(Throwable failure) implements Msg {}

  private enum Tick implements Msg { INSTANCE }

  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

  public static Behavior<Object> create(Registry registry, ClusterIpRange range, Duration resync) {
    return Behaviors.<Msg>setup(context -> Behaviors.withTimers(timers -> {
      ActorRef<Receptionist.Listing> listings = context.messageAdapter(Receptionist.Listing.class,
          l -> new Listed(Set.copyOf(l.getServiceInstances(ApiServers.KEY))));
      context.getSystem().receptionist().tell(Receptionist.subscribe(ApiServers.KEY, listings));
      timers.startTimerWithFixedDelay(Tick.INSTANCE, resync);
      Writes writes = new Writes(registry);
      Set<ActorRef<ApiServers.Query>> members = new HashSet<>();
      Map<ActorRef<ApiServers.Query>, ApiServers.Address> known = new HashMap<>();
      boolean[] writing = {false};
      boolean[] again = {false};
      Runnable reconcile = () -> {
        if (writing[0]) {
          again[0] = true;
          return;
        }
        List<KubernetesService.ApiAddress> addresses = new ArrayList<>();
        for (ActorRef<ApiServers.Query> m : members) {
          ApiServers.Address a = known.get(m);
          if (a != null) addresses.add(new KubernetesService.ApiAddress(a.ip(), a.port()));
        }
        // none known yet (the first answers are on their way): nothing to say, rather than no API at all
        if (addresses.isEmpty()) return;
        writing[0] = true;
        context.pipeToSelf(write(registry, writes, range, addresses), (ok, e) -> new Written(e));
      };
      Runnable ask = () -> {
        for (ActorRef<ApiServers.Query> m : members) {
          if (known.containsKey(m)) continue;
          context.ask(ApiServers.Address.class, m, ASK_TIMEOUT, ApiServers.Query::new,
              (a, e) -> new Answered(m, a));
        }
      };
      return Behaviors.receive(Msg.class)
          .onMessage(Listed.class, l -> {
            members.clear();
            members.addAll(l.members());
            known.keySet().retainAll(members);
            ask.run();
            reconcile.run();
            return Behaviors.same();
          })
          .onMessage(Answered.class, a -> {
            if (a.address() != null && members.contains(a.member())) {
              known.put(a.member(), a.address());
              reconcile.run();
            }
            return Behaviors.same();
          })
          .onMessage(Written.class, w -> {
            writing[0] = false;
            if (w.failure() != null) {
              context.getLog().warn("The kubernetes Service's Endpoints: {} (again at the next resync)",
                  w.failure().getMessage());
            }
            if (again[0]) {
              again[0] = false;
              reconcile.run();
            }
            return Behaviors.same();
          })
          .onMessage(Tick.class, t -> {
            ask.run();
            reconcile.run();
            return Behaviors.same();
          })
          .build();
    })).unsafeCast();
  }

  /** Makes the Service and its Endpoints what {@code members} want; writes nothing when they are. */
  static CompletionStage<Void> write(Registry registry, Writes writes, ClusterIpRange range,
      List<KubernetesService.ApiAddress> members) {
    int targetPort = members.stream().map(KubernetesService.ApiAddress::port).min(Comparator.naturalOrder()).orElseThrow();
    String ns = KubernetesService.NAMESPACE;
    String name = KubernetesService.NAME;
    CompletionStage<Result> service = registry.get("Service", ns, name).thenCompose(got -> {
      if (got instanceof Result.Failed f) {
        return absent(f) ? writes.create("Service", ns, name, KubernetesService.service(range, targetPort)) : failed(f);
      }
      Result.Ok ok = (Result.Ok) got;
      if (samePorts(ok.object().path("spec").path("ports"), targetPort)) return CompletableFuture.completedFuture(got);
      ObjectNode patch = JsonNodeFactory.instance.objectNode();
      patch.putObject("spec").set("ports", KubernetesService.ports(targetPort));
      return writes.patch("Service", ns, name, patch);
    });
    return service.thenCompose(s -> registry.get("Endpoints", ns, name)).thenCompose(got -> {
      var subsets = KubernetesService.subsets(members);
      if (got instanceof Result.Failed f && !absent(f)) return failed(f).thenApply(r -> (Void) null);
      if (got instanceof Result.Ok ok) {
        if (KubernetesService.subsets(addresses(ok.object())).equals(subsets)) return CompletableFuture.completedFuture(null);
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        patch.set("subsets", subsets);
        return writes.patch("Endpoints", ns, name, patch).thenApply(r -> (Void) null);
      }
      ObjectNode endpoints = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "Endpoints");
      endpoints.putObject("metadata").put("name", name).put("namespace", ns);
      endpoints.set("subsets", subsets);
      return writes.create("Endpoints", ns, name, endpoints).thenApply(r -> (Void) null);
    });
  }

  /** Not found: made; any other failure (the store unavailable) fails the pass, tried again at the next. */
  private static boolean absent(Result.Failed f) {
    return f.status().code() == 404;
  }

  private static CompletableFuture<Result> failed(Result.Failed f) {
    return CompletableFuture.failedFuture(new IllegalStateException(f.status().message()));
  }

  private static boolean samePorts(JsonNode ports, int targetPort) {
    return ports.size() == 1 && ports.get(0).path("name").asText().equals(KubernetesService.PORT_NAME)
        && ports.get(0).path("port").asInt() == KubernetesService.PORT
        && ports.get(0).path("targetPort").asInt() == targetPort;
  }

  /** The addresses an Endpoints object lists at its {@code https} ports. */
  static List<KubernetesService.ApiAddress> addresses(JsonNode endpoints) {
    List<KubernetesService.ApiAddress> result = new ArrayList<>();
    for (JsonNode subset : endpoints.path("subsets")) {
      for (JsonNode port : subset.path("ports")) {
        if (!KubernetesService.PORT_NAME.equals(port.path("name").asText())) continue;
        for (JsonNode a : subset.path("addresses")) {
          result.add(new KubernetesService.ApiAddress(a.path("ip").asText(), port.path("port").asInt()));
        }
      }
    }
    return result;
  }
}
