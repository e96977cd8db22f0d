package dev.tugboat.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.DockerRuntime;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.NodeContainers;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The debugging commands with the real kubectl as a process: {@code exec} (an exit code, piped
 * stdin), {@code cp} both ways, {@code port-forward} carrying HTTP to busybox httpd, {@code exec
 * deploy/x}, on a pod of the API's own member and on a pod of a second worker member (the relay
 * across the cluster); a kubectl killed mid-exec leaves no process in the container; what kubectl
 * 1.20 (SPDY only) is told; bad input answered with a Status or an error on the stream.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PodStreamsIT {
  private static final String IMAGE = "tugboat/busybox:1.0";
  private static final String PODS = "/api/v1/namespaces/default/pods";
  private final long pid = ProcessHandle.current().pid();
  private final String nodeA = "streams-a-" + pid;
  private final String nodeB = "streams-b-" + pid;
  private Tugboat control;
  private Tugboat worker;
  private Api api;
  private Kubectl kubectl;
  private Path work;
  private final List<Process> processes = new ArrayList<>();

  @BeforeAll
  void start(EmbeddedCassandra cassandra) throws IOException {
    String keyspace = "pod_streams_it_" + pid;
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    config.put("tugboat.node-name", nodeA);
    control = TestTugboat.start(cassandra, keyspace, config);
    Map<String, Object> second = new HashMap<>();
    second.put("pekko.cluster.roles", List.of("worker"));
    second.put("pekko.cluster.seed-nodes", List.of(Cluster.get(control.system()).selfMember().address().toString()));
    second.put("tugboat.node-name", nodeB);
    worker = TestTugboat.start(cassandra, keyspace, second);
    api = Api.of(control);
    work = Files.createDirectories(SharedCassandra.itDir().resolve("pod-streams-" + pid));
    kubectl = Kubectl.v133(work).orElseThrow(() -> new AssertionError("kubectl 1.33 is missing"))
        .configure(control, "default");
    for (String node : List.of(nodeA, nodeB)) {
      Await.until("node " + node + " Ready", Duration.ofSeconds(60), () -> api.get("/api/v1/nodes/" + node).body()
          .contains("\"type\":\"Ready\",\"status\":\"True\""));
      String pod = podOn(node);
      Api.Reply created = api.post(PODS, """
          {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"app":"streams"}},
           "spec":{"terminationGracePeriodSeconds":1,"nodeSelector":{"kubernetes.io/hostname":"%s"},
            "containers":[{"name":"web","image":"%s","command":["httpd","-f","-p","80","-h","/www"]}]}}
          """.formatted(pod, node, IMAGE));
      assertEquals(201, created.code(), created.body());
    }
    for (String node : List.of(nodeA, nodeB)) awaitRunning(podOn(node));
  }

  @AfterAll
  void stop() {
    processes.forEach(Process::destroyForcibly);
    if (worker != null) worker.close();
    if (control != null) control.close();
    NodeContainers.removeAll(nodeA, nodeB);
  }

  private String podOn(String node) {
    return node.equals(nodeA) ? "web-a" : "web-b";
  }

  private void awaitRunning(String pod) {
    Await.until(pod + " Running", Duration.ofSeconds(90), () -> {
      JsonNode p = api.get(PODS + "/" + pod).json();
      return "Running".equals(p.at("/status/phase").asText())
          && p.at("/status/containerStatuses/0/state").has("running");
    });
  }

  private Kubectl.Result run(String... args) {
    return kubectl.run(args);
  }

  // ---- exec ------------------------------------------------------------------------------------

  @Test
  @Order(1)
  void execReportsTheExitCodeOnBothMembers() {
    for (String pod : List.of("web-a", "web-b")) {
      Kubectl.Result r = run("exec", pod, "--", "sh", "-c", "echo out; echo err >&2; exit 3");
      assertEquals(3, r.exit(), r.toString());
      assertEquals("out\n", r.out(), r.toString());
      assertTrue(r.err().contains("err\n"), r.toString());
      assertTrue(r.err().contains("command terminated with exit code 3"), r.toString());
      Kubectl.Result ok = run("exec", pod, "-c", "web", "--", "ls", "/www");
      assertEquals(0, ok.exit(), ok.toString());
      assertEquals("index.html\n", ok.out());
    }
  }

  @Test
  @Order(2)
  void execPipesStdinThroughAndClosesIt() {
    for (String pod : List.of("web-a", "web-b")) {
      Kubectl.Result r = kubectl.runWithInput("hello\nworld\n", "exec", "-i", pod, "--", "cat");
      assertEquals(0, r.exit(), r.toString());
      assertEquals("hello\nworld\n", r.out());
      // A megabyte: backpressure across members, and the end of input still reaches the process.
      String big = "x".repeat(1024 * 1024);
      Kubectl.Result counted = kubectl.runWithInput(big, "exec", "-i", pod, "--", "wc", "-c");
      assertEquals(0, counted.exit(), counted.toString());
      assertEquals(Integer.toString(big.length()), counted.out().trim());
    }
  }

  @Test
  @Order(3)
  void cpCopiesBothWays() throws IOException {
    byte[] content = new byte[300_000];
    new Random(22).nextBytes(content);
    Path local = Files.createDirectories(work.resolve("cp-src"));
    Files.write(local.resolve("data.bin"), content);
    Files.writeString(Files.createDirectories(local.resolve("sub")).resolve("note.txt"), "a note\n");
    for (String pod : List.of("web-a", "web-b")) {
      Kubectl.Result up = run("cp", local.toString(), pod + ":/tmp/up");
      assertEquals(0, up.exit(), up.toString());
      Kubectl.Result listed = run("exec", pod, "--", "sh", "-c", "wc -c < /tmp/up/data.bin; cat /tmp/up/sub/note.txt");
      assertEquals(List.of(Integer.toString(content.length), "a note"), listed.out().lines().map(String::trim).toList(),
          listed.toString());

      Path back = work.resolve("cp-back-" + pod);
      Kubectl.Result down = run("cp", pod + ":/tmp/up", back.toString());
      assertEquals(0, down.exit(), down.toString());
      assertArrayEquals(content, Files.readAllBytes(back.resolve("data.bin")), "the bytes that went up came down");
      assertEquals("a note\n", Files.readString(back.resolve("sub/note.txt")));

      Path page = work.resolve("index-" + pod + ".html");
      Kubectl.Result file = run("cp", pod + ":/www/index.html", page.toString());
      assertEquals(0, file.exit(), file.toString());
      assertTrue(Files.readString(page).contains("Hello from Tugboat"));
    }
  }

  // ---- port-forward ----------------------------------------------------------------------------

  /** A running {@code kubectl port-forward}: its process, the local port it chose, what it prints. */
  private record Forward(Process process, int port, List<String> out, List<String> err) {}

  /** Starts {@code kubectl port-forward target :remote} and waits for the local port it chose. */
  private Forward portForward(Kubectl k, String target, int remote) {
    try {
      Process p = k.builder("port-forward", target, ":" + remote).start();
      processes.add(p);
      List<String> out = Streams.collect(p.getInputStream());
      List<String> err = Streams.collect(p.getErrorStream());
      Pattern forwarding = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> " + remote);
      int port = Await.until("kubectl " + k.version() + " forwarding to " + target, Duration.ofSeconds(30), () -> {
        for (String l : out) {
          Matcher m = forwarding.matcher(l);
          if (m.find()) return Integer.parseInt(m.group(1));
        }
        if (!p.isAlive()) throw new AssertionError("kubectl port-forward ended: " + out + err);
        return null;
      });
      return new Forward(p, port, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpResponse<String> httpGet(int port) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(10))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Order(4)
  void portForwardCarriesHttpOnBothMembers() throws Exception {
    for (String pod : List.of("web-a", "web-b")) {
      Forward forward = portForward(kubectl, "pod/" + pod, 80);
      int port = forward.port();
      for (int i = 0; i < 5; i++) {
        HttpResponse<String> r = httpGet(port);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("Hello from Tugboat"), r.body());
      }
      // Connections side by side: each its own pair of streams in the one tunnel.
      List<CompletableFuture<Integer>> parallel = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        parallel.add(CompletableFuture.supplyAsync(() -> {
          try {
            return httpGet(port).statusCode();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      for (CompletableFuture<Integer> f : parallel) assertEquals(200, f.get(30, TimeUnit.SECONDS));
      // Four megabytes the pod made, through the tunnel in pieces, the same bytes at the end.
      Kubectl.Result made = run("exec", pod, "--", "sh", "-c",
          "dd if=/dev/urandom of=/www/big bs=1024 count=4096 2>/dev/null; sha256sum /www/big");
      assertEquals(0, made.exit(), made.toString());
      HttpResponse<byte[]> big = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/big")).timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(4096 * 1024, big.body().length);
      String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(big.body()));
      assertEquals(made.out().split("\\s+")[0], sha);
      assertTrue(forward.process().isAlive(), "port-forward still runs: " + forward.out() + forward.err());
      forward.process().destroy();
      assertTrue(forward.process().waitFor(10, TimeUnit.SECONDS));
    }
  }

  @Test
  @Order(5)
  void portForwardToAClosedPortSaysWhy() throws Exception {
    Forward forward = portForward(kubectl, "pod/web-b", 81);
    try {
      httpGet(forward.port());
    } catch (IOException e) {
      // the local connection is closed: the reason goes to kubectl's error output
    }
    List<String> errors = forward.err();
    Await.until("kubectl reports the refused connection: " + errors, Duration.ofSeconds(20),
        () -> String.join("\n", errors).contains("error forwarding port 81 to pod default/web-b")
            && String.join("\n", errors).contains("connection refused"));
    forward.process().destroy();
  }

  @Test
  @Order(6)
  void execAndPortForwardResolveADeployment() throws Exception {
    Api.Reply created = api.post("/apis/apps/v1/namespaces/default/deployments", """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"site"},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"site"}},
          "template":{"metadata":{"labels":{"app":"site"}},
           "spec":{"terminationGracePeriodSeconds":1,
            "containers":[{"name":"web","image":"%s","command":["httpd","-f","-p","80","-h","/www"]}]}}}}
        """.formatted(IMAGE));
    assertEquals(201, created.code(), created.body());
    Await.until("the deployment's pod runs", Duration.ofSeconds(90), () -> {
      for (JsonNode p : api.get(PODS + "?labelSelector=app%3Dsite").json().path("items")) {
        if (p.at("/status/containerStatuses/0/state").has("running")) return true;
      }
      return false;
    });
    Kubectl.Result r = run("exec", "deploy/site", "--", "cat", "/www/index.html");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("Hello from Tugboat"), r.toString());
    Forward forward = portForward(kubectl, "deploy/site", 80);
    assertEquals(200, httpGet(forward.port()).statusCode());
    forward.process().destroy();
  }

  // ---- a client that vanishes ------------------------------------------------------------------

  private String containerOf(String pod) {
    String uid = api.get(PODS + "/" + pod).at("/metadata/uid");
    try (DockerRuntime docker = new DockerRuntime("unix:///var/run/docker.sock", IMAGE)) {
      return docker.listContainers(Map.of(ContainerRuntime.POD_UID, uid, ContainerRuntime.CONTAINER, "web")).stream()
          .filter(c -> c.state() == ContainerRuntime.ContainerInfo.State.RUNNING).findFirst().orElseThrow().id();
    }
  }

  /** {@code docker top}: the processes of the container, as the engine sees them (execs included). */
  private static String top(String container) {
    try {
      Process p = new ProcessBuilder("docker", "top", container, "-o", "pid,args").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  @Order(7)
  void aKilledClientLeavesNoProcessBehind() throws IOException {
    for (String pod : List.of("web-a", "web-b")) {
      String container = containerOf(pod);
      Process exec = kubectl.builder("exec", pod, "--", "sleep", "1000").start();
      processes.add(exec);
      Await.until("sleep 1000 runs in " + pod, Duration.ofSeconds(30), () -> top(container).contains("sleep 1000"));
      exec.destroyForcibly();
      Await.until("sleep 1000 is gone from " + pod + " once its kubectl was killed", Duration.ofSeconds(30),
          () -> !top(container).contains("sleep 1000"));
    }
  }

  // ---- bad input and old clients ---------------------------------------------------------------

  @Test
  @Order(8)
  void badInputGetsAStatusThatSaysWhy() {
    Kubectl.Result noContainer = run("exec", "web-a", "-c", "nope", "--", "ls");
    assertNotEquals(0, noContainer.exit());
    assertTrue(noContainer.err().contains("container nope is not valid for pod web-a"), noContainer.toString());
    Kubectl.Result noPod = run("exec", "nope", "--", "ls");
    assertNotEquals(0, noPod.exit());
    assertTrue(noPod.err().contains("pods \"nope\" not found"), noPod.toString());
    Kubectl.Result noCommand = run("exec", "web-a", "--", "no-such-command");
    assertNotEquals(0, noCommand.exit());
    assertTrue(noCommand.out().contains("executable file not found"), noCommand.toString());

    Api.Reply plain = api.get(PODS + "/web-a/exec?command=ls&stdout=true");
    assertEquals(400, plain.code(), plain.body());
    assertTrue(plain.body().contains("Upgrade request required"), plain.body());
    Api.Reply noStreams = api.get(PODS + "/web-a/exec?command=ls");
    assertEquals(400, noStreams.code(), noStreams.body());
    Api.Reply put = api.put(PODS + "/web-a/exec?command=ls", "{}");
    assertEquals(405, put.code(), put.body());
    Api.Reply forward = api.get(PODS + "/nope/portforward");
    assertEquals(404, forward.code(), forward.body());
  }

  @Test
  @Order(9)
  void kubectl120IsToldWhichKubectlWorks() {
    Kubectl old = Kubectl.v120(work).configure(control, "default");
    Kubectl.Result exec = old.run("exec", "web-a", "--", "ls");
    assertNotEquals(0, exec.exit());
    assertTrue(exec.err().contains("use kubectl 1.30 or newer"), exec.toString());
    Kubectl.Result missing = old.run("exec", "web-a", "-c", "nope", "--", "ls");
    assertTrue(missing.err().contains("container nope is not valid for pod web-a"), missing.toString());
    try {
      Process p = old.builder("port-forward", "web-a", ":80").redirectErrorStream(true).start();
      processes.add(p);
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "kubectl 1.20 port-forward gives up");
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertNotEquals(0, p.exitValue());
      assertTrue(out.contains("use kubectl 1.31 or newer"), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  @Order(10)
  void kubectl135ExecsCopiesAndForwards() throws Exception {
    Kubectl k = Kubectl.v135(work).configure(control, "default");
    Kubectl.Result r = k.run("exec", "web-b", "--", "sh", "-c", "exit 7");
    assertEquals(7, r.exit(), r.toString());
    Kubectl.Result piped = k.runWithInput("one\ntwo\n", "exec", "-i", "web-b", "--", "cat");
    assertEquals("one\ntwo\n", piped.out(), piped.toString());
    Path note = Files.writeString(work.resolve("note-135.txt"), "from kubectl 1.35\n");
    assertEquals(0, k.run("cp", note.toString(), "web-b:/tmp/note-135.txt").exit());
    assertEquals("from kubectl 1.35\n", k.run("exec", "web-b", "--", "cat", "/tmp/note-135.txt").out());
    Forward forward = portForward(k, "pod/web-b", 80);
    assertEquals(200, httpGet(forward.port()).statusCode());
    forward.process().destroy();
  }

  // ---- the protocols without kubectl: a WebSocket client of our own --------------------------

  /** A {@code channel.k8s.io} client: what arrives by channel, the close, and a way to send. */
  private static final class ChannelClient implements WebSocket.Listener {
    final Map<Integer, ByteArrayOutputStream> channels = new ConcurrentHashMap<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final StringBuilder text = new StringBuilder();
    WebSocket socket;

    static ChannelClient open(HttpClient http, String url, String protocol) {
      ChannelClient c = new ChannelClient();
      c.socket = http.newWebSocketBuilder().subprotocols(protocol)
          .buildAsync(URI.create(url.replaceFirst("^http", "ws")), c).join();
      return c;
    }

    String channel(int n) {
      ByteArrayOutputStream b = channels.get(n);
      return b == null ? "" : b.toString(StandardCharsets.UTF_8);
    }

    byte[] bytes(int n) {
      ByteArrayOutputStream b = channels.get(n);
      return b == null ? new byte[0] : b.toByteArray();
    }

    void send(int channel, byte[] data) {
      byte[] m = new byte[data.length + 1];
      m[0] = (byte) channel;
      System.arraycopy(data, 0, m, 1, data.length);
      socket.sendBinary(java.nio.ByteBuffer.wrap(m), true).join();
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, java.nio.ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      partial.writeBytes(b);
      if (last) {
        byte[] whole = partial.toByteArray();
        partial.reset();
        if (whole.length > 0) channels.computeIfAbsent(whole[0] & 0xff, k -> new ByteArrayOutputStream()).write(whole, 1, whole.length - 1);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        String whole = text.toString();
        text.setLength(0);
        byte[] decoded = java.util.Base64.getDecoder().decode(whole.substring(1));
        channels.computeIfAbsent(whole.charAt(0) - '0', k -> new ByteArrayOutputStream()).writeBytes(decoded);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      closed.complete(code);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.completeExceptionally(error);
    }
  }

  @Test
  @Order(11)
  void v4ExecWithATerminalTakesTheClientsSize() throws Exception {
    String script = "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do s=$(stty size); "
        + "[ \"$s\" = \"40 100\" ] && break; sleep 0.2; done; echo $s";
    String url = control.apiUrl() + PODS + "/web-b/exec?command=sh&command=-c&command="
        + java.net.URLEncoder.encode(script, StandardCharsets.UTF_8) + "&stdin=true&stdout=true&tty=true";
    ChannelClient c = ChannelClient.open(api.client(), url, "v4.channel.k8s.io");
    c.send(4, "{\"Width\":100,\"Height\":40}".getBytes(StandardCharsets.UTF_8));
    c.closed.get(30, TimeUnit.SECONDS);
    assertTrue(c.channel(1).contains("40 100"), c.channel(1));
    assertTrue(c.channel(3).contains("\"Success\""), c.channel(3));
  }

  @Test
  @Order(12)
  void base64ExecForClientsThatSendText() throws Exception {
    ChannelClient c = ChannelClient.open(api.client(), control.apiUrl() + PODS + "/web-a/exec?command=echo&command=hi&stdout=true",
        "v4.base64.channel.k8s.io");
    c.closed.get(30, TimeUnit.SECONDS);
    assertEquals("hi\n", c.channel(1));
  }

  @Test
  @Order(13)
  void v4PortForwardWithPortsInTheQuery() throws Exception {
    ChannelClient c = ChannelClient.open(api.client(), control.apiUrl() + PODS + "/web-b/portforward?ports=80", "v4.channel.k8s.io");
    Await.until("the port on both channels", Duration.ofSeconds(10), () -> c.bytes(0).length >= 2 && c.bytes(1).length >= 2);
    assertArrayEquals(new byte[] {80, 0}, java.util.Arrays.copyOf(c.bytes(1), 2), "port 80, little-endian");
    c.send(0, "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
    Await.until("the page through channel 0", Duration.ofSeconds(10), () -> c.channel(0).contains("Hello from Tugboat"));
    // httpd closes after its answer: the only connection is over, and so is the WebSocket.
    c.closed.get(10, TimeUnit.SECONDS);

    ChannelClient closedPort = ChannelClient.open(api.client(), control.apiUrl() + PODS + "/web-b/portforward?ports=81", "v4.channel.k8s.io");
    Await.until("the reason on the error channel", Duration.ofSeconds(15),
        () -> closedPort.channel(1).contains("connection refused"));
  }

  @Test
  @Order(14)
  void anUnservedSubprotocolIsA400() {
    CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
        () -> ChannelClient.open(api.client(), control.apiUrl() + PODS + "/web-a/exec?command=ls&stdout=true", "channel.k8s.io"));
    assertTrue(refused.getCause() instanceof WebSocketHandshakeException, refused.toString());
    assertEquals(400, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
  }

  // ---- attach and tug --------------------------------------------------------------------------

  @Test
  @Order(15)
  void attachFeedsAContainersOwnStdin() {
    Api.Reply created = api.post(PODS, """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"reader"},
         "spec":{"restartPolicy":"Never","terminationGracePeriodSeconds":1,"nodeSelector":{"kubernetes.io/hostname":"%s"},
          "containers":[{"name":"reader","image":"%s","stdin":true,"stdinOnce":true,
            "command":["sh","-c","while read l; do echo got $l; done; echo bye"]}]}}
        """.formatted(nodeB, IMAGE));
    assertEquals(201, created.code(), created.body());
    assertEquals(true, api.get(PODS + "/reader").json().at("/spec/containers/0/stdin").asBoolean(), "stdin kept");
    awaitRunning("reader");
    Kubectl.Result r = kubectl.runWithInput("a\nb\n", "attach", "-i", "reader");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("got a\ngot b\nbye"), r.toString());
  }

  @Test
  @Order(16)
  void tugExecRunsACommandAndExitsWithItsCode() {
    java.io.StringWriter err = new java.io.StringWriter();
    int exit = dev.tugboat.cli.TugCommand.commandLine().setErr(new java.io.PrintWriter(err, true))
        .execute("exec", "web-b", TestTugboat.tugServerOption(control), "-n", "default", "--", "sh", "-c", "exit 4");
    assertEquals(4, exit, err.toString());
    assertTrue(err.toString().contains("command terminated with exit code 4"), err.toString());
    int ok = dev.tugboat.cli.TugCommand.commandLine().execute("exec", "deploy/site", TestTugboat.tugServerOption(control),
        "--", "ls", "/www");
    assertEquals(0, ok);
  }

  @Test
  @Order(17)
  void tugPortForwardCarriesHttp() throws Exception {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    try (dev.tugboat.cli.PortForwardCommand.Forwarding f = dev.tugboat.cli.PortForwardCommand.start(api.client(), control.apiUrl(),
        PODS + "/web-b", List.of(":80", ":81"), new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true))) {
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> r = httpGet(f.localPort(0));
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("Hello from Tugboat"), r.body());
      }
      assertTrue(out.toString().contains("Forwarding from 127.0.0.1:" + f.localPort(0) + " -> 80"), out.toString());
      try {
        httpGet(f.localPort(1));
      } catch (IOException e) {
        // the connection is closed: the reason is on stderr
      }
      Await.until("tug says why port 81 failed: " + err, Duration.ofSeconds(15),
          () -> err.toString().contains("connection refused"));
    }
  }

  /** {@code script} gives kubectl a terminal of a size we choose: kubectl then asks for a tty and sends that size. */
  @Test
  @Order(18)
  void execWithATerminalFromKubectl() throws Exception {
    // The size arrives just after the process starts (Docker 20.10's exec takes no initial size), so
    // the command waits for it, as a shell's prompt waits for SIGWINCH.
    String line = "stty cols 123 rows 45; " + kubectl.binary() + " exec -it web-a -- sh -c "
        + "'for i in 1 2 3 4 5 6 7 8 9 10; do s=$(stty size 2>/dev/null); [ \"$s\" = \"45 123\" ] && break; sleep 0.2; done; echo $s'";
    ProcessBuilder pb = new ProcessBuilder("script", "-qec", line, "/dev/null").redirectErrorStream(true);
    pb.environment().put("KUBECONFIG", kubectl.home().resolve("kubeconfig").toString());
    pb.environment().put("HOME", kubectl.home().toString());
    Process p = pb.start();
    processes.add(p);
    p.getOutputStream().close();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(out.contains("45 123"), out.replace("\r", "\\r"));
  }

  /** Started first and checked last, so that its minute of quiet overlaps the other cases. */
  private Process quietExec;

  @Test
  @Order(0)
  void aQuietExecStarts() throws Exception {
    // kubectl gives up on a WebSocket that answers no ping for 61 s: the server's pongs keep it up.
    quietExec = kubectl.builder("exec", "web-b", "--", "sh", "-c", "sleep 66; echo still here").redirectErrorStream(true).start();
    processes.add(quietExec);
  }

  @Test
  @Order(19)
  void aQuietExecOutlivesKubectlsPingDeadline() throws Exception {
    Process p = quietExec;
    assertTrue(p != null, "started by aQuietExecStarts");
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertEquals("still here\n", out);
  }
}
