package dev.tugboat.node;

import dev.tugboat.protocol.ResourceUsage;
import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.ContainerRuntime.ContainerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * The node agent's resource metrics (the kubelet's part of metrics-server's pipeline): every
 * {@code tugboat.node.metrics.interval} it reads the stats of the node's running pod containers
 * from the runtime (off the actor, on the runtime dispatcher), turns them into usages through its
 * {@link UsageWindow}, and keeps the latest measure in memory only. Registered under
 * {@link ResourceUsage#KEY}, it answers whoever asks with that measure.
 */
final class UsageServer {
  private sealed interface Msg {}

  private record Asked(ResourceUsage.Query query) implements Msg {}

  private enum Tick implements Msg { INSTANCE }

  private record Measured(UsageWindow.Step step, Map<String, ContainerInfo> containers, Instant at) implements Msg {}

  private record Failed(Throwable error) implements Msg {}

  private UsageServer() {}

  static Behavior<?> create(String nodeName, ContainerRuntime runtime, Duration interval,
      Duration statsTimeout) {
    return Behaviors.<Msg>setup(context -> {
      context.getSystem().receptionist().tell(Receptionist.register(ResourceUsage.KEY,
          context.messageAdapter(ResourceUsage.Query.class, Asked::new)));
      return Behaviors.withTimers(timers -> {
        timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ZERO, interval);
        ResourceUsage.NodeUsage none = new ResourceUsage.NodeUsage(nodeName, System.currentTimeMillis(), 0, 0, 0, List.of());
        return new UsageServer.State(context, nodeName, runtime, statsTimeout).run(UsageWindow.empty(), none, false);
      });
    });
  }

  private record State(ActorContext<Msg> context, String nodeName, ContainerRuntime runtime, Duration statsTimeout) {
    Behavior<Msg> run(UsageWindow window, ResourceUsage.NodeUsage latest, boolean measuring) {
      return Behaviors.receive(Msg.class)
          .onMessage(Asked.class, a -> {
            a.query().replyTo().tell(latest);
            return Behaviors.same();
          })
          .onMessage(Tick.class, t -> {
            if (measuring) return Behaviors.same(); // the last pass is still reading: skip this one
            measure(window);
            return run(window, latest, true);
          })
          .onMessage(Measured.class, m -> run(m.step().window(), usage(m), false))
          .onMessage(Failed.class, f -> {
            context.getLog().debug("Reading the containers' stats failed: {}", f.error().toString());
            return run(window, latest, false);
          })
          .build();
    }

    private void measure(UsageWindow window) {
      var blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig("tugboat-runtime-dispatcher"));
      var self = context.getSelf();
      blocking.execute(() -> {
        try {
          Map<String, ContainerInfo> running = new LinkedHashMap<>();
          for (ContainerInfo c : runtime.listContainers(Map.of(ContainerRuntime.NODE, nodeName))) {
            if (!c.isSandbox() && c.state() == ContainerInfo.State.RUNNING) running.put(c.id(), c);
          }
          var stats = runtime.stats(List.copyOf(running.keySet()), statsTimeout);
          self.tell(new Measured(window.advance(stats), running, Instant.now()));
        } catch (RuntimeException e) {
          self.tell(new Failed(e));
        }
      });
    }

    /** The usages by pod (containers sorted by name), summed for the node. */
    private ResourceUsage.NodeUsage usage(Measured m) {
      Map<String, List<Map.Entry<ContainerInfo, UsageWindow.Usage>>> byPod = new LinkedHashMap<>();
      m.step().usage().forEach((id, u) -> {
        ContainerInfo c = m.containers().get(id);
        if (c != null && c.labels().containsKey(ContainerRuntime.POD_UID)) {
          byPod.computeIfAbsent(c.labels().get(ContainerRuntime.POD_UID), k -> new ArrayList<>()).add(Map.entry(c, u));
        }
      });
      List<ResourceUsage.PodUsage> pods = new ArrayList<>();
      long window = 0;
      long newest = 0;
      for (var entries : byPod.values()) {
        entries.sort(Comparator.comparing(e -> e.getKey().labels().getOrDefault(ContainerRuntime.CONTAINER, "")));
        Map<String, String> labels = entries.get(0).getKey().labels();
        long at = entries.stream().mapToLong(e -> e.getValue().timestamp().toEpochMilli()).max().orElse(0);
        long span = entries.stream().mapToLong(e -> e.getValue().window().toMillis()).max().orElse(0);
        pods.add(new ResourceUsage.PodUsage(labels.get(ContainerRuntime.POD_NAMESPACE), labels.get(ContainerRuntime.POD_NAME),
            labels.get(ContainerRuntime.POD_UID), at, span, entries.stream()
                .map(e -> new ResourceUsage.ContainerUsage(e.getKey().labels().getOrDefault(ContainerRuntime.CONTAINER, ""),
                    e.getValue().cpuNanoCores(), e.getValue().memoryBytes()))
                .toList()));
        window = Math.max(window, span);
        newest = Math.max(newest, at);
      }
      return new ResourceUsage.NodeUsage(nodeName, newest == 0 ? m.at().toEpochMilli() : newest, window,
          pods.stream().mapToLong(ResourceUsage.PodUsage::cpuNanoCores).sum(),
          pods.stream().mapToLong(ResourceUsage.PodUsage::memoryBytes).sum(), List.copyOf(pods));
    }
  }
}
