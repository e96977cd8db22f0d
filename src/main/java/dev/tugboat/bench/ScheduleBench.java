package dev.tugboat.bench;

import dev.tugboat.registry.RegistryMetrics;
import java.time.Duration;
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
 * {@code tug bench schedule}: kube-scheduler's scheduler_perf SchedulingBasic. N Nodes (objects only,
 * no node agents: 4 CPUs, 32 GiB, 110 pods each, as scheduler_perf's) and M pods (100m CPU, 500 MiB)
 * are created through the API while no scheduler runs; then the scheduler starts, and a watch times
 * every pod bound. Each binding is persisted to Cassandra before it is acknowledged. In the same run
 * {@link JournalCeiling} measures what the journal alone persists, with events of the size the run's
 * own are, and the report quotes the binding rate as a share of it.
 */
@Command(name = "schedule", mixinStandardHelpOptions = true,
    description = "scheduler_perf's SchedulingBasic: N nodes, M pending pods, then the scheduler: pods bound/s, and the journal's own ceiling.")
public final class ScheduleBench implements Callable<Integer> {
  @Mixin BenchOptions options;
  @Mixin CommitLogOptions commitLog;
  @Spec CommandSpec spec;

  @Option(names = "--nodes", description = "Nodes (default ${DEFAULT-VALUE}).")
  int nodes = 5000;

  @Option(names = "--pods", description = "Pods (default ${DEFAULT-VALUE}).")
  int pods = 10000;

  @Option(names = "--clients", description = "Create requests in flight at once while setting up (default ${DEFAULT-VALUE}).")
  int clients = 16;

  @Option(names = "--cassandra-heap", description = "Max heap of the embedded Cassandra (default ${DEFAULT-VALUE}).")
  String cassandraHeap = "2g";

  @Option(names = "--timeout", converter = DurationConverter.class, description = "Longest wait for every pod bound (default ${DEFAULT-VALUE}).")
  Duration timeout = Duration.ofMinutes(30);

  @Option(names = "--ceiling", converter = DurationConverter.class, description = "How long the journal's ceiling is measured; 0s: not at all (default ${DEFAULT-VALUE}).")
  Duration ceiling = Duration.ofSeconds(30);

  @Option(names = "--ceiling-entities", description = "Entities writing at once for the ceiling (default ${DEFAULT-VALUE}).")
  int ceilingEntities = 1000;

  private static final String PODS = "/api/v1/namespaces/default/pods";

  @Override
  public Integer call() throws Exception {
    Map<String, Object> environment = Environment.describe();
    String stem = "schedule-" + nodes + "n-" + pods + "p";
    Report.Builder report = new Report.Builder("schedule",
        nodes + " nodes, " + pods + " pending pods, then the scheduler (scheduler_perf's SchedulingBasic)")
        .command(BenchOptions.commandLine(spec))
        .parameter("commitlogSync", commitLog.commitLog().toString())
        .parameter("nodes", nodes).parameter("pods", pods).parameter("clients", clients)
        .series("node create", "ms").series("pod create", "ms")
        .chartLabels("seconds since the scheduler started", "pods bound");
    Map<String, Object> config = new HashMap<>();
    // No node agents: the Nodes are objects, as scheduler_perf's are. No node lifecycle controller
    // either, which would find them silent; pods need their namespace's default ServiceAccount.
    config.put("pekko.cluster.roles", List.of("control-plane"));
    config.put("tugboat.controllers.run", List.of("namespace", "serviceaccount"));
    var work = options.work("schedule");
    BenchLogging.toFile(work.resolveSibling("schedule.log"));
    System.out.printf("schedule: %d nodes, %d pods; Cassandra and Tugboat under %s%n", nodes, pods, work);
    try (LocalCluster cluster = LocalCluster.start(work, "schedule-cp", config, cassandraHeap, commitLog.commitLog())) {
      HttpApi api = cluster.api();
      Wait.until("the default ServiceAccount", Duration.ofMinutes(2), Duration.ofMillis(100),
          () -> api.get("/api/v1/namespaces/default/serviceaccounts/default").code() == 200);
      long t = System.nanoTime();
      ParallelCreates.run(api, clients, nodes, i -> new ParallelCreates.Create("/api/v1/nodes", node(i)), report, "node create");
      report.figure("setup: nodes created per second", nodes / (Millis.since(t) / 1000), "1/s");
      Wait.until(nodes + " Ready nodes listed", Duration.ofMinutes(5), Duration.ofMillis(200),
          () -> readyNodes(api) >= nodes);
      t = System.nanoTime();
      ParallelCreates.run(api, clients, pods, i -> new ParallelCreates.Create(PODS, pod(i)), report, "pod create");
      report.figure("setup: pods created per second", pods / (Millis.since(t) / 1000), "1/s");
      // The ceiling before the scheduler starts: afterwards the Events still queued would write beside it.
      double ceilingPerSecond = ceiling.isZero() ? 0
          : JournalCeiling.measureInto(report, cluster.tugboat().system(), ceilingEntities, ceiling);
      System.out.printf("schedule: %d nodes and %d pods created; starting the scheduler%n", nodes, pods);
      PodTracker tracker = new PodTracker();
      try (Watch watch = Watch.start(api, PODS, tracker)) {
        tracker.await("the watch to list " + pods + " pods", Duration.ofMinutes(5), p -> p.snapshot().size() >= pods);
        if (tracker.everBound() > 0) throw new IllegalStateException("pods were bound before the scheduler started");
        long persistedBefore = RegistryMetrics.persistedTotal();
        long eventsBefore = RegistryMetrics.persistedByKind().getOrDefault("Event", 0L);
        long droppedBefore = RegistryMetrics.eventsDropped();
        long start = System.nanoTime();
        cluster.tugboat().startSingleton("scheduler");
        tracker.await(pods + " pods bound", timeout, p -> p.everBound() >= pods);
        long persisted = RegistryMetrics.persistedTotal() - persistedBefore;
        long events = RegistryMetrics.persistedByKind().getOrDefault("Event", 0L) - eventsBefore;
        long dropped = RegistryMetrics.eventsDropped() - droppedBefore;
        List<Long> bound = tracker.boundTimes();
        double seconds = Millis.between(start, bound.get(pods - 1)) / 1000;
        double firstToLast = Millis.between(bound.get(0), bound.get(pods - 1)) / 1000;
        double rate = pods / Math.max(seconds, 1e-3);
        report.figure("pods bound per second (scheduler start to last binding)", rate, "1/s");
        report.figure("pods bound per second (first to last binding)", pods / Math.max(firstToLast, 1e-3), "1/s");
        report.figure("scheduler start -> first binding", Millis.between(start, bound.get(0)) / 1000, "s");
        report.figure("scheduler start -> last binding", seconds, "s");
        report.figure("events persisted while scheduling", persisted, "");
        report.figure("events persisted per second while scheduling", persisted / seconds, "1/s");
        report.figure("of them Event objects (Scheduled)", events, "");
        report.figure("Events dropped (the scheduler's recorder queue full)", dropped, "");
        report.curve(ScaleBench.cumulative("bound", bound, start));
        if (ceilingPerSecond > 0) {
          double share = persisted / seconds / ceilingPerSecond;
          report.figure("bindings' events per second as a share of the ceiling", share, "");
          report.goal("at least half the journal's ceiling", share, "", share >= 0.5);
        }
        report.goal("ahead of kube-scheduler's 680 pods/s (5,000 nodes, 10,000 pods, bindings in etcd)", rate, "1/s",
            rate > 680);
      }
    }
    report.note("Nodes are objects only, as in scheduler_perf: no node agent runs, so nothing but the scheduler "
        + "writes while pods are bound (a binding and a Scheduled Event per pod).");
    report.note("Tugboat, its embedded Cassandra (a child JVM) and this benchmark's client share the machine's "
        + Runtime.getRuntime().availableProcessors() + " cores.");
    report.note("Anchor: scheduler_perf SchedulingBasic in Kubernetes' CI: 680 pods/s (5,000 nodes, 10,000 pods) "
        + "and 810 pods/s (5,000 nodes, 50,000 pods), bindings persisted to etcd.");
    Environment.record(report, environment);
    ReportWriter.write(report.build(), stem, options.out, System.out);
    return 0;
  }

  private static String node(int i) {
    String name = "sched-node-" + i;
    return """
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":{"kubernetes.io/hostname":"%s"}},
         "status":{"capacity":{"cpu":"4","memory":"32Gi","pods":"110"},
          "allocatable":{"cpu":"4","memory":"32Gi","pods":"110"},
          "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady"}]}}
        """.formatted(name, name);
  }

  private static String pod(int i) {
    return """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"sched-pod-%d"},
         "spec":{"containers":[{"name":"pause","image":"registry.k8s.io/pause:3.10",
           "resources":{"requests":{"cpu":"100m","memory":"500Mi"}}}]}}
        """.formatted(i);
  }

  private static long readyNodes(HttpApi api) {
    long n = 0;
    for (var node : api.get("/api/v1/nodes").json().path("items")) {
      for (var c : node.path("status").path("conditions")) {
        if (c.path("type").asText().equals("Ready") && c.path("status").asText().equals("True")) n++;
      }
    }
    return n;
  }
}
