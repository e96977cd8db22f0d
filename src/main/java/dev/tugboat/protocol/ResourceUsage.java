package dev.tugboat.protocol;

import dev.tugboat.registry.CborSerializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * What the pods of each node use now (CPU and memory), as the node agents measure it: the resource
 * metrics pipeline's one message, as metrics-server scrapes the kubelets. Whoever needs the figures
 * (the API's {@code metrics.k8s.io}, the HPA controller, {@code /metrics}) asks every agent
 * registered under {@link #KEY}, on whichever member it runs, and merges the answers.
 *
 * <p>Asking, rather than agents publishing into a shared store, keeps the figures in memory only
 * and in one place (the agent that measured them, never persisted, as metrics-server keeps them),
 * costs nothing while nobody asks, and leaves nothing stale behind a node that died: a node that
 * does not answer within the deadline simply has no metrics, as Kubernetes shows a node
 * metrics-server cannot scrape.
 */
public final class ResourceUsage {
  private ResourceUsage() {}

  /** Every node agent's usage server, one per node. */
  public static final ServiceKey<Query> KEY = ServiceKey.create(Query.class, "resource-usage");

  /** Asks an agent for its latest measure. */
  public record Query(ActorRef<NodeUsage> replyTo) implements CborSerializable {}

  /**
   * A node's latest measure: the sum of its pods' ({@code cpuNanoCores} in billionths of a core,
   * {@code memoryBytes} their working sets), measured over {@code windowMillis} up to
   * {@code timestampMillis}, and each pod's.
   */
  public record NodeUsage(String node, long timestampMillis, long windowMillis, long cpuNanoCores, long memoryBytes,
      List<PodUsage> pods) implements CborSerializable {}

  /** A pod's containers (sandbox excluded), by the pod's uid and name. */
  public record PodUsage(String namespace, String name, String uid, long timestampMillis, long windowMillis,
      List<ContainerUsage> containers) implements CborSerializable {
    public long cpuNanoCores() {
      return containers.stream().mapToLong(ContainerUsage::cpuNanoCores).sum();
    }

    public long memoryBytes() {
      return containers.stream().mapToLong(ContainerUsage::memoryBytes).sum();
    }
  }

  public record ContainerUsage(String name, long cpuNanoCores, long memoryBytes) implements CborSerializable {}

  /**
   * The latest measure of every node agent that answers within {@code timeout} (the others are
   * left out); an empty list when no agent is registered.
   */
  public static CompletionStage<List<NodeUsage>> collect(ActorSystem<?> system, Duration timeout) {
    return collect(system, timeout, false);
  }

  /** {@link #collect(ActorSystem, Duration)}, of this member's own agents only when {@code local}. */
  public static CompletionStage<List<NodeUsage>> collect(ActorSystem<?> system, Duration timeout, boolean local) {
    return AskPattern.<Receptionist.Command, Receptionist.Listing>ask(system.receptionist(),
            reply -> Receptionist.find(KEY, reply), timeout, system.scheduler())
        .thenCompose(listing -> {
          List<CompletableFuture<NodeUsage>> asked = new ArrayList<>();
          for (ActorRef<Query> agent : listing.getServiceInstances(KEY)) {
            if (local && !agent.path().address().hasLocalScope()) continue;
            asked.add(AskPattern.<Query, NodeUsage>ask(agent, Query::new, timeout, system.scheduler())
                .toCompletableFuture().exceptionally(e -> null));
          }
          return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new))
              .thenApply(v -> asked.stream().map(CompletableFuture::join).filter(Objects::nonNull).toList());
        });
  }
}
