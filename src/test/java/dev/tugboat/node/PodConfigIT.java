package dev.tugboat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pods that read ConfigMaps and Secrets, on the real Docker engine: through env ({@code configMapKeyRef},
 * {@code secretKeyRef}, {@code envFrom}) and volumes; a mounted ConfigMap changes inside the running
 * container after an edit; a Secret's volume lives on tmpfs; a pod that names a missing ConfigMap waits
 * with CreateContainerConfigError and an Event, then starts once it exists. Every check is on what
 * the container printed, what the API reports, or what Docker holds.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodConfigIT {
  private static final String NS = "/api/v1/namespaces/default/";
  private final String node = "config-it-" + ProcessHandle.current().pid();
  private final Path secretDir = Path.of("/dev/shm/tugboat-it-" + ProcessHandle.current().pid());
  private Tugboat tugboat;
  private Api api;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) {
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    config.put("tugboat.node-name", node);
    config.put("tugboat.node.secret-dir", secretDir.toString());
    tugboat = TestTugboat.start(cassandra, "config_it_" + ProcessHandle.current().pid(), config);
    api = Api.of(tugboat);
    Await.until("node " + node + " registered", Duration.ofSeconds(60), () -> api.get("/api/v1/nodes/" + node).code() == 200);
  }

  @AfterAll
  void stop() throws Exception {
    if (tugboat != null) tugboat.close();
    NodeContainers.removeAll(node);
    if (Files.exists(secretDir)) {
      try (Stream<Path> walk = Files.walk(secretDir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void created(String collection, String json) {
    Api.Reply r = api.post(NS + collection, json);
    assertEquals(201, r.code(), r.body());
  }

  private String log(String pod) {
    Api.Reply r = api.get(NS + "pods/" + pod + "/log");
    return r.code() == 200 ? r.body() : "";
  }

  @Test
  void aPodReadsConfigMapsAndSecretsThroughEnvAndVolumesAndSeesEdits() throws Exception {
    created("configmaps", """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app-config"},
         "data":{"LOG_LEVEL":"debug","app.properties":"mode=one"}}""");
    created("secrets", """
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"db"},"stringData":{"password":"hunter2","user":"admin"}}""");
    created("pods", """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"reader"},
         "spec":{"terminationGracePeriodSeconds":1,
           "containers":[{"name":"c","image":"tugboat/busybox:1.0",
             "command":["sh","-c","echo ENV level=$LEVEL pass=$PASS cfg=$CFG_LOG_LEVEL user=$user; while true; do echo FILE $(cat /etc/app/app.properties) $(cat /etc/db/password); sleep 1; done"],
             "env":[{"name":"LEVEL","valueFrom":{"configMapKeyRef":{"name":"app-config","key":"LOG_LEVEL"}}},
                    {"name":"PASS","valueFrom":{"secretKeyRef":{"name":"db","key":"password"}}}],
             "envFrom":[{"prefix":"CFG_","configMapRef":{"name":"app-config"}},{"secretRef":{"name":"db"}}],
             "volumeMounts":[{"name":"app","mountPath":"/etc/app"},{"name":"db","mountPath":"/etc/db"}]}],
           "volumes":[{"name":"app","configMap":{"name":"app-config"}},{"name":"db","secret":{"secretName":"db"}}]}}""");
    Await.until("the variables in the container's output", Duration.ofSeconds(60),
        () -> log("reader").contains("ENV level=debug pass=hunter2 cfg=debug user=admin"));
    Await.until("the files in the container's output", Duration.ofSeconds(30),
        () -> log("reader").contains("FILE mode=one hunter2"));

    assertEquals(200, api.patch(NS + "configmaps/app-config", "{\"data\":{\"app.properties\":\"mode=two\"}}",
        "application/merge-patch+json").code());
    Await.until("the edit inside the running container", Duration.ofSeconds(20), () -> log("reader").contains("FILE mode=two hunter2"));
    assertFalse(log("reader").contains("ENV level=debug pass=hunter2 cfg=debug user=admin\nENV"), "the container was not restarted");

    JsonNode pod = api.get(NS + "pods/reader").json();
    String uid = pod.at("/metadata/uid").asText();
    try (DockerRuntime docker = new DockerRuntime("unix:///var/run/docker.sock", "tugboat/busybox:1.0")) {
      String id = docker.listContainers(Map.of(ContainerRuntime.POD_UID, uid)).stream()
          .filter(c -> !c.isSandbox()).findFirst().orElseThrow().id();
      Process inspect = new ProcessBuilder("docker", "inspect", "-f", "{{range .Mounts}}{{.Source}} {{.Destination}};{{end}}", id)
          .redirectErrorStream(true).start();
      String mounts = new String(inspect.getInputStream().readAllBytes());
      assertTrue(inspect.waitFor() == 0, mounts);
      assertTrue(mounts.contains(secretDir + "/" + node + "/pods/" + uid + "/volumes/db /etc/db"), mounts);
    }
    assertEquals("tmpfs", Files.getFileStore(secretDir).type(), "Secret volumes live in memory");
    Path podSecrets = secretDir.resolve(node).resolve("pods").resolve(uid);
    assertTrue(Files.exists(podSecrets));
    assertEquals(200, api.delete(NS + "pods/reader").code());
    Await.until("the pod gone", Duration.ofSeconds(30), () -> api.get(NS + "pods/reader").code() == 404);
    assertFalse(Files.exists(podSecrets), "its Secret files are removed with it");
  }

  @Test
  void aPodNamingAMissingConfigMapWaitsThenStartsOnceItExists() {
    created("pods", """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"waiter"},
         "spec":{"terminationGracePeriodSeconds":1,
           "containers":[{"name":"c","image":"tugboat/busybox:1.0","command":["sh","-c","echo got $VALUE; sleep 3600"],
             "env":[{"name":"VALUE","valueFrom":{"configMapKeyRef":{"name":"later","key":"value"}}}]}]}}""");
    Await.until("CreateContainerConfigError", Duration.ofSeconds(60), () -> {
      JsonNode waiting = api.get(NS + "pods/waiter").json().at("/status/containerStatuses/0/state/waiting");
      return "CreateContainerConfigError".equals(waiting.path("reason").asText())
          && waiting.path("message").asText().equals("configmap \"later\" not found");
    });
    Await.until("a Warning Event naming the ConfigMap", Duration.ofSeconds(30), () ->
        api.get(NS + "events?fieldSelector=involvedObject.name%3Dwaiter,reason%3DFailed").body()
            .contains("Error: configmap \\\"later\\\" not found"));
    created("configmaps", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"later\"},\"data\":{\"value\":\"42\"}}");
    Await.until("the pod running with the value", Duration.ofSeconds(60), () -> log("waiter").contains("got 42"));
    // The container's output can come before the agent's status write that says Running.
    Await.until("the pod Running", Duration.ofSeconds(30),
        () -> "Running".equals(api.get(NS + "pods/waiter").json().at("/status/phase").asText()));
    assertEquals(200, api.delete(NS + "pods/waiter").code());
  }
}
