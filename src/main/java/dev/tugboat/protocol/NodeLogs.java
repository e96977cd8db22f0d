package dev.tugboat.protocol;

import dev.tugboat.registry.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.stream.SourceRef;

/**
 * A container's log, served by the agent of the pod's node to whichever member asked (the API
 * server may run elsewhere): the lines travel as a stream ref, so a follow streams across the
 * cluster with backpressure and ends when the caller goes away.
 */
public final class NodeLogs {
  private NodeLogs() {}

  /** The receptionist key under which the agent of {@code nodeName} serves logs. */
  public static ServiceKey<Fetch> key(String nodeName) {
    return ServiceKey.create(Fetch.class, "node-logs-" + nodeName);
  }

  /** Which log: of the newest run of {@code container}, or of the run before it with {@code previous}. */
  public record Request(String podUid, String container, int tailLines, boolean follow, boolean previous)
      implements CborSerializable {}

  /** Asks for a log; the answer is a {@link Reply}. */
  public record Fetch(Request request, ActorRef<Reply> replyTo) implements CborSerializable {}

  public sealed interface Reply extends CborSerializable {}

  public record Streaming(SourceRef<String> lines) implements Reply {}

  /** No such container run: {@code message} says why, as Kubernetes words it. */
  public record Failed(String message) implements Reply {}
}
