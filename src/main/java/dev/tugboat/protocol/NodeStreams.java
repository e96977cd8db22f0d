package dev.tugboat.protocol;

import dev.tugboat.registry.CborSerializable;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.util.ByteString;

/**
 * Streams to a pod's containers, served by the agent of the pod's node to whichever member's API
 * server a client reached: {@code exec}, {@code attach} and {@code port-forward}, as the kubelet's
 * streaming server serves them to kube-apiserver. Each direction is a stream ref, so the bytes cross
 * the cluster with backpressure, and when either side goes away (the client hung up, a member died)
 * the other side learns it and the agent ends what it started.
 */
public final class NodeStreams {
  private NodeStreams() {}

  /** The receptionist key under which the agent of {@code nodeName} serves streams. */
  public static ServiceKey<Command> key(String nodeName) {
    return ServiceKey.create(Command.class, "node-streams-" + nodeName);
  }

  public sealed interface Command extends CborSerializable permits Exec, Attach, Check, PortForward {}

  /** Which container: of the pod with {@code podUid}, named {@code podName} in messages. */
  public record Target(String namespace, String podName, String podUid, String container) implements CborSerializable {}

  /** Which standard streams the client holds, and whether they are a terminal. */
  public record Streams(boolean stdin, boolean stdout, boolean stderr, boolean tty) implements CborSerializable {}

  /**
   * Runs {@code command} in the container; the client's side of its streams arrives on {@code input}.
   * Answered {@link Streaming} (then the output, ending with {@link Exited}) or {@link Refused}.
   */
  public record Exec(Target target, List<String> command, Streams streams, SourceRef<Input> input,
      ActorRef<Reply> replyTo) implements Command {}

  /** Attaches to the container's own process; answered as {@link Exec}, ending with {@link Exited} of no code. */
  public record Attach(Target target, Streams streams, SourceRef<Input> input, ActorRef<Reply> replyTo)
      implements Command {}

  /**
   * Whether an exec or attach to the container could start, without starting anything: answered
   * {@link Ready} or {@link Refused}. The API server asks before it turns away a client that speaks a
   * protocol it does not serve, so that the client hears the real reason when there is one.
   */
  public record Check(Target target, ActorRef<Reply> replyTo) implements Command {}

  /**
   * One connection to {@code port} of the pod: the bytes the client sends arrive on {@code input}
   * (its end half-closes the connection). Answered {@link Connected} once the connection is open,
   * or {@link Refused} saying why it could not be.
   */
  public record PortForward(Target target, int port, SourceRef<ByteString> input, ActorRef<Reply> replyTo)
      implements Command {}

  /** What the client sends to a process. */
  public sealed interface Input extends CborSerializable permits Stdin, StdinClosed, Resize {}

  public record Stdin(byte[] data) implements Input {}

  /** The client's input is over: the process's stdin is closed (channel.k8s.io v5's CLOSE signal). */
  public record StdinClosed(boolean closed) implements Input {}

  /** The client's terminal has this size, in characters. */
  public record Resize(int width, int height) implements Input {}

  /** What the process sends back, in order; {@link Exited} comes last. */
  public sealed interface Output extends CborSerializable permits Stdout, Stderr, Exited {}

  public record Stdout(byte[] data) implements Output {}

  public record Stderr(byte[] data) implements Output {}

  /**
   * The process is over: its exit code (null: none to tell, as an attach's), or {@code error} when
   * the streams broke rather than the process ending.
   */
  public record Exited(Integer exitCode, String error) implements Output {}

  public sealed interface Reply extends CborSerializable permits Streaming, Connected, Ready, Refused {}

  /** The process runs; its output arrives on {@code output}. */
  public record Streaming(SourceRef<Output> output) implements Reply {}

  /** The connection is open; the pod's bytes arrive on {@code output}, whose end is the pod's half-close. */
  public record Connected(SourceRef<ByteString> output) implements Reply {}

  /** A {@link Check} found the container running. */
  public record Ready(String containerId) implements Reply {}

  /**
   * Nothing was started. {@code reason} is a Kubernetes Status reason ({@code NotFound},
   * {@code BadRequest}, {@code TooManyRequests}, {@code InternalError}); {@code message} says why, as
   * the kubelet words it.
   */
  public record Refused(String reason, String message) implements Reply {}
}
