package dev.tugboat.bench;

import dev.tugboat.runtime.ContainerRuntime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tug bench startup}: one pod with a real container (busybox httpd, port 80 published on
 * 127.0.0.1), from the API request until a watch shows it Running, against a raw {@code docker run -d}
 * of the same image, command and port, which returns once its container runs. The two alternate in
 * one run; each pod or container is removed (untimed) before the next turn.
 */
@Command(name = "startup", mixinStandardHelpOptions = true,
    description = "Pod create -> Running seen on a watch, vs docker run -d, alternating.")
public final class StartupBench implements Callable<Integer> {
  static final String NODE = "bench-startup";
  private static final Duration TURN_TIMEOUT = Duration.ofSeconds(90);

  @Mixin BenchOptions options;
  @Mixin CommitLogOptions commitLog;
  @Spec CommandSpec spec;

  @Option(names = {"-n", "--repeat"}, description = "Repetitions of each side (default ${DEFAULT-VALUE}).")
  int repeat = 20;

  @Option(names = "--warmup", description = "Unrecorded rounds first (default ${DEFAULT-VALUE}): the JIT, the first watch, the page cache.")
  int warmup = 1;

  @Option(names = "--image", description = "Image of both sides (default ${DEFAULT-VALUE}).")
  String image = "tugboat/busybox:1.0";

  @Override
  public Integer call() {
    Map<String, Object> environment = Environment.describe();
    DockerCli.requireEngineAndImage(image);
    Report.Builder report = new Report.Builder("startup",
        "one pod, API request -> Running on a watch, vs docker run -d (ms)")
        .command(BenchOptions.commandLine(spec))
        .parameter("commitlogSync", commitLog.commitLog().toString())
        .parameter("repeat", repeat).parameter("warmup", warmup).parameter("image", image)
        .environment("docker", DockerCli.engineVersion())
        .series("tugboat", "ms").series("docker", "ms").series("tugboat bound", "ms").series("tugboat create request", "ms");
    var work = options.work("startup");
    removeLeftovers();
    BenchLogging.toFile(work.resolveSibling("startup.log"));
    System.out.println("startup: starting Cassandra and Tugboat under " + work);
    try (Cleanup containers = Cleanup.of("startup containers", StartupBench::removeLeftovers);
        LocalCluster cluster = LocalCluster.start(work, NODE, Map.of(), "1g", commitLog.commitLog())) {
      HttpApi api = cluster.api();
      Wait.until("node " + NODE + " Ready", Duration.ofSeconds(60), Duration.ofMillis(50), () -> Nodes.ready(api, NODE));
      PodTracker pods = new PodTracker();
      try (Watch watch = Watch.start(api, "/api/v1/namespaces/default/pods", pods)) {
        int turn = 0;
        for (Alternation.Turn t : Alternation.schedule(List.of("tugboat", "docker"), warmup + repeat)) {
          boolean recorded = t.round() >= warmup;
          String name = "startup-" + (turn++);
          if (t.contender().equals("tugboat")) {
            tugboatTurn(api, pods, name, recorded ? report : null);
          } else {
            dockerTurn(recorded ? report : null);
          }
          if (recorded && t.contender().equals("docker")) {
            System.out.printf("startup: round %d of %d done%n", t.round() - warmup + 1, repeat);
          }
        }
      }
    }
    double p50Ratio = report.ratioOfMedians("tugboat", "docker");
    report.ratioOfP99("tugboat", "docker");
    double p99 = Summary.of(report.samples("tugboat")).p99();
    report.goal("tugboat p50 at most 1.3x docker run's p50", p50Ratio, "x", p50Ratio <= 1.3);
    report.goal("tugboat p99 under 1 s", p99, "ms", p99 < 1000);
    report.note("tugboat: POST of the pod until a pods watch (opened before) shows phase Running; the pod is one "
        + "container (httpd) plus Tugboat's sandbox container that holds the pod's network and publishes port 80.");
    report.note("docker: the docker CLI's run -d of the same image, command and published port; it returns once the "
        + "container runs. Includes the CLI process's own start (a Go binary).");
    report.note("tugboat bound: POST until the watch shows spec.nodeName; tugboat create request: the POST's round trip.");
    report.note("Alternating rounds (tugboat, docker, then docker, tugboat, ...); removal is not timed.");
    Environment.record(report, environment);
    ReportWriter.write(report.build(), options.out, System.out);
    return 0;
  }

  private void tugboatTurn(HttpApi api, PodTracker pods, String name, Report.Builder report) {
    String pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"bench":"startup"}},
         "spec":{"terminationGracePeriodSeconds":0,
          "containers":[{"name":"httpd","image":"%s","command":["httpd","-f","-p","80","-h","/www"],
                         "ports":[{"containerPort":80}]}]}}
        """.formatted(name, image);
    long start = System.nanoTime();
    HttpApi.Reply created = api.post("/api/v1/namespaces/default/pods", pod);
    long answered = System.nanoTime();
    if (created.code() != 201) throw new IllegalStateException("create pod " + name + ": " + created.code() + " " + created.body());
    pods.await(name + " Running", TURN_TIMEOUT, p -> {
      PodTracker.Pod seen = p.get("default", name);
      return seen != null && seen.runningNanos > 0;
    });
    PodTracker.Pod seen = pods.get("default", name);
    if (report != null) {
      report.sample("tugboat", Millis.between(start, seen.runningNanos));
      report.sample("tugboat bound", Millis.between(start, seen.boundNanos));
      report.sample("tugboat create request", Millis.between(start, answered));
    }
    HttpApi.Reply deleted = api.delete("/api/v1/namespaces/default/pods/" + name);
    if (!deleted.ok()) throw new IllegalStateException("delete pod " + name + ": " + deleted.code() + " " + deleted.body());
    // The node agent removes the containers before the pod goes: gone from the watch means gone from Docker.
    pods.await(name + " deleted", TURN_TIMEOUT, p -> p.get("default", name).deleted);
    pods.forget("default", name);
  }

  private void dockerTurn(Report.Builder report) {
    long start = System.nanoTime();
    String id = DockerCli.docker("run", "-d", "--label", DockerCli.LABEL + "=1", "-p", "127.0.0.1::80",
        image, "httpd", "-f", "-p", "80", "-h", "/www");
    double took = Millis.since(start);
    if (report != null) report.sample("docker", took);
    DockerCli.docker("rm", "-f", id.lines().reduce((a, b) -> b).orElse(id));
  }


  private static void removeLeftovers() {
    DockerCli.removeContainers(DockerCli.LABEL + "=1");
    DockerCli.removeContainers(ContainerRuntime.NODE + "=" + NODE);
  }
}
