package dev.tugboat.node;

import dev.tugboat.protocol.NodeLogs;
import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.ContainerRuntime.ContainerInfo;
import java.io.Closeable;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamRefs;

/**
 * The node agent's side of {@link NodeLogs}: registered under {@link NodeLogs#key} for its node, it
 * streams the log of a container run from the runtime.
 */
final class NodeLogServer {
  private NodeLogServer() {}

  static Behavior<NodeLogs.Fetch> create(String nodeName, ContainerRuntime runtime) {
    return Behaviors.setup(context -> {
      context.getSystem().receptionist().tell(Receptionist.register(NodeLogs.key(nodeName), context.getSelf()));
      return Behaviors.receive(NodeLogs.Fetch.class)
          .onMessage(NodeLogs.Fetch.class, f -> {
            serve(f.request(), runtime, context.getSystem(), f.replyTo());
            return Behaviors.same();
          })
          .build();
    });
  }

  private static void serve(NodeLogs.Request r, ContainerRuntime runtime, ActorSystem<?> system,
      ActorRef<NodeLogs.Reply> replyTo) {
    var blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig("tugboat-runtime-dispatcher"));
    blocking.execute(() -> {
      try {
        List<ContainerInfo> runs = runtime.listContainers(
                Map.of(ContainerRuntime.POD_UID, r.podUid(), ContainerRuntime.CONTAINER, r.container())).stream()
            .filter(c -> !c.isSandbox())
            .sorted(Comparator.comparingInt((ContainerInfo c) ->
                Integer.parseInt(c.labels().getOrDefault(PodWorker.RESTART_LABEL, "0"))).reversed())
            .toList();
        int index = r.previous() ? 1 : 0;
        if (runs.size() <= index) {
          replyTo.tell(new NodeLogs.Failed(r.previous()
              ? "previous terminated container \"" + r.container() + "\" not found"
              : "container \"" + r.container() + "\" is waiting to start: ContainerCreating"));
          return;
        }
        var queued = Source.<String>queue(10_000).preMaterialize(system);
        BoundedSourceQueue<String> queue = queued.first();
        Closeable handle = runtime.logs(runs.get(index).id(), r.tailLines(), r.follow() && !r.previous(),
            queue::offer, queue::complete);
        SourceRef<String> ref = queued.second()
            .watchTermination((mat, done) -> done.whenComplete((ok, error) -> close(handle)))
            .runWith(StreamRefs.sourceRef(), system);
        replyTo.tell(new NodeLogs.Streaming(ref));
      } catch (RuntimeException e) {
        replyTo.tell(new NodeLogs.Failed(e.getMessage()));
      }
    });
  }

  private static void close(Closeable handle) {
    try {
      handle.close();
    } catch (IOException e) {
      // the log stream is over either way
    }
  }
}
