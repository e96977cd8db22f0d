package dev.tugboat.bench;

import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.FreePort;
import dev.tugboat.proxy.ingress.IngressMetrics;
import dev.tugboat.runtime.ContainerRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tug bench ingress}: HTTP requests to R busybox httpd pods through the ingress controller,
 * against the same requests sent straight to the pods (their published host ports, in turn), side by
 * side and alternating. Each turn measures latency open-loop at a fixed rate (each request due at
 * {@code start + i/rate}, charged from then), then throughput closed-loop (C connections sending back
 * to back for a while). The Tugboat under test is a JVM of its own ({@code tug up} of the jar, with
 * its own Cassandra); this JVM is the load generator for both sides.
 */
@Command(name = "ingress", mixinStandardHelpOptions = true,
    description = "Requests through the Ingress vs straight to the pods: open-loop p50/p99 and closed-loop requests/s.")
public final class IngressBench implements Callable<Integer> {
  static final String NODE = "bench-ingress";
  private static final String DIRECT = "direct";
  private static final String INGRESS = "ingress";

  @Mixin BenchOptions options;
  @Mixin CommitLogOptions commitLog;
  @Spec CommandSpec spec;

  @Option(names = "--replicas", description = "Pods behind the Service (default ${DEFAULT-VALUE}).")
  int replicas = 2;

  @Option(names = "--rate", description = "Requests per second of the open-loop phase (default ${DEFAULT-VALUE}).")
  double rate = 200;

  @Option(names = "--duration", converter = DurationConverter.class, description = "Open-loop time per turn (default ${DEFAULT-VALUE}).")
  Duration duration = Duration.ofSeconds(20);

  @Option(names = "--warm-up", converter = DurationConverter.class,
      description = "Open-loop time of each side's unrecorded first turn (default ${DEFAULT-VALUE}): long enough for the"
          + " JIT to compile the ingress's request path, as JMH warms up before it measures.")
  Duration warmUp = Duration.ofSeconds(60);

  @Option(names = "--throughput-duration", converter = DurationConverter.class,
      description = "Closed-loop time per turn; 0 skips it (default ${DEFAULT-VALUE}).")
  Duration throughputDuration = Duration.ofSeconds(10);

  @Option(names = "--connections", description = "Sender threads (connections) of the load generator (default ${DEFAULT-VALUE}).")
  int connections = 16;

  @Option(names = {"-n", "--repeat"}, description = "Recorded turns of each side, after one warm-up turn each (default ${DEFAULT-VALUE}).")
  int repeat = 3;

  @Option(names = "--image", description = "The pods' image (default ${DEFAULT-VALUE}).")
  String image = "tugboat/busybox:1.0";

  @Option(names = "--jar", description = "The Tugboat jar to start (default: this one, or target/tugboat-*.jar).")
  Path jar;

  @Option(names = "--jvm-options", split = " ", description = "JVM options of the Tugboat started (default ${DEFAULT-VALUE}).")
  List<String> jvmOptions = new ArrayList<>(List.of("-Xmx1g"));

  /** One side's target: the URLs it spreads its requests over, in turn. */
  private record Target(String name, List<URI> urls, AtomicInteger next) {
    URI pick() {
      return urls.get(Math.floorMod(next.getAndIncrement(), urls.size()));
    }
  }

  @Override
  public Integer call() throws Exception {
    Map<String, Object> environment = Environment.describe();
    DockerCli.requireEngineAndImage(image);
    Report.Builder report = new Report.Builder("ingress",
        "HTTP through the Ingress vs straight to the pods: open-loop at " + (int) rate + "/s (ms from due time)")
        .command(BenchOptions.commandLine(spec))
        .parameter("commitlogSync", commitLog.commitLog().toString())
        .parameter("replicas", replicas).parameter("rate", rate).parameter("durationSeconds", duration.toSeconds())
        .parameter("warmUpSeconds", warmUp.toSeconds())
        .parameter("throughputSeconds", throughputDuration.toSeconds()).parameter("connections", connections)
        .parameter("repeat", repeat).parameter("image", image)
        .environment("docker", DockerCli.engineVersion())
        .chartLabels("request", "ms")
        .series(DIRECT, "ms").series(INGRESS, "ms")
        .series(DIRECT + " requests/s (closed loop)", "1/s").series(INGRESS + " requests/s (closed loop)", "1/s");
    Path work = options.work("ingress");
    LocalCluster.deleteTree(work);
    DockerCli.removeContainers(ContainerRuntime.NODE + "=" + NODE);
    int httpPort = FreePort.find();
    int httpsPort = FreePort.find();
    List<String> jvm = new ArrayList<>(jvmOptions);
    jvm.add("-Dtugboat.proxy.ingress.http-port=" + httpPort);
    jvm.add("-Dtugboat.proxy.ingress.https-port=" + httpsPort);
    System.out.println("ingress: starting Cassandra and a Tugboat JVM under " + work);
    EmbeddedCassandra cassandra = EmbeddedCassandra.start(new EmbeddedCassandra.Settings(work.resolve("cassandra"),
        "127.0.0.1", FreePort.find(), "256m", "1g", Duration.ofSeconds(180), Duration.ofSeconds(60),
          commitLog.commitLog()));
    MemberProcess member = new MemberProcess(new MemberProcess.Spec("tugboat", NODE, List.of("control-plane", "worker")),
        jar != null ? jar : MemberProcess.defaultJar(), work, cassandra.host() + ":" + cassandra.port(), "bench", jvm);
    try (Cleanup cleanup = Cleanup.of("ingress", () -> {
      member.close();
      DockerCli.removeContainers(ContainerRuntime.NODE + "=" + NODE);
      cassandra.close();
    })) {
      member.start(List.of());
      member.awaitUp(Duration.ofMinutes(3));
      report.parameter("tugboatJvmOptions", String.join(" ", jvm));
      HttpApi api = member.api();
      Wait.until("node " + NODE + " Ready", Duration.ofSeconds(120), Duration.ofMillis(100), () -> Nodes.ready(api, NODE));
      List<URI> pods = deploy(api);
      Target direct = new Target(DIRECT, pods, new AtomicInteger());
      Target ingress = new Target(INGRESS, List.of(URI.create("http://127.0.0.1:" + httpPort + "/")), new AtomicInteger());
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      Wait.until("the Ingress answers", Duration.ofSeconds(60), Duration.ofMillis(100), () -> status(client, ingress.pick()) == 200);
      List<String> handlerNotes = new ArrayList<>();
      for (Alternation.Turn turn : Alternation.schedule(List.of(DIRECT, INGRESS), repeat + 1)) {
        boolean recorded = turn.round() > 0;
        Target target = turn.contender().equals(DIRECT) ? direct : ingress;
        boolean throughIngress = target == ingress;
        // The member's /metrics is read only around its own turns: the direct ones leave it alone.
        BucketCounts before = throughIngress ? handlerTimes(api) : null;
        List<Double> latencies = openLoop(client, target, recorded ? duration : warmUp);
        String inMember = throughIngress ? handlerQuantiles(handlerTimes(api).since(before)) : null;
        double throughput = throughputDuration.isZero() ? Double.NaN : closedLoop(client, target);
        Summary s = Summary.of(latencies);
        System.out.printf("ingress: %-7s%s: open loop p50 %.2f ms, p99 %.2f ms%s; closed loop %.0f requests/s%n",
            turn.contender(), recorded ? "" : " (warm-up)", s.p50(), s.p99(),
            throughIngress ? " (the member's handler: " + inMember + ")" : "", throughput);
        if (!recorded) continue;
        if (throughIngress) handlerNotes.add(String.format("%s against %.1f and %.1f ms at the client", inMember, s.p50(), s.p99()));
        latencies.forEach(l -> report.sample(turn.contender(), l));
        if (!Double.isNaN(throughput)) report.sample(turn.contender() + " requests/s (closed loop)", throughput);
      }
      report.note("The ingress turns' open loop as the member's handler timed it (" + IngressMetrics.DURATION_NAME
          + ", from the handler's call to the response's headers, as bucket bounds): " + String.join("; ", handlerNotes) + ".");
    }
    double ratio = report.ratioOfP99(INGRESS, DIRECT);
    report.goal("through the Ingress at most 1.5x direct latency at p99", ratio, "x", ratio <= 1.5);
    report.ratioOfMedians(INGRESS, DIRECT);
    if (!throughputDuration.isZero()) report.ratioOfMedians(INGRESS + " requests/s (closed loop)", DIRECT + " requests/s (closed loop)");
    report.note("direct: GET / of each pod in turn at its published host port (127.0.0.1), the way the Endpoints name it; "
        + "ingress: GET / through the ingress controller's HTTP port, an Ingress rule without a host to a Service of the same pods.");
    report.note("Open loop: request i is due at start + i/rate and its latency counts from then (no coordinated omission); "
        + "requests wait in a queue for one of the sender threads, as wrk2's. Closed loop: each sender sends its next request "
        + "when its last is answered, for the time given; requests/s is answers (2xx) per second.");
    report.note("busybox httpd closes every connection after its answer, so each direct request and each request the "
        + "ingress forwards opens a TCP connection to a pod; the client keeps its connection to the ingress open. "
        + "Direct requests go to the host ports the pods publish, through Docker's userland proxy (how a client off the "
        + "node reaches a pod); the ingress reaches this host's pods at their pod IP (tugboat.proxy.ingress.local-pods-by-pod-ip).");
    Environment.record(report, environment);
    ReportWriter.write(report.build(), options.out, System.out);
    return 0;
  }

  /** The Deployment, its Service and its Ingress; returns the pods' URLs once all are Ready behind the Service. */
  private List<URI> deploy(HttpApi api) {
    HttpApi.Reply deployment = api.post("/apis/apps/v1/namespaces/default/deployments", """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
         "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},
           "spec":{"terminationGracePeriodSeconds":0,"containers":[{"name":"httpd","image":"%s",
             "command":["sh","-c","mkdir -p /w; echo hello from $(hostname) > /w/index.html; exec httpd -f -p 8080 -h /w"],
             "ports":[{"name":"http","containerPort":8080}],
             "readinessProbe":{"httpGet":{"path":"/","port":"http"},"periodSeconds":1}}]}}}}
        """.formatted(replicas, image));
    if (deployment.code() != 201) throw new IllegalStateException("create deployment: " + deployment.code() + " " + deployment.body());
    HttpApi.Reply service = api.post("/api/v1/namespaces/default/services", """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},
         "spec":{"selector":{"app":"web"},"ports":[{"name":"http","port":80,"targetPort":"http"}]}}""");
    if (service.code() != 201) throw new IllegalStateException("create service: " + service.code() + " " + service.body());
    HttpApi.Reply ingress = api.post("/apis/networking.k8s.io/v1/namespaces/default/ingresses", """
        {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"web"},
         "spec":{"rules":[{"http":{"paths":[{"path":"/","pathType":"Prefix",
           "backend":{"service":{"name":"web","port":{"name":"http"}}}}]}}]}}""");
    if (ingress.code() != 201) throw new IllegalStateException("create ingress: " + ingress.code() + " " + ingress.body());
    return Wait.until(replicas + " pods ready behind the Service", Duration.ofMinutes(3), Duration.ofMillis(100), () -> {
      HttpApi.Reply endpoints = api.tryGet("/api/v1/namespaces/default/endpoints/web");
      if (endpoints == null || endpoints.code() != 200) return null;
      List<URI> urls = new ArrayList<>();
      endpoints.json().path("subsets").forEach(s -> s.path("addresses").forEach(a -> s.path("ports").forEach(p ->
          urls.add(URI.create("http://" + a.path("ip").asText() + ":" + p.path("port").asInt() + "/")))));
      return urls.size() == replicas ? urls : null;
    });
  }

  /** The ingress handler's request times so far, from the member's {@code /metrics}. */
  private static BucketCounts handlerTimes(HttpApi api) {
    HttpApi.Reply metrics = api.tryGetText("/metrics");
    return BucketCounts.read(metrics == null ? "" : metrics.body(), IngressMetrics.DURATION_NAME);
  }

  /** p50 and p99 of the handler's times, as the bounds of their buckets. */
  private static String handlerQuantiles(BucketCounts times) {
    return "p50 <= " + bound(times.quantileBound(0.5)) + " ms, p99 <= " + bound(times.quantileBound(0.99)) + " ms";
  }

  private static String bound(double seconds) {
    return Double.isInfinite(seconds) ? "inf" : Double.isNaN(seconds) ? "?" : String.format("%.1f", seconds * 1000);
  }

  private static int status(HttpClient client, URI uri) {
    try {
      return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return 0;
    }
  }

  /** Requests at {@link #rate} for {@code length}; the latency of each answered one in ms, failures counted apart. */
  private List<Double> openLoop(HttpClient client, Target target, Duration length) {
    List<Long> due = OpenLoop.dueTimes(rate, length.toMillis() / 1000.0);
    List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>(due.size()));
    AtomicInteger failures = new AtomicInteger();
    BlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
    CountDownLatch finished = new CountDownLatch(due.size());
    long start = System.nanoTime() + 1_000_000;
    List<Thread> senders = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      Thread sender = new Thread(() -> {
        try {
          while (true) {
            int i = queue.take();
            if (i < 0) return;
            int code = status(client, target.pick());
            long latency = OpenLoop.latencyNanos(start, due.get(i), System.nanoTime());
            if (code == 200) latencies.add(latency / 1e6);
            else failures.incrementAndGet();
            finished.countDown();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "bench-ingress-sender-" + c);
      sender.setDaemon(true);
      sender.start();
      senders.add(sender);
    }
    for (int i = 0; i < due.size(); i++) {
      long dueAt = start + due.get(i);
      // Pacing to the schedule, not a wait for something to happen: the load is open-loop.
      for (long left = dueAt - System.nanoTime(); left > 0; left = dueAt - System.nanoTime()) LockSupport.parkNanos(left);
      queue.add(i);
    }
    try {
      if (!finished.await(2, TimeUnit.MINUTES)) System.out.println("ingress: answers still missing after 2 min");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    senders.forEach(s -> queue.add(-1));
    if (failures.get() > 0) System.out.printf("ingress: %s: %d of %d requests failed%n", target.name(), failures.get(), due.size());
    return new ArrayList<>(latencies);
  }

  /** Answers (200) per second with {@link #connections} senders back to back for {@link #throughputDuration}. */
  private double closedLoop(HttpClient client, Target target) {
    AtomicLong answered = new AtomicLong();
    Map<Integer, AtomicInteger> failures = new ConcurrentHashMap<>();
    long start = System.nanoTime();
    long end = start + throughputDuration.toNanos();
    List<Thread> senders = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      Thread sender = new Thread(() -> {
        while (System.nanoTime() < end) {
          int code = status(client, target.pick());
          if (code == 200) answered.incrementAndGet();
          else failures.computeIfAbsent(code, k -> new AtomicInteger()).incrementAndGet();
        }
      }, "bench-ingress-closed-" + c);
      sender.setDaemon(true);
      sender.start();
      senders.add(sender);
    }
    for (Thread s : senders) {
      try {
        s.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (!failures.isEmpty()) System.out.printf("ingress: %s closed loop failures by status: %s%n", target.name(), failures);
    return answered.get() / ((System.nanoTime() - start) / 1e9);
  }
}
