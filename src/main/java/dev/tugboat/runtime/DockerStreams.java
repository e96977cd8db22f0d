package dev.tugboat.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.exception.DockerException;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AttachedStreams} on a Docker engine: the engine's own "hijacked" connection, the one the
 * docker CLI uses for {@code docker exec -i} and {@code docker attach}. A POST that the engine
 * answers with {@code 101 UPGRADED}; after that the connection carries the process's input one way
 * and its output the other, multiplexed in frames of an 8-byte header (stream, 0, 0, 0, length)
 * unless a terminal merges them.
 *
 * <p>Why not docker-java's {@code execStartCmd}: its Unix-socket transport cannot half-close a
 * connection ({@code shutdownOutput} throws), so a process never sees the end of its input, and
 * {@code kubectl cp} into a pod ({@code tar x} reading the archive from stdin) would never finish.
 * A {@link SocketChannel} on the socket can. docker-java still creates, inspects and resizes.
 */
final class DockerStreams implements AttachedStreams {
  private static final Logger log = LoggerFactory.getLogger(DockerStreams.class);
  /** Docker's frames are at most 32 KiB; more is a broken stream, not a frame to buffer. */
  private static final int MAX_FRAME = 1 << 20;

  private final DockerClient docker;
  private final SocketChannel channel;
  private final String containerId;
  /** Null for an attach. */
  private final String execId;
  private final boolean tty;
  private final ByteBuffer header = ByteBuffer.allocate(8);
  private final ByteBuffer raw = ByteBuffer.allocate(32 * 1024);
  private volatile boolean closed;

  private DockerStreams(DockerClient docker, SocketChannel channel, String containerId, String execId, boolean tty) {
    this.docker = docker;
    this.channel = channel;
    this.containerId = containerId;
    this.execId = execId;
    this.tty = tty;
  }

  /** Starts the created exec {@code execId} of {@code containerId} with its streams on a connection of our own. */
  static DockerStreams startExec(DockerClient docker, String host, String containerId, String execId, boolean tty) {
    String body = "{\"Detach\":false,\"Tty\":" + tty + "}";
    SocketChannel channel = hijack(host, "/exec/" + execId + "/start", body);
    return new DockerStreams(docker, channel, containerId, execId, tty);
  }

  /** Attaches to the running container {@code containerId}. */
  static DockerStreams attach(DockerClient docker, String host, String containerId, ContainerRuntime.StreamOptions options,
      boolean tty) {
    String query = "?stream=1&stdin=" + bit(options.stdin()) + "&stdout=" + bit(options.stdout()) + "&stderr="
        + bit(options.stderr());
    SocketChannel channel = hijack(host, "/containers/" + containerId + "/attach" + query, "");
    return new DockerStreams(docker, channel, containerId, null, tty);
  }

  private static String bit(boolean b) {
    return b ? "1" : "0";
  }

  /**
   * Sends the request and reads the engine's answer up to the end of its headers, no further: what
   * follows belongs to the process. Nothing may be written before the 101 is read, or the engine
   * (which hijacks after answering) drops it.
   */
  private static SocketChannel hijack(String host, String path, String body) {
    SocketChannel channel = connect(host);
    try {
      byte[] payload = body.getBytes(StandardCharsets.UTF_8);
      String request = "POST " + path + " HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\n"
          + "Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: " + payload.length + "\r\n\r\n";
      writeFully(channel, ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
      writeFully(channel, ByteBuffer.wrap(payload));
      String head = readHead(channel);
      String status = head.lines().findFirst().orElse("");
      String[] parts = status.split(" ", 3);
      int code = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      // 101 from engines that upgrade; 200 from old ones that hijack without saying so.
      if (code != 101 && code != 200) {
        String message = readSome(channel);
        throw new ContainerRuntime.RuntimeFailure("the engine refused " + path + ": " + status.trim()
            + (message.isEmpty() ? "" : ": " + engineMessage(message)), null);
      }
      return channel;
    } catch (IOException | NumberFormatException e) {
      closeQuietly(channel);
      throw new ContainerRuntime.RuntimeFailure("cannot attach streams through " + host + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  private static SocketChannel connect(String host) {
    URI uri = URI.create(host);
    try {
      return switch (uri.getScheme()) {
        case "unix" -> {
          SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
          ch.connect(UnixDomainSocketAddress.of(uri.getPath()));
          yield ch;
        }
        case "tcp" -> SocketChannel.open(new InetSocketAddress(uri.getHost(), uri.getPort()));
        default -> throw new ContainerRuntime.RuntimeFailure(
            "streams to containers need an engine on unix:// or tcp://, not " + host, null);
      };
    } catch (IOException e) {
      throw new ContainerRuntime.RuntimeFailure("cannot connect to the engine at " + host + ": " + e.getMessage(), e);
    }
  }

  /** The status line and headers, read byte by byte up to the blank line. */
  private static String readHead(SocketChannel channel) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    ByteBuffer one = ByteBuffer.allocate(1);
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      one.clear();
      if (channel.read(one) < 0) throw new EOFException("the engine closed the connection before answering");
      byte b = one.get(0);
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      if (head.size() > 64 * 1024) throw new IOException("the engine's answer has no end of headers");
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** What the engine says after a refusal (its JSON body), as far as one read brings it. */
  private static String readSome(SocketChannel channel) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(4096);
      int n = channel.read(buffer);
      return n <= 0 ? "" : new String(buffer.array(), 0, n, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** {@code {"message":"..."}}, or a chunked body holding it: the message, else the text itself. */
  static String engineMessage(String body) {
    int i = body.indexOf("\"message\":\"");
    if (i < 0) return body.trim();
    int start = i + "\"message\":\"".length();
    StringBuilder out = new StringBuilder();
    for (int j = start; j < body.length(); j++) {
      char c = body.charAt(j);
      if (c == '\\' && j + 1 < body.length()) {
        out.append(body.charAt(++j));
      } else if (c == '"') {
        break;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  @Override
  public void write(byte[] data) throws IOException {
    writeFully(channel, ByteBuffer.wrap(data));
  }

  private static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) channel.write(buffer);
  }

  @Override
  public void closeStdin() throws IOException {
    if (!closed) channel.shutdownOutput();
  }

  @Override
  public Output read() throws IOException {
    try {
      if (tty) {
        raw.clear();
        int n = channel.read(raw);
        if (n < 0) return null;
        byte[] data = new byte[n];
        raw.flip().get(data);
        return new Output(Stream.STDOUT, data);
      }
      header.clear();
      if (!readFully(header, true)) return null;
      int type = header.get(0);
      int size = header.getInt(4);
      if (size < 0 || size > MAX_FRAME) throw new IOException("the engine sent a frame of " + size + " bytes");
      ByteBuffer payload = ByteBuffer.allocate(size);
      if (!readFully(payload, false)) return null;
      return new Output(type == 2 ? Stream.STDERR : Stream.STDOUT, payload.array());
    } catch (IOException e) {
      if (closed) return null; // our own close() ended the read
      throw e;
    }
  }

  /** Fills {@code buffer}; false at a clean end of stream before its first byte (when {@code atBoundary}). */
  private boolean readFully(ByteBuffer buffer, boolean atBoundary) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        if (atBoundary && buffer.position() == 0) return false;
        throw new EOFException("the engine's stream ended inside a frame");
      }
    }
    return true;
  }

  @Override
  public void resize(int width, int height) {
    if (!tty || width <= 0 || height <= 0) return;
    try {
      if (execId != null) docker.resizeExecCmd(execId).withSize(height, width).exec();
      else docker.resizeContainerCmd(containerId).withSize(height, width).exec();
    } catch (DockerException e) {
      // a resize that misses (the process just ended) changes nothing worth reporting
      log.debug("resize of {} failed: {}", execId != null ? execId : containerId, e.getMessage());
    }
  }

  @Override
  public Integer exitCode() {
    if (execId == null) return null;
    // The engine records the exit code before it closes the streams; a few looks cover a slow engine.
    for (int attempt = 0; attempt < 20; attempt++) {
      InspectExecResponse exec = inspect();
      if (exec == null) return null;
      if (!Boolean.TRUE.equals(exec.isRunning())) {
        return exec.getExitCodeLong() == null ? null : exec.getExitCodeLong().intValue();
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    return null;
  }

  private InspectExecResponse inspect() {
    try {
      return docker.inspectExecCmd(execId).exec();
    } catch (DockerException e) {
      return null;
    }
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    if (execId != null) endProcess();
    closeQuietly(channel);
  }

  /**
   * Docker has no call that ends an exec: a process whose client went away runs on. Like the
   * kubelet's streaming server we must not leave it, so it is killed with its children, by its
   * process id on this host, once its control group shows it is the container's (the engine may
   * run in another PID namespace, where that number is someone else's).
   */
  private void endProcess() {
    InspectExecResponse exec = inspect();
    if (exec == null || !Boolean.TRUE.equals(exec.isRunning()) || exec.getPidLong() == null || exec.getPidLong() <= 0) {
      return;
    }
    long pid = exec.getPidLong();
    String container = exec.getContainerID() != null ? exec.getContainerID() : containerId;
    if (!inContainer(pid, container)) {
      log.warn("exec {} (pid {}) in {} still runs, and its process is not visible from here to end it", execId, pid,
          containerId);
      return;
    }
    ProcessHandle.of(pid).ifPresent(process -> {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      log.debug("ended exec {} (pid {}) in {}: its client went away", execId, pid, containerId);
    });
  }

  private static boolean inContainer(long pid, String containerId) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "cgroup")).contains(containerId);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // closing: nothing more to do
    }
  }
}
