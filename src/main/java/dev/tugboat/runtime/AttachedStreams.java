package dev.tugboat.runtime;

import java.io.Closeable;
import java.io.IOException;

/**
 * The standard streams of a process in a container, held by the caller: a command run with
 * {@link ContainerRuntime#execStreams} (an exec), or the container's own process
 * ({@link ContainerRuntime#attach}). What the CRI's streaming server hands the kubelet for
 * {@code kubectl exec}, {@code attach} and {@code cp}.
 *
 * <p>One thread may read while another writes. Reads block. {@link #close()} ends an exec's process
 * if it still runs: a caller that goes away (a client that vanished mid-stream) must leave nothing
 * running behind it; an attach only detaches, the container runs on.
 */
public interface AttachedStreams extends Closeable {

  /** Which output stream a piece came from. */
  enum Stream { STDOUT, STDERR }

  /** A piece of output, in the order the process wrote it. */
  record Output(Stream stream, byte[] data) {}

  /** Writes to the process's standard input (which must have been asked for). */
  void write(byte[] data) throws IOException;

  /** Closes the process's standard input, as a pipe's writer does at its end; output goes on. */
  void closeStdin() throws IOException;

  /** The next piece of output; null once the process's output is over (it exited, or closed it). */
  Output read() throws IOException;

  /** Sets the terminal's size, in characters; ignored without a terminal. */
  void resize(int width, int height);

  /**
   * After the output is over: the exit code of an exec's process, null when there is none to tell
   * (an attach, or a process that is still running).
   */
  Integer exitCode();

  /** Ends an exec's process if it still runs (and its children), detaches an attach; then frees the connection. */
  @Override
  void close();
}
