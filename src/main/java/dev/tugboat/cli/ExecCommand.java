package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Codec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tug exec POD|TYPE/NAME [-c CONTAINER] [-i] -- COMMAND [ARG...]}: runs a command in a pod's
 * container over the API's WebSocket ({@code v5.channel.k8s.io}, as kubectl 1.30+), its output on
 * ours, our stdin on its with {@code -i} (the end of ours closes its), and exits with its exit code.
 */
@Command(name = "exec", mixinStandardHelpOptions = true,
    description = "Run a command in a pod's container; exit with its exit code.")
final class ExecCommand implements Callable<Integer> {
  static final String PROTOCOL = "v5.channel.k8s.io";

  @Mixin ClientOptions options;
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "The pod (NAME or pod/NAME), or a workload (deploy/NAME, ...).")
  String pod;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments (after --).")
  List<String> command = new ArrayList<>();

  @Option(names = {"-c", "--container"}, description = "The container (needed when the pod has several).") String container;
  @Option(names = {"-i", "--stdin"}, description = "Pass our stdin to the command; its end closes the command's.") boolean stdin;

  /** Where the command's stdout and stderr go, and our stdin comes from (tests replace them). */
  OutputStream out = System.out;
  OutputStream err = System.err;
  InputStream in = System.in;

  @Override
  public Integer call() {
    ApiClient api = options.client();
    String name = Pods.resolve(api, options.namespace(), pod, spec.commandLine().getErr());
    StringBuilder q = new StringBuilder();
    for (String c : command) q.append("&command=").append(URLEncoder.encode(c, StandardCharsets.UTF_8));
    if (container != null) q.append("&container=").append(Resources.encode(container));
    q.append("&stdout=true&stderr=true");
    if (stdin) q.append("&stdin=true");
    String path = Resources.object(Resources.type("pods"), options.namespace(), name) + "/exec?" + q.substring(1);
    URI uri = URI.create(api.server().replaceFirst("^http", "ws") + path);
    Session session = new Session();
    WebSocket socket;
    try {
      socket = api.http().newWebSocketBuilder().subprotocols(PROTOCOL).buildAsync(uri, session).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) {
        // The Status that says why is in the refusal's body; the handshake does not show it, a plain request does.
        api.get(Resources.object(Resources.type("pods"), options.namespace(), name));
        throw new CliException("the server refused the exec (HTTP " + h.getResponse().statusCode() + ")");
      }
      throw new CliException("cannot reach " + api.server() + ": " + e.getCause().getMessage());
    }
    if (stdin) pump(socket);
    JsonNode status = session.status.join();
    socket.abort();
    if ("Success".equals(status.path("status").asText())) return 0;
    for (JsonNode cause : status.path("details").path("causes")) {
      if ("ExitCode".equals(cause.path("reason").asText())) {
        int code = Integer.parseInt(cause.path("message").asText("1"));
        spec.commandLine().getErr().println("command terminated with exit code " + code);
        return code;
      }
    }
    throw new CliException(status.path("message").asText("the exec failed"));
  }

  /** Our stdin to the command's, then the v5 close of its channel: the command sees its end. */
  private void pump(WebSocket socket) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[32 * 1024];
      try {
        int n;
        while ((n = in.read(buffer)) > 0) {
          ByteBuffer message = ByteBuffer.allocate(n + 1).put((byte) 0).put(buffer, 0, n).flip();
          socket.sendBinary(message, true).join();
        }
        socket.sendBinary(ByteBuffer.wrap(new byte[] {(byte) 255, 0}), true).join();
      } catch (IOException | CompletionException e) {
        // the command ended, or our stdin broke: either way nothing more to send
      }
    }, "tug-exec-stdin");
    t.setDaemon(true);
    t.start();
  }

  /** Receives the channels: stdout and stderr to ours, the status at the end. */
  private final class Session implements WebSocket.Listener {
    final CompletableFuture<JsonNode> status = new CompletableFuture<>();
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private final ByteArrayOutputStream statusBytes = new ByteArrayOutputStream();

    @Override
    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      message.writeBytes(bytes);
      if (last) {
        byte[] whole = message.toByteArray();
        message.reset();
        if (whole.length > 0) deliver(whole[0] & 0xff, whole, 1);
      }
      socket.request(1);
      return null;
    }

    private void deliver(int channel, byte[] bytes, int offset) {
      try {
        switch (channel) {
          case 1 -> {
            out.write(bytes, offset, bytes.length - offset);
            out.flush();
          }
          case 2 -> {
            err.write(bytes, offset, bytes.length - offset);
            err.flush();
          }
          case 3 -> statusBytes.write(bytes, offset, bytes.length - offset);
          default -> { }
        }
      } catch (IOException e) {
        status.completeExceptionally(e);
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
      try {
        status.complete(statusBytes.size() == 0
            ? Codec.parseTree("{\"status\":\"Failure\",\"message\":\"the stream ended without a status\"}"
                .getBytes(StandardCharsets.UTF_8), false)
            : Codec.parseTree(statusBytes.toByteArray(), false));
      } catch (RuntimeException e) {
        status.completeExceptionally(new CliException("the exec's status is not JSON"));
      }
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      status.completeExceptionally(new CliException("the stream to the pod broke: " + error.getMessage()));
    }
  }
}
