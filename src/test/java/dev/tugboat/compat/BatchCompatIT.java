package dev.tugboat.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.NodeContainers;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jobs and CronJobs through the real kubectl binaries, as a user types them: {@code create job},
 * {@code create cronjob}, {@code create job --from=cronjob/...}, {@code get} with kubectl's columns,
 * {@code wait --for=condition=complete}, {@code logs job/...}, {@code describe}, {@code delete}; and
 * the same through {@code tug}.
 * kubectl 1.20 and 1.27 send JSON (1.20 knows CronJobs only as batch/v1beta1, which Kubernetes
 * stopped serving in 1.25, and so does Tugboat); 1.33's {@code create job} and {@code create
 * cronjob} send protobuf.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchCompatIT {
  private final String node = "batch-compat-" + ProcessHandle.current().pid();
  private Tugboat tugboat;
  private Api api;
  private Path work;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) throws Exception {
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    config.put("tugboat.node-name", node);
    tugboat = TestTugboat.start(cassandra, "batch_compat_" + ProcessHandle.current().pid(), config);
    api = Api.of(tugboat);
    work = Files.createDirectories(SharedCassandra.itDir().resolve("batch-compat-" + ProcessHandle.current().pid()));
    Await.until("node " + node + " registered", Duration.ofSeconds(60), () -> api.get("/api/v1/nodes/" + node).code() == 200);
  }

  @AfterAll
  void stop() {
    if (tugboat != null) tugboat.close();
    NodeContainers.removeAll(node);
  }

  Stream<Kubectl> kubectls() {
    return Stream.of(Kubectl.v120(work), Kubectl.v127(work).orElse(null), Kubectl.v133(work).orElse(null))
        .map(k -> k == null ? null : k.configure(tugboat, namespace(k)));
  }

  private static String namespace(Kubectl k) {
    return "batch" + k.version().replace(".", "");
  }

  private static Kubectl.Result ok(Kubectl.Result r) {
    assertEquals(0, r.exit(), r.toString());
    return r;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kubectls")
  void jobsAndCronJobsAsAUserTypesThem(Kubectl k) {
    Assumptions.assumeTrue(k != null, "this machine has no such kubectl (the Google Cloud CLI's versioned binaries)");
    ok(k.run("create", "namespace", namespace(k)));
    assertEquals("job.batch/pi created\n", ok(k.run("create", "job", "pi", "--image=tugboat/busybox:1.0", "--",
        "sh", "-c", "echo 3.14159")).out());
    ok(k.run("wait", "--for=condition=complete", "job/pi", "--timeout=90s"));
    assertEquals("3.14159\n", ok(k.run("logs", "job/pi")).out());
    String jobs = ok(k.run("get", "jobs")).out();
    assertTrue(jobs.lines().findFirst().orElse("").matches("NAME\\s+(STATUS\\s+)?COMPLETIONS\\s+DURATION\\s+AGE\\s*"), jobs);
    assertTrue(jobs.lines().anyMatch(l -> l.matches("pi\\s+(Complete\\s+)?1/1\\s+\\d+s\\s+\\S+\\s*")), jobs);
    String described = ok(k.run("describe", "job", "pi")).out();
    assertTrue(described.contains("1 Succeeded") && described.contains("SuccessfulCreate"), described);
    if (k.version().equals("1.20")) {
      assertEquals("job.batch \"pi\" deleted\n", ok(k.run("delete", "job", "pi")).out());
      return; // its CronJobs are batch/v1beta1
    }

    assertEquals("cronjob.batch/tick created\n", ok(k.run("create", "cronjob", "tick", "--image=tugboat/busybox:1.0",
        "--schedule=*/30 * * * *", "--", "echo", "tock")).out());
    String cronJobs = ok(k.run("get", "cronjobs")).out();
    assertTrue(cronJobs.lines().findFirst().orElse("")
        .matches("NAME\\s+SCHEDULE\\s+(TIMEZONE\\s+)?SUSPEND\\s+ACTIVE\\s+LAST SCHEDULE\\s+AGE\\s*"), cronJobs);
    assertTrue(cronJobs.lines().anyMatch(l -> l.matches("tick\\s+\\*/30 \\* \\* \\* \\*\\s+(<none>\\s+)?False\\s+0\\s+<none>\\s+\\S+\\s*")),
        cronJobs);
    assertEquals("job.batch/manual created\n", ok(k.run("create", "job", "manual", "--from=cronjob/tick")).out());
    ok(k.run("wait", "--for=condition=complete", "job/manual", "--timeout=90s"));
    assertEquals("tock\n", ok(k.run("logs", "job/manual")).out());
    assertEquals("manual", api.get("/apis/batch/v1/namespaces/" + namespace(k) + "/jobs/manual").json()
        .at("/metadata/annotations").path("cronjob.kubernetes.io/instantiate").asText());

    Kubectl.Result bad = k.run("create", "cronjob", "bad", "--image=tugboat/busybox:1.0", "--schedule=61 * * * *");
    assertNotEquals(0, bad.exit());
    assertTrue(bad.err().contains("spec.schedule") || bad.err().contains("schedule"), bad.toString());

    assertEquals("job.batch \"pi\" deleted\n", ok(k.run("delete", "job", "pi")).out());
    assertEquals("cronjob.batch \"tick\" deleted\n", ok(k.run("delete", "cronjob", "tick")).out());
    Await.until("pi's pod deleted with it (kubectl asks Background)", Duration.ofSeconds(60), () ->
        !api.get("/api/v1/namespaces/" + namespace(k) + "/pods").body().contains("\"pi-"));
  }

  @Test
  void tugAppliesListsDescribesLogsAndDeletesJobs() throws Exception {
    Path manifest = Files.writeString(work.resolve("job.yaml"), """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: tugjob, namespace: default}
        spec:
          completions: 2
          template:
            spec:
              restartPolicy: Never
              containers: [{name: c, image: tugboat/busybox:1.0, command: [echo, from-tug]}]
        """);
    assertEquals(0, tug("apply", "-f", manifest.toString()).exit());
    Await.until("tugjob complete", Duration.ofSeconds(90), () -> api.get("/apis/batch/v1/namespaces/default/jobs/tugjob")
        .json().at("/status/succeeded").asInt() == 2);
    String table = tug("get", "jobs").out();
    assertTrue(table.lines().anyMatch(l -> l.matches("tugjob\\s+Complete\\s+2/2\\s+\\d+s\\s+\\S+\\s*")), table);
    TugRun logs = tug("logs", "job/tugjob");
    assertEquals("from-tug", logs.out().trim(), logs.toString());
    assertTrue(logs.err().startsWith("Found 2 pods, using pod/tugjob-"), logs.err());
    assertTrue(tug("describe", "job", "tugjob").out().contains("SuccessfulCreate"));
    assertEquals(0, tug("delete", "job", "tugjob").exit());
  }

  private record TugRun(int exit, String out, String err) {}

  private TugRun tug(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.add(TestTugboat.tugServerOption(tugboat));
    int exit = dev.tugboat.cli.TugCommand.commandLine().setOut(new java.io.PrintWriter(out, true))
        .setErr(new java.io.PrintWriter(err, true)).execute(all.toArray(String[]::new));
    return new TugRun(exit, out.toString(), err.toString());
  }

}
