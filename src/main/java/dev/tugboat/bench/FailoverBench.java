package dev.tugboat.bench;

import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.FreePort;
import dev.tugboat.runtime.ContainerRuntime;
import java.nio.file.Path;
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
 * {@code tug bench failover}: three member JVMs (a control plane and two workers, each a {@code tug up}
 * process of the jar, on a Cassandra this benchmark starts) and a Deployment of real replicas spread
 * over both workers. The worker holding more of them is killed with SIGKILL; the time is from the
 * kill until a pods watch shows all replicas Running and Ready on the surviving worker. Then the
 * Deployment goes, the dead worker's containers are removed and the worker starts again; repeated.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
    description = "SIGKILL of a worker JVM until all its pods are Running and Ready elsewhere.")
public final class FailoverBench implements Callable<Integer> {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final double KUBERNETES_DEFAULT_SECONDS = 340;

  @Mixin BenchOptions options;
  @Mixin CommitLogOptions commitLog;
  @Spec CommandSpec spec;

  @Option(names = {"-n", "--repeat"}, description = "Kills (default ${DEFAULT-VALUE}).")
  int repeat = 3;

  @Option(names = "--replicas", description = "Replicas of the Deployment (default ${DEFAULT-VALUE}).")
  int replicas = 6;

  @Option(names = "--jar", description = "The Tugboat jar the members run (default: this one, or target/tugboat-*.jar).")
  Path jar;

  @Option(names = "--image", description = "Image of the pods (default ${DEFAULT-VALUE}).")
  String image = "tugboat/busybox:1.0";

  @Override
  public Integer call() {
    Map<String, Object> environment = Environment.describe();
    DockerCli.requireEngineAndImage(image);
    Path memberJar = jar != null ? jar : MemberProcess.defaultJar();
    Report.Builder report = new Report.Builder("failover",
        "SIGKILL of a worker JVM -> all replicas Running and Ready on the other worker (s)")
        .command(BenchOptions.commandLine(spec))
        .parameter("commitlogSync", commitLog.commitLog().toString())
        .parameter("repeat", repeat).parameter("replicas", replicas).parameter("jar", memberJar.toString())
        .series("tugboat", "s").series("pods on the killed worker", "pods")
        .chartLabels("kill", "s");
    Path work = options.work("failover");
    try {
      LocalCluster.deleteTree(work);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    List<String> nodes = List.of("bench-fo-a", "bench-fo-b");
    Runnable removeContainers = () -> nodes.forEach(n -> DockerCli.removeContainers(ContainerRuntime.NODE + "=" + n));
    removeContainers.run();
    System.out.println("failover: starting Cassandra and three member JVMs under " + work);
    List<String> jvm = List.of("-Xmx512m", "-XX:+UseSerialGC");
    EmbeddedCassandra cassandra = EmbeddedCassandra.start(new EmbeddedCassandra.Settings(work.resolve("cassandra"),
        "127.0.0.1", FreePort.find(), "256m", "1g", Duration.ofSeconds(180), Duration.ofSeconds(60),
          commitLog.commitLog()));
    String contact = cassandra.host() + ":" + cassandra.port();
    MemberProcess cp = new MemberProcess(new MemberProcess.Spec("control-plane", "bench-fo-cp", List.of("control-plane")),
        memberJar, work, contact, "bench", jvm);
    Map<String, MemberProcess> workers = new HashMap<>();
    for (String n : nodes) {
      workers.put(n, new MemberProcess(new MemberProcess.Spec("worker-" + n.substring(n.length() - 1), n, List.of("worker")),
          memberJar, work, contact, "bench", jvm));
    }
    Runnable stopAll = () -> {
      workers.values().forEach(MemberProcess::close);
      cp.close();
      removeContainers.run();
      cassandra.close();
    };
    try (Cleanup cleanup = Cleanup.of("failover", stopAll)) {
      cp.start(List.of());
      cp.awaitUp(Duration.ofMinutes(3));
      for (MemberProcess w : workers.values()) w.start(List.of(cp.remoteAddress()));
      for (MemberProcess w : workers.values()) w.awaitUp(Duration.ofMinutes(3));
      HttpApi api = cp.api();
      for (int round = 0; round < repeat; round++) {
        for (String n : nodes) {
          Wait.until("node " + n + " Ready", TIMEOUT, Duration.ofMillis(100), () -> Nodes.ready(api, n));
        }
        String name = "failover-" + round;
        PodTracker pods = new PodTracker();
        try (Watch watch = Watch.start(api, "/api/v1/namespaces/default/pods?labelSelector=app%3D" + name, pods)) {
          create(api, name);
          pods.await(replicas + " pods Ready", TIMEOUT, t -> t.count(p -> p.ready && !p.deleted) >= replicas);
          Map<String, Long> perNode = new HashMap<>();
          for (PodTracker.Pod p : pods.snapshot()) if (p.ready && !p.deleted) perNode.merge(p.node, 1L, Long::sum);
          String victim = perNode.getOrDefault(nodes.get(0), 0L) >= perNode.getOrDefault(nodes.get(1), 0L)
              ? nodes.get(0) : nodes.get(1);
          String survivor = victim.equals(nodes.get(0)) ? nodes.get(1) : nodes.get(0);
          long onVictim = perNode.getOrDefault(victim, 0L);
          long start = System.nanoTime();
          workers.get(victim).kill();
          pods.await(replicas + " pods Ready on " + survivor, TIMEOUT,
              t -> t.count(p -> p.ready && !p.deleted && p.node.equals(survivor)) >= replicas);
          double seconds = Millis.since(start) / 1000;
          report.sample("tugboat", seconds);
          report.sample("pods on the killed worker", onVictim);
          System.out.printf("failover: kill %d of %d: %s (%d pods) killed, all %d Ready on %s after %.2f s%n",
              round + 1, repeat, victim, onVictim, replicas, survivor, seconds);
          HttpApi.Reply deleted = api.delete("/apis/apps/v1/namespaces/default/deployments/" + name);
          if (!deleted.ok()) throw new IllegalStateException("delete " + name + ": " + deleted.code() + " " + deleted.body());
          pods.await("the pods of " + name + " gone", TIMEOUT, t -> t.count(p -> !p.deleted) == 0);
          // The dead worker cannot remove its containers; it would on its return (orphans), this is quicker.
          DockerCli.removeContainers(ContainerRuntime.NODE + "=" + victim);
          MemberProcess back = workers.get(victim);
          back.start(List.of(cp.remoteAddress()));
          back.awaitUp(Duration.ofMinutes(3));
          Wait.until("containers of " + name + " gone", TIMEOUT, Duration.ofMillis(250),
              () -> nodes.stream().allMatch(n -> DockerCli.countContainers(ContainerRuntime.NODE + "=" + n) == 0));
        }
      }
    }
    double p50 = Summary.of(report.samples("tugboat")).p50();
    report.figure("Kubernetes default (node-monitor-grace-period 40 s + default toleration 300 s), documented", KUBERNETES_DEFAULT_SECONDS, "s");
    report.figure("Kubernetes default / tugboat (p50)", KUBERNETES_DEFAULT_SECONDS / p50, "x");
    report.goal("replaced well under Kubernetes' default of about 340 s", p50, "s", p50 < KUBERNETES_DEFAULT_SECONDS);
    report.note("Three JVMs: a control plane (API, scheduler, controllers) and two workers (-Xmx512m, SerialGC), real Docker. "
        + "The Kubernetes figure is its documented default, not measured here.");
    report.note("Swarm is not compared: on one engine Swarm is one node, and killing it means killing dockerd, which "
        + "takes every container with it; a second Swarm node needs a second engine (dind), whose image this machine "
        + "cannot pull. Swarm's documented dispatcher heartbeat is 5 s.");
    Environment.record(report, environment);
    ReportWriter.write(report.build(), options.out, System.out);
    return 0;
  }

  private void create(HttpApi api, String name) {
    String deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s"},
         "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"%s"}},
          "template":{"metadata":{"labels":{"app":"%s"}},
           "spec":{"terminationGracePeriodSeconds":0,
            "containers":[{"name":"httpd","image":"%s","command":["httpd","-f","-p","80","-h","/www"]}]}}}}
        """.formatted(name, replicas, name, name, image);
    HttpApi.Reply r = api.post("/apis/apps/v1/namespaces/default/deployments", deployment);
    if (r.code() != 201) throw new IllegalStateException("create " + name + ": " + r.code() + " " + r.body());
  }
}
