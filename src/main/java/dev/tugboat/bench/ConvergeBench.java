package dev.tugboat.bench;

import dev.tugboat.runtime.ContainerRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tug bench converge}: a Deployment of R real replicas (busybox httpd) from the API request until
 * a watch shows all R pods Running and Ready, against {@code docker service create --replicas R} of the
 * same image and command on Docker Swarm on the same engine, until R tasks run. Alternating, repeated;
 * everything is removed (untimed) between turns.
 */
@Command(name = "converge", mixinStandardHelpOptions = true,
    description = "Deployment of R real replicas until all Ready, vs docker service create --replicas R on Swarm.")
public final class ConvergeBench implements Callable<Integer> {
  static final String NODE = "bench-converge";
  private static final Duration TURN_TIMEOUT = Duration.ofMinutes(5);

  @Mixin BenchOptions options;
  @Mixin CommitLogOptions commitLog;
  @Spec CommandSpec spec;

  @Option(names = "--replicas", split = ",", description = "Replica counts, each a comparison of its own (default ${DEFAULT-VALUE}).")
  List<Integer> replicas = new ArrayList<>(List.of(20, 50));

  @Option(names = {"-n", "--repeat"}, description = "Repetitions of each side per replica count (default ${DEFAULT-VALUE}).")
  int repeat = 3;

  @Option(names = "--image", description = "Image of both sides (default ${DEFAULT-VALUE}).")
  String image = "tugboat/busybox:1.0";

  @Override
  public Integer call() {
    Map<String, Object> environment = Environment.describe();
    DockerCli.requireEngineAndImage(image);
    Report.Builder report = new Report.Builder("converge",
        "Deployment of R real replicas until all Running and Ready, vs Docker Swarm service (s)")
        .command(BenchOptions.commandLine(spec))
        .parameter("commitlogSync", commitLog.commitLog().toString())
        .parameter("replicas", replicas).parameter("repeat", repeat).parameter("image", image)
        .environment("docker", DockerCli.engineVersion())
        .chartLabels("repetition", "s");
    for (int r : replicas) report.series("tugboat " + r, "s").series("swarm " + r, "s");
    for (int r : replicas) {
      report.series("tugboat " + r + ": first pod seen", "s").series("tugboat " + r + ": all bound", "s")
          .series("tugboat " + r + ": all Running", "s");
    }
    var work = options.work("converge");
    removeLeftovers();
    BenchLogging.toFile(work.resolveSibling("converge.log"));
    System.out.println("converge: starting Cassandra and Tugboat under " + work + ", joining Swarm");
    try (Cleanup containers = Cleanup.of("converge containers", ConvergeBench::removeLeftovers);
        Swarm swarm = Swarm.join();
        Cleanup leave = Cleanup.of("converge swarm", swarm::close);
        LocalCluster cluster = LocalCluster.start(work, NODE, Map.of(), "1g", commitLog.commitLog())) {
      report.environment("swarmCreatedByBenchmark", swarm.createdHere());
      swarm.removeBenchServices();
      HttpApi api = cluster.api();
      Wait.until("node " + NODE + " Ready", Duration.ofSeconds(60), Duration.ofMillis(50), () -> Nodes.ready(api, NODE));
      int turn = 0;
      for (int count : replicas) {
        // One unrecorded round of each side first: the JIT, Swarm's first service, the page cache.
        for (Alternation.Turn t : Alternation.schedule(List.of("tugboat", "swarm"), repeat + 1)) {
          String name = "converge-" + (turn++);
          boolean recorded = t.round() > 0;
          double seconds = t.contender().equals("tugboat")
              ? tugboatTurn(api, name, count, recorded ? report : null) : swarmTurn(swarm, name, count);
          if (recorded) report.sample(t.contender() + " " + count, seconds);
          System.out.printf("converge: %s %d replicas%s: %.2f s%n", t.contender(), count, recorded ? "" : " (warm-up)", seconds);
        }
        double ratio = report.ratioOfMedians("tugboat " + count, "swarm " + count);
        report.goal("tugboat at most half of Swarm's time for " + count + " replicas (p50 ratio)", ratio, "x", ratio <= 0.5);
      }
    }
    report.note("tugboat: POST of a Deployment until a pods watch (opened before) shows all R pods Running and Ready "
        + "(no readiness probe: Ready once the container runs). Each pod is a sandbox container plus the httpd container.");
    report.note("swarm: docker service create --detach --replicas R of the same image and command (no published port), "
        + "until the engine lists R tasks running (asked every 50 ms through the engine's API).");
    report.note("Neither side publishes a port. One warm-up round per replica count is not recorded; removal is not timed.");
    Environment.record(report, environment);
    ReportWriter.write(report.build(), options.out, System.out);
    return 0;
  }

  private double tugboatTurn(HttpApi api, String name, int count, Report.Builder report) {
    String deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s"},
         "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"%s"}},
          "template":{"metadata":{"labels":{"app":"%s"}},
           "spec":{"terminationGracePeriodSeconds":0,
            "containers":[{"name":"httpd","image":"%s","command":["httpd","-f","-p","80","-h","/www"]}]}}}}
        """.formatted(name, count, name, name, image);
    PodTracker pods = new PodTracker();
    double seconds;
    try (Watch watch = Watch.start(api, "/api/v1/namespaces/default/pods?labelSelector=app%3D" + name, pods)) {
      long start = System.nanoTime();
      HttpApi.Reply created = api.post("/apis/apps/v1/namespaces/default/deployments", deployment);
      if (created.code() != 201) throw new IllegalStateException("create " + name + ": " + created.code() + " " + created.body());
      pods.await(count + " pods of " + name + " Ready", TURN_TIMEOUT, t -> t.everReady() >= count);
      seconds = Millis.since(start) / 1000;
      if (report != null) {
        // Where the time went: the controllers (first pod), the scheduler (all bound), the node (all Running).
        report.sample("tugboat " + count + ": first pod seen", Millis.between(start, pods.addedTimes().get(0)) / 1000);
        report.sample("tugboat " + count + ": all bound", Millis.between(start, pods.boundTimes().get(count - 1)) / 1000);
        report.sample("tugboat " + count + ": all Running", Millis.between(start, pods.runningTimes().get(count - 1)) / 1000);
      }
      HttpApi.Reply deleted = api.delete("/apis/apps/v1/namespaces/default/deployments/" + name);
      if (!deleted.ok()) throw new IllegalStateException("delete " + name + ": " + deleted.code() + " " + deleted.body());
      pods.await("every pod of " + name + " gone", TURN_TIMEOUT, t -> t.count(p -> !p.deleted) == 0);
    }
    Wait.until("containers of " + name + " gone", TURN_TIMEOUT, Duration.ofMillis(250),
        () -> DockerCli.countContainers(ContainerRuntime.NODE + "=" + NODE) == 0);
    return seconds;
  }

  private double swarmTurn(Swarm swarm, String name, int count) {
    long start = System.nanoTime();
    DockerCli.docker("service", "create", "--detach", "--quiet", "--name", name, "--label", DockerCli.LABEL + "=1",
        "--container-label", DockerCli.LABEL + "=1", "--replicas", Integer.toString(count),
        image, "httpd", "-f", "-p", "80", "-h", "/www");
    Wait.until(count + " tasks of " + name + " running", TURN_TIMEOUT, Duration.ofMillis(50), () -> swarm.running(name) >= count);
    double seconds = Millis.since(start) / 1000;
    swarm.remove(name);
    return seconds;
  }


  private static void removeLeftovers() {
    DockerCli.removeContainers(ContainerRuntime.NODE + "=" + NODE);
  }
}
