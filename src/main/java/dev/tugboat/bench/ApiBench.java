package dev.tugboat.bench;

import dev.tugboat.apiserver.ProtobufBodies;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.FreePort;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tug bench api}: latency of mutating requests at a fixed rate, open-loop (sent on schedule,
 * measured from the due time). Half are creates of Deployments with 0 replicas (persisted objects
 * that start no container), half merge patches of earlier ones. This JVM is the load generator; the
 * Tugboat under test is another process: {@code --target URL}, or one this benchmark starts itself
 * ({@code tug up} of the jar, on a Cassandra of its own). {@code --content-type both} sends every
 * other create and patch as a protobuf client (client-go's bodies and Accept) and the rest as JSON,
 * interleaved in one run so that both meet the same load. {@code --admission on} puts every write
 * through three admission webhooks (served by this JVM: {@link WebhookServer}) and five
 * ValidatingAdmissionPolicies ({@link BenchAdmission}); {@code --admission both} interleaves writes
 * into a namespace they match and one they do not, side by side in one run, and reports what
 * admission adds per write.
 */
@Command(name = "api", mixinStandardHelpOptions = true,
    description = "Open-loop mutating requests at a fixed rate against a Tugboat in another JVM: latency p50/p99.")
public final class ApiBench implements Callable<Integer> {
  /** The series of {@code --admission both}: writes outside and inside the namespace under admission. */
  static final String WITHOUT = "without admission";
  static final String WITH = "with admission";

  @Mixin BenchOptions options;
  @Mixin CommitLogOptions commitLog;
  @Spec CommandSpec spec;

  @Option(names = "--target", description = "API of a running Tugboat (default: start one in a JVM of its own).")
  String target;

  @Option(names = "--rate", description = "Requests per second (default ${DEFAULT-VALUE}).")
  double rate = 200;

  @Option(names = "--duration", converter = DurationConverter.class, description = "Measured time (default ${DEFAULT-VALUE}).")
  Duration duration = Duration.ofSeconds(30);

  @Option(names = "--warmup", converter = DurationConverter.class, description = "Unrecorded time at the same rate first (default ${DEFAULT-VALUE}).")
  Duration warmup = Duration.ofSeconds(10);

  @Option(names = "--connections", description = "Connections (sender threads) of the load generator (default ${DEFAULT-VALUE}).")
  int connections = 32;

  @Option(names = "--content-type", description = "json, protobuf, or both interleaved in one run (default ${DEFAULT-VALUE}).")
  String contentType = "json";

  @Option(names = "--admission", description = "off; on: every write through 3 webhooks (served by this JVM) and "
      + "5 CEL policies; both: writes with and without them interleaved, side by side (default ${DEFAULT-VALUE}).")
  String admission = "off";

  @Option(names = "--jar", description = "The Tugboat jar to start without --target (default: this one, or target/tugboat-*.jar).")
  Path jar;

  @Option(names = "--jvm-options", split = " ", description = "JVM options of the Tugboat started without --target (default ${DEFAULT-VALUE}).")
  List<String> jvmOptions = new ArrayList<>(List.of("-Xmx1g"));

  @Override
  public Integer call() throws Exception {
    if (!List.of("json", "protobuf", "both").contains(contentType)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--content-type: json, protobuf or both, not " + contentType);
    }
    if (!List.of("off", "on", "both").contains(admission)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--admission: off, on or both, not " + admission);
    }
    if (admission.equals("both") && contentType.equals("both")) {
      // both interleave by request: one comparison per run keeps each side's load the same
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--admission both and --content-type both: one at a time");
    }
    Map<String, Object> environment = Environment.describe();
    Report.Builder report = new Report.Builder("api", "mutating requests at " + (int) rate + "/s, open-loop (ms from due time)")
        .command(BenchOptions.commandLine(spec))
        .parameter("commitlogSync", target == null ? commitLog.commitLog().toString() : "the target's")
        .parameter("rate", rate).parameter("durationSeconds", duration.toSeconds())
        .parameter("warmupSeconds", warmup.toSeconds()).parameter("connections", connections).parameter("target", target == null ? "started by the benchmark" : target)
        .parameter("contentType", contentType).parameter("admission", admission)
        .series("all", "ms").series("create", "ms").series("patch", "ms");
    if (contentType.equals("both")) report.series("json", "ms").series("protobuf", "ms");
    if (admission.equals("both")) report.series(WITHOUT, "ms").series(WITH, "ms");
    if (target != null) {
      run(new HttpApi(target), options.work("api"), report);
    } else {
      Path work = options.work("api");
      LocalCluster.deleteTree(work);
      System.out.println("api: starting Cassandra and a Tugboat JVM under " + work);
      EmbeddedCassandra cassandra = EmbeddedCassandra.start(new EmbeddedCassandra.Settings(work.resolve("cassandra"),
          "127.0.0.1", FreePort.find(), "256m", "1g", Duration.ofSeconds(180), Duration.ofSeconds(60),
          commitLog.commitLog()));
      MemberProcess member = new MemberProcess(new MemberProcess.Spec("tugboat", "bench-api", List.of("control-plane", "worker")),
          jar != null ? jar : MemberProcess.defaultJar(), work, cassandra.host() + ":" + cassandra.port(), "bench", jvmOptions);
      try (Cleanup cleanup = Cleanup.of("api", () -> {
        member.close();
        cassandra.close();
      })) {
        member.start(List.of());
        member.awaitUp(Duration.ofMinutes(3));
        report.parameter("tugboatJvmOptions", String.join(" ", jvmOptions));
        Wait.until("the default namespace", Duration.ofMinutes(2), Duration.ofMillis(100), () -> {
          HttpApi.Reply ns = member.api().tryGet("/api/v1/namespaces/default");
          return ns != null && ns.code() == 200;
        });
        run(member.api(), work, report);
      }
    }
    double p99 = Summary.of(report.samples("all")).p99();
    report.goal("p99 at most 25 ms at " + (int) rate + " requests/s", p99, "ms", p99 <= 25);
    if (contentType.equals("both")) {
      double ratio = Summary.of(report.samples("protobuf")).p50() / Summary.of(report.samples("json")).p50();
      report.goal("protobuf no slower per request than JSON: median protobuf / median JSON at most 1.1", ratio, "x", ratio <= 1.1);
      report.note("protobuf: the Deployment's body in Kubernetes' generated message inside its k8s\\0 envelope, sent with "
          + "Accept: application/vnd.kubernetes.protobuf, application/json as client-go sends it; patches stay merge patches "
          + "(JSON, as in Kubernetes) but are answered in protobuf. Requests alternate, so both formats meet the same load.");
    }
    if (admission.equals("both")) {
      double added = Summary.of(report.samples(WITH)).p50() - Summary.of(report.samples(WITHOUT)).p50();
      report.figure("added p50 per write (with admission - without)", added, "ms");
      report.ratioOfMedians(WITH, WITHOUT);
      report.figure("added p99 per write (with admission - without)",
          Summary.of(report.samples(WITH)).p99() - Summary.of(report.samples(WITHOUT)).p99(), "ms");
    }
    if (!admission.equals("off")) {
      report.note("Admission: a MutatingWebhookConfiguration (one webhook adding a label) and a ValidatingWebhookConfiguration "
          + "(two webhooks allowing), failurePolicy Fail, served over HTTPS by this JVM (the load generator: their CPU is "
          + "this machine's too), and five ValidatingAdmissionPolicies with Deny bindings that hold for every write, all "
          + "selecting the namespace labelled " + BenchAdmission.LABEL + "=on, on creates and updates of Deployments."
          + (admission.equals("both") ? " Requests alternate in pairs between that namespace and one without the label, "
              + "so both sides meet the same load; the unlabelled side still pays for the selectors' checks." : ""));
    }
    report.note("Open loop: request i is due at start + i/rate and its latency counts from then, so a stall is charged "
        + "to every request it delayed. The load generator is this JVM, Tugboat another process (and Cassandra a third).");
    report.note("create: POST of a Deployment with 0 replicas; patch: a merge patch of a label on one created at least 1 s "
        + "before. Both are acknowledged only once persisted in Cassandra (and shown in the API's index).");
    Environment.record(report, environment);
    ReportWriter.write(report.build(), options.out, System.out);
    return 0;
  }

  private void run(HttpApi api, Path work, Report.Builder report) {
    String namespace = "bench-api-" + System.currentTimeMillis();
    List<Target> targets = switch (admission) {
      case "on" -> List.of(new Target(WITH, namespace, true));
      case "both" -> List.of(new Target(WITHOUT, namespace + "-without", false), new Target(WITH, namespace + "-with", true));
      default -> List.of(new Target("all", namespace, false));
    };
    WebhookServer webhooks = null;
    try {
      for (Target t : targets) {
        HttpApi.Reply ns = api.post("/api/v1/namespaces", BenchAdmission.namespace(t.namespace(), t.admitted()));
        if (ns.code() != 201) throw new IllegalStateException("create namespace: " + ns.code() + " " + ns.body());
      }
      if (!admission.equals("off")) {
        webhooks = WebhookServer.start(work.resolve("webhook-ca"));
        AdmissionInstaller.install(api, webhooks, targets.get(targets.size() - 1).namespace());
      }
      System.out.printf("api: %.0f requests/s for %d s of warm-up and %d s measured, namespaces %s%n",
          rate, warmup.toSeconds(), duration.toSeconds(), targets.stream().map(Target::namespace).toList());
      long warmupCount = Math.round(rate * warmup.toMillis() / 1000.0);
      List<Long> due = OpenLoop.dueTimes(rate, (warmup.toMillis() + duration.toMillis()) / 1000.0);
      AtomicInteger errors = new AtomicInteger();
      Map<String, AtomicInteger> errorKinds = new java.util.concurrent.ConcurrentHashMap<>();
      // wrk2's model: a fixed set of connections (each a sender thread with its keep-alive connection)
      // takes requests from a queue filled on schedule; time spent queued counts, as it would for a
      // client whose connections are all busy.
      java.util.concurrent.BlockingQueue<Integer> queue = new java.util.concurrent.LinkedBlockingQueue<>();
      java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(due.size());
      long start = System.nanoTime() + 1_000_000;
      for (int c = 0; c < connections; c++) {
        Thread sender = new Thread(() -> {
          try {
            while (true) {
              int i = queue.take();
              if (i < 0) return;
              // with two targets, requests alternate in pairs, so that each side gets creates and patches
              Target t = targets.get(targets.size() == 1 ? 0 : (i / 2) % 2);
              send(api, t, i, due.get(i), start, i >= warmupCount, errors, errorKinds, report);
              finished.countDown();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }, "bench-api-sender-" + c);
        sender.setDaemon(true);
        sender.start();
      }
      for (int i = 0; i < due.size(); i++) {
        long dueAt = start + due.get(i);
        // Pacing to the schedule, not a wait for something to happen: the load is open-loop.
        for (long left = dueAt - System.nanoTime(); left > 0; left = dueAt - System.nanoTime()) LockSupport.parkNanos(left);
        queue.add(i);
      }
      try {
        if (!finished.await(5, java.util.concurrent.TimeUnit.MINUTES)) System.out.println("api: answers still missing after 5 min");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (int c = 0; c < connections; c++) queue.add(-1);
      double took = Millis.since(start) / 1000;
      report.figure("requests sent", due.size(), "");
      report.figure("connections", connections, "");
      report.figure("errors (non-2xx or failed)", errors.get(), "");
      errorKinds.forEach((kind, n) -> report.figure("errors: " + kind, n.get(), ""));
      report.figure("achieved rate (all requests / time until the last answer)", due.size() / took, "1/s");
      if (targets.size() > 1) {
        long measuredFrom = start + (warmupCount < due.size() ? due.get((int) warmupCount) : 0);
        for (Target t : targets) {
          report.figure("achieved rate " + t.series() + " (its measured requests / time until its last answer)",
              t.measured().get() / ((t.lastAnswer().get() - measuredFrom) / 1e9), "1/s");
        }
      }
      if (webhooks != null) {
        for (String hook : BenchAdmission.HOOKS) report.figure("reviews answered by the webhook " + hook, webhooks.reviews(hook), "");
      }
      report.note("The namespaces of the run are deleted afterwards (the namespace controller removes their objects), "
          + "and the admission objects it installed.");
    } finally {
      for (Target t : targets) api.delete("/api/v1/namespaces/" + t.namespace());
      if (webhooks != null) {
        AdmissionInstaller.uninstall(api);
        webhooks.close();
      }
    }
  }

  /**
   * Where some of the load's writes go: a namespace (under admission or not), the Deployments
   * created there so far in the order their creates were answered (the patches' targets), and, for
   * the side-by-side figures, its measured answers and when the last came (nanoTime).
   */
  private record Target(String series, String namespace, boolean admitted, List<String> created, AtomicInteger measured,
      java.util.concurrent.atomic.AtomicLong lastAnswer) {
    Target(String series, String namespace, boolean admitted) {
      this(series, namespace, admitted, java.util.Collections.synchronizedList(new ArrayList<>()), new AtomicInteger(),
          new java.util.concurrent.atomic.AtomicLong());
    }

    String base() {
      return "/apis/apps/v1/namespaces/" + namespace + "/deployments";
    }
  }

  /** Sends request {@code i} (odd ones patch an earlier Deployment once there are some) and records it. */
  private void send(HttpApi api, Target target, int i, long dueOffset, long start, boolean recorded,
      AtomicInteger errors, Map<String, AtomicInteger> errorKinds, Report.Builder report) {
    List<String> created = target.created();
    String base = target.base();
    // creates answered at least about 1 s ago (a target gets its share of the rate)
    int patchable = created.size() - (int) (rate / 2 / (admission.equals("both") ? 2 : 1));
    boolean patch = i % 2 == 1 && patchable > 0;
    String name = "api-" + i;
    boolean protobuf = contentType.equals("protobuf") || (contentType.equals("both") && (i / 2) % 2 == 1);
    HttpRequest.Builder request;
    if (patch) {
      String patched = created.get((int) ((i * 7919L) % patchable));
      request = api.request(base + "/" + patched).header("Content-Type", "application/merge-patch+json")
          .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"metadata\":{\"labels\":{\"seq\":\"" + i + "\"}}}"));
    } else if (protobuf) {
      request = api.request(base).header("Content-Type", ProtobufBodies.MEDIA_TYPE)
          .POST(HttpRequest.BodyPublishers.ofByteArray(ProtobufBodies.envelope("apps/v1", "Deployment", deploymentMessage(name))));
    } else {
      request = api.request(base).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(deployment(name)));
    }
    if (protobuf) request.header("Accept", ProtobufBodies.MEDIA_TYPE + ", application/json");
    HttpResponse<byte[]> response = null;
    Throwable error = null;
    try {
      response = api.client().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      error = e;
    }
    long answered = System.nanoTime();
    long latency = OpenLoop.latencyNanos(start, dueOffset, answered);
    boolean ok = error == null && response.statusCode() < 300;
    if (!ok) {
      errors.incrementAndGet();
      String kind = error != null ? rootCause(error).getClass().getSimpleName() : "HTTP " + response.statusCode();
      errorKinds.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
      if (errors.get() <= 5) {
        System.out.println("api: request " + i + " failed: " + (error != null ? error
            : response.statusCode() + " " + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)));
      }
    }
    if (ok && !patch) created.add(name);
    if (recorded) {
      report.sample("all", latency / 1e6);
      report.sample(patch ? "patch" : "create", latency / 1e6);
      if (contentType.equals("both")) report.sample(protobuf ? "protobuf" : "json", latency / 1e6);
      if (admission.equals("both")) {
        report.sample(target.series(), latency / 1e6);
        target.measured().incrementAndGet();
        target.lastAnswer().accumulateAndGet(answered, Math::max);
      }
    }
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) t = t.getCause();
    return t;
  }

  /** The same Deployment as {@link #deployment}, as Kubernetes' generated message. */
  private static V1Apps.Deployment deploymentMessage(String name) {
    return V1Apps.Deployment.newBuilder()
        .setMetadata(Meta.ObjectMeta.newBuilder().setName(name))
        .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(0)
            .setSelector(Meta.LabelSelector.newBuilder().putMatchLabels("app", name))
            .setTemplate(V1.PodTemplateSpec.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().putLabels("app", name))
                .setSpec(V1.PodSpec.newBuilder().addContainers(V1.Container.newBuilder().setName("app").setImage("tugboat/busybox:1.0")))))
        .build();
  }

  /** The Deployment a create sends (0 replicas: persisted, starts nothing). */
  static String deployment(String name) {
    return """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s"},
         "spec":{"replicas":0,"selector":{"matchLabels":{"app":"%s"}},
          "template":{"metadata":{"labels":{"app":"%s"}},
           "spec":{"containers":[{"name":"app","image":"tugboat/busybox:1.0"}]}}}}
        """.formatted(name, name, name);
  }
}
