package dev.tugboat.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tug port-forward POD|TYPE/NAME [LOCAL:]REMOTE...}: listens on 127.0.0.1 and carries each
 * connection to the pod's port through the API, one WebSocket per connection in the kubelet's
 * channel protocol ({@code v4.channel.k8s.io}, {@code ?ports=REMOTE}: data on channel 0, the reason
 * of a failure on channel 1, each first carrying the port). Runs until interrupted.
 */
@Command(name = "port-forward", mixinStandardHelpOptions = true,
    description = "Forward local ports to a pod's ports until interrupted.")
public final class PortForwardCommand implements Callable<Integer> {
  static final String PROTOCOL = "v4.channel.k8s.io";

  @Mixin ClientOptions options;
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "The pod (NAME or pod/NAME), or a workload (deploy/NAME, ...).")
  String pod;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "[LOCAL:]REMOTE",
      description = "Ports: REMOTE (the same port locally), LOCAL:REMOTE, or :REMOTE (a free local port).")
  List<String> ports = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    ApiClient api = options.client();
    String name = Pods.resolve(api, options.namespace(), pod, spec.commandLine().getErr());
    // The pod must exist: its absence is said now, not at the first connection.
    api.get(Resources.object(Resources.type("pods"), options.namespace(), name));
    try (Forwarding f = start(api.http(), api.server(), Resources.object(Resources.type("pods"), options.namespace(), name), ports,
        spec.commandLine().getOut(), spec.commandLine().getErr())) {
      Thread.currentThread().join();
    }
    return 0;
  }

  /** Listening sockets, one per port pair; closing stops them. */
  public static final class Forwarding implements AutoCloseable {
    private final List<ServerSocket> listeners = new ArrayList<>();

    /** The local port of the n-th pair. */
    public int localPort(int n) {
      return listeners.get(n).getLocalPort();
    }

    @Override
    public void close() {
      for (ServerSocket s : listeners) {
        try {
          s.close();
        } catch (IOException e) {
          // closing: nothing more to do
        }
      }
    }
  }

  /**
   * Starts forwarding {@code pairs} ({@code [LOCAL:]REMOTE}) to the pod at {@code podPath} of
   * {@code server}; says "Forwarding from 127.0.0.1:L -> R" for each on {@code out}.
   */
  public static Forwarding start(String server, String podPath, List<String> pairs, PrintWriter out, PrintWriter err) {
    return start(HttpClient.newHttpClient(), server, podPath, pairs, out, err);
  }

  /** As above, connecting with {@code http} (which carries the TLS credentials of an HTTPS API). */
  public static Forwarding start(HttpClient http, String server, String podPath, List<String> pairs, PrintWriter out,
      PrintWriter err) {
    Forwarding forwarding = new Forwarding();
    try {
      for (String pair : pairs) {
        int colon = pair.indexOf(':');
        int remote = port(colon < 0 ? pair : pair.substring(colon + 1));
        int local = colon < 0 ? remote : colon == 0 ? 0 : port(pair.substring(0, colon));
        ServerSocket listener = new ServerSocket(local, 50, InetAddress.getLoopbackAddress());
        forwarding.listeners.add(listener);
        out.println("Forwarding from 127.0.0.1:" + listener.getLocalPort() + " -> " + remote);
        out.flush();
        URI uri = URI.create(server.replaceFirst("^http", "ws") + podPath + "/portforward?ports=" + remote);
        Thread acceptor = new Thread(() -> accept(listener, http, uri, remote, out, err), "tug-port-forward-" + remote);
        acceptor.setDaemon(true);
        acceptor.start();
      }
      return forwarding;
    } catch (IOException e) {
      forwarding.close();
      throw new CliException("cannot listen: " + e.getMessage());
    }
  }

  private static int port(String text) {
    try {
      int p = Integer.parseInt(text);
      if (p < 0 || p > 65535) throw new NumberFormatException();
      return p;
    } catch (NumberFormatException e) {
      throw new CliException("not a port: " + text);
    }
  }

  private static void accept(ServerSocket listener, HttpClient http, URI uri, int remote, PrintWriter out, PrintWriter err) {
    while (!listener.isClosed()) {
      try {
        Socket connection = listener.accept();
        out.println("Handling connection for " + remote);
        out.flush();
        Thread t = new Thread(() -> relay(connection, http, uri, remote, err), "tug-port-forward-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** One local connection: its bytes to channel 0, channel 0's to it; a message on channel 1 is the reason it failed. */
  private static void relay(Socket connection, HttpClient http, URI uri, int remote, PrintWriter err) {
    try (connection) {
      OutputStream toLocal = connection.getOutputStream();
      Channels channels = new Channels(toLocal, remote, err);
      WebSocket socket;
      try {
        socket = http.newWebSocketBuilder().subprotocols(PROTOCOL).buildAsync(uri, channels).join();
      } catch (CompletionException e) {
        err.println("error: the server refused to forward port " + remote + ": " + e.getCause().getMessage());
        err.flush();
        return;
      }
      Thread pump = new Thread(() -> {
        byte[] buffer = new byte[32 * 1024];
        try {
          InputStream fromLocal = connection.getInputStream();
          int n;
          while ((n = fromLocal.read(buffer)) > 0) {
            socket.sendBinary(ByteBuffer.allocate(n + 1).put((byte) 0).put(buffer, 0, n).flip(), true).join();
          }
        } catch (IOException | CompletionException e) {
          // the local side or the stream is gone; the WebSocket's end closes the connection
        }
        // The channel protocol has no half-close: the local end ends the forwarded connection.
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "");
      }, "tug-port-forward-pump");
      pump.setDaemon(true);
      pump.start();
      channels.closed.join();
      socket.abort();
    } catch (IOException | CompletionException e) {
      // the connection is over either way
    }
  }

  /** Channel 0 to the local connection, channel 1 to stderr; the first message of each is the port. */
  private static final class Channels implements WebSocket.Listener {
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final OutputStream toLocal;
    private final int remote;
    private final PrintWriter err;
    private final boolean[] portSeen = new boolean[2];
    private final java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();

    Channels(OutputStream toLocal, int remote, PrintWriter err) {
      this.toLocal = toLocal;
      this.remote = remote;
      this.err = err;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      message.writeBytes(bytes);
      if (last) {
        byte[] whole = message.toByteArray();
        message.reset();
        deliver(whole);
      }
      socket.request(1);
      return null;
    }

    private void deliver(byte[] whole) {
      if (whole.length == 0 || whole[0] > 1) return;
      int channel = whole[0];
      int from = 1;
      if (!portSeen[channel]) {
        portSeen[channel] = true;
        from = 3;
      }
      if (whole.length <= from) return;
      try {
        if (channel == 0) {
          toLocal.write(whole, from, whole.length - from);
          toLocal.flush();
        } else {
          err.println("error: an error occurred forwarding to port " + remote + ": "
              + new String(whole, from, whole.length - from, StandardCharsets.UTF_8));
          err.flush();
        }
      } catch (IOException e) {
        closed.complete(null);
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
      closed.complete(null);
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      closed.complete(null);
    }
  }
}
