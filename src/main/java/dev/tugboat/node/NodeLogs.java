package dev.tugboat.node;

import dev.tugboat.registry.CborSerializable;
import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.ContainerRuntime.ContainerInfo;
import java.io.Closeable;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamRefs;

/**
 * A container's log, served by the agent of the pod's node to whichever member asked (the API
 * server may run elsewhere): the lines travel as a stream ref, so a follow streams across the
 * cluster with backpressure and ends when the caller goes away.
 */
public final class NodeLogs {
  private NodeLogs() {}

  /** Which log: of the newest run of {@code container}, or of the run before it with {@code previous}. */
  public record Request(String podUid, String container, int tailLines, boolean follow, boolean previous)
      implements CborSerializable {}

  public sealed interface Reply extends CborSerializable {}

  public record Streaming(SourceRef<String> lines) implements Reply {}

  /** No such container run: {@code message} says why, as Kubernetes words it. */
  public record Failed(String message) implements Reply {}

  static void serve(Request r, ContainerRuntime runtime, ActorSystem<?> system, ActorRef<Reply> replyTo) {
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
          replyTo.tell(new Failed(r.previous()
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
        replyTo.tell(new Streaming(ref));
      } catch (RuntimeException e) {
        replyTo.tell(new Failed(e.getMessage()));
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
