package dev.tugboat.bench;

import dev.tugboat.registry.RegistryMetrics;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tug bench scale}: N simulated nodes (the real NodeAgent code on {@code SimulatedRuntime}, the
 * kubemark/KWOK idea: no containers) and M pods created through the HTTP API as Deployments, until a
 * watch shows every pod bound and Running. Reports pods bound per second, events persisted per second
 * (every binding and status is a persisted event in Cassandra), the create requests' latency, the heap
 * used, and the time to serve the list of all pods again after a full restart on the same Cassandra.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
    description = "N simulated nodes, M pods as Deployments through the API: bind rate, events/s, restart.")
public final class ScaleBench implements Callable<Integer> {
  @Mixin BenchOptions options;
  @Mixin CommitLogOptions commitLog;
  @Spec CommandSpec spec;

  @Option(names = "--nodes", description = "Simulated nodes (default ${DEFAULT-VALUE}).")
  int nodes = 100;

  @Option(names = "--pods", description = "Pods in all (default ${DEFAULT-VALUE}).")
  int pods = 1000;

  @Option(names = "--replicas", description = "Replicas per Deployment (default ${DEFAULT-VALUE}); pods / replicas Deployments are created.")
  int replicas = 10;

  @Option(names = "--clients", description = "Create requests in flight at once (default ${DEFAULT-VALUE}).")
  int clients = 8;

  @Option(names = "--heartbeat", converter = DurationConverter.class, description = "Node lease renewal interval (default ${DEFAULT-VALUE}, the kubelet's).")
  Duration heartbeat = Duration.ofSeconds(10);

  @Option(names = "--cassandra-heap", description = "Max heap of the embedded Cassandra (default ${DEFAULT-VALUE}).")
  String cassandraHeap = "2g";

  @Option(names = "--timeout", converter = DurationConverter.class, description = "Longest wait for all pods Running (default ${DEFAULT-VALUE}).")
  Duration timeout = Duration.ofMinutes(30);

  @Option(names = "--no-restart", description = "Skip the restart measurement.")
  boolean noRestart;

  @Option(names = "--ceiling", converter = DurationConverter.class, description = "How long the journal's ceiling is measured after the pods run; 0s: not at all (default ${DEFAULT-VALUE}).")
  Duration ceiling = Duration.ofSeconds(30);

  @Option(names = "--ceiling-entities", description = "Entities writing at once for the ceiling (default ${DEFAULT-VALUE}).")
  int ceilingEntities = 1000;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> environment = Environment.describe();
    int deployments = (pods + replicas - 1) / replicas;
    String stem = "scale-" + nodes + "n-" + pods + "p";
    Report.Builder report = new Report.Builder("scale",
        nodes + " simulated nodes, " + pods + " pods as " + deployments + " Deployments through the API")
        .command(BenchOptions.commandLine(spec))
        .parameter("commitlogSync", commitLog.commitLog().toString())
        .parameter("nodes", nodes).parameter("pods", pods).parameter("deployments", deployments)
        .parameter("replicasPerDeployment", replicas).parameter("clients", clients)
        .parameter("heartbeat", heartbeat.toString()).parameter("runtime", "simulated")
        .series("create request", "ms")
        .chartLabels("seconds since the first create request", "pods");
    Map<String, Object> config = new HashMap<>();
    config.put("tugboat.node.runtime", "simulated");
    config.put("tugboat.node.simulated.nodes", nodes);
    int podsPerNode = Math.max(110, (int) Math.ceil(pods * 1.5 / nodes));
    config.put("tugboat.node.capacity.pods", podsPerNode);
    config.put("tugboat.node.capacity.cpu", Integer.toString(Math.max(4, podsPerNode / 10 + 1)));
    config.put("tugboat.node.capacity.memory", "256Gi");
    config.put("tugboat.node.heartbeat-interval", heartbeat.toMillis() + "ms");
    // Kubernetes' ratio of grace to heartbeat (40 s to 10 s): a busy machine must not make nodes NotReady.
    config.put("tugboat.controllers.node-grace-period", heartbeat.multipliedBy(4).toMillis() + "ms");
    var work = options.work("scale");
    BenchLogging.toFile(work.resolveSibling("scale.log"));
    System.out.printf("scale: %d simulated nodes, %d pods (%d Deployments of %d); Cassandra and Tugboat under %s%n",
        nodes, pods, deployments, replicas, work);
    try (LocalCluster cluster = LocalCluster.start(work, "sim", config, cassandraHeap, commitLog.commitLog())) {
      HttpApi api = cluster.api();
      long nodesStart = System.nanoTime();
      Wait.until(nodes + " nodes registered", Duration.ofMinutes(10), Duration.ofMillis(200),
          () -> api.get("/api/v1/nodes").json().path("items").size() >= nodes);
      report.figure("nodes registered after start", Millis.since(nodesStart) / 1000, "s");
      PodTracker tracker = new PodTracker();
      try (Watch watch = Watch.start(api, "/api/v1/pods", tracker)) {
        long persistedBefore = RegistryMetrics.persistedTotal();
        Map<String, Long> byKindBefore = RegistryMetrics.persistedByKind();
        long start = System.nanoTime();
        createDeployments(api, deployments, report);
        long created = System.nanoTime();
        System.out.printf("scale: %d Deployments created in %.1f s; waiting for %d pods Running%n",
            deployments, Millis.between(start, created) / 1000, pods);
        tracker.await(pods + " pods Running", timeout, t -> {
          return t.everRunning() >= pods;
        });
        long allRunning = System.nanoTime();
        long persistedAfter = RegistryMetrics.persistedTotal();
        List<Long> bound = tracker.boundTimes();
        List<Long> running = tracker.runningTimes();
        long firstBound = bound.get(0);
        long allBound = bound.get(pods - 1);
        double bindSeconds = Millis.between(firstBound, allBound) / 1000;
        double totalSeconds = Millis.between(start, allRunning) / 1000;
        report.figure("pods bound per second (first to last binding)", pods / Math.max(bindSeconds, 1e-3), "1/s");
        report.figure("pods Running per second (first create to all Running)", pods / totalSeconds, "1/s");
        report.figure("first create -> all pods bound", Millis.between(start, allBound) / 1000, "s");
        report.figure("first create -> all pods Running", totalSeconds, "s");
        report.figure("events persisted per second (first create to all Running)",
            (persistedAfter - persistedBefore) / totalSeconds, "1/s");
        report.figure("events persisted", persistedAfter - persistedBefore, "");
        // Which kinds the events went to: where a cheaper write path would pay.
        RegistryMetrics.persistedByKind().forEach((kind, n) ->
            report.figure("events persisted: " + kind, n - byKindBefore.getOrDefault(kind, 0L), ""));
        report.curve(cumulative("bound", bound, start));
        report.curve(cumulative("Running", running, start));
        double heap = heapUsedMiB();
        report.figure("heap used after GC (whole JVM: Tugboat and the benchmark)", heap, "MiB");
        double rate = pods / Math.max(bindSeconds, 1e-3);
        report.goal("at least 1,000 pods bound per second, every binding persisted", rate, "1/s", rate >= 1000);
        if (!ceiling.isZero()) {
          double perSecond = (persistedAfter - persistedBefore) / totalSeconds;
          double ceilingPerSecond = JournalCeiling.measureInto(report, cluster.tugboat().system(), ceilingEntities, ceiling);
          report.figure("Tugboat's events per second as a share of the ceiling", perSecond / ceilingPerSecond, "");
          report.goal("at least half the journal's ceiling", perSecond / ceilingPerSecond, "", perSecond >= ceilingPerSecond / 2);
        }
      }
      if (!noRestart) restart(cluster, report);
    }
    double p99 = Summary.of(report.samples("create request")).p99();
    report.figure("create request p99", p99, "ms");
    report.note("Simulated nodes: the real NodeAgent, its pod workers and status reports, on SimulatedRuntime "
        + "(no containers). Every binding and pod status is an event persisted in Cassandra before it is acknowledged.");
    report.note("Tugboat (control plane and all node agents), its embedded Cassandra (a child JVM) and this benchmark's "
        + "client share the machine's " + Runtime.getRuntime().availableProcessors() + " cores.");
    report.note("Anchor: kube-scheduler's scheduler_perf, 680 pods/s at 5,000 nodes and 10,000 pods, bindings persisted to etcd.");
    report.note("Node leases renewed every " + heartbeat.toSeconds() + " s (a message), grace 4x that (Kubernetes: lease every 10 s, grace 40 s); "
        + "Node statuses written when they change and every 5 minutes.");
    Environment.record(report, environment);
    ReportWriter.write(report.build(), stem, options.out, System.out);
    return 0;
  }

  private void createDeployments(HttpApi api, int deployments, Report.Builder report) throws Exception {
    ParallelCreates.run(api, clients, deployments, index -> {
      String name = "scale-" + index;
      int count = Math.min(replicas, pods - index * replicas);
      return new ParallelCreates.Create("/apis/apps/v1/namespaces/default/deployments", """
          {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s"},
           "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"%s"}},
            "template":{"metadata":{"labels":{"app":"%s"}},
             "spec":{"containers":[{"name":"app","image":"simulated/app",
               "resources":{"requests":{"cpu":"10m","memory":"16Mi"}}}]}}}}
          """.formatted(name, count, name, name));
    }, report, "create request");
  }

  /** Stops Tugboat as Ctrl-C would, starts it again on the same Cassandra, and times until it lists every pod. */
  private void restart(LocalCluster cluster, Report.Builder report) {
    System.out.println("scale: restarting Tugboat on the same Cassandra");
    long stopping = System.nanoTime();
    cluster.stopMember();
    report.figure("restart: stop took", Millis.since(stopping) / 1000, "s");
    long starting = System.nanoTime();
    cluster.startMember();
    HttpApi api = cluster.api();
    report.figure("restart: start -> API ready", Millis.since(starting) / 1000, "s");
    Wait.until("the list of all " + pods + " pods", Duration.ofMinutes(10), Duration.ofMillis(100), () -> {
      HttpApi.Reply r = api.tryGet("/api/v1/pods");
      return r != null && r.code() == 200 && r.json().path("items").size() >= pods;
    });
    report.figure("restart: start -> list serves all pods", Millis.since(starting) / 1000, "s");
  }


  private static double heapUsedMiB() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
  }

  /** Pods reaching a state over time: (seconds since start, how many so far), thinned to at most 400 points. */
  static Curve cumulative(String name, List<Long> times, long startNanos) {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    int step = Math.max(1, times.size() / 400);
    for (int i = 0; i < times.size(); i++) {
      if (i % step == 0 || i == times.size() - 1) {
        x.add(Millis.between(startNanos, times.get(i)) / 1000);
        y.add((double) (i + 1));
      }
    }
    return new Curve(name, x, y);
  }
}
