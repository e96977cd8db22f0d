package dev.tugboat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.ContainerRuntime.ContainerInfo;
import dev.tugboat.runtime.DockerRuntime;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.NodeContainers;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A second JVM, the example Java service of {@code examples/java-service}, compiled against the
 * Tugboat jar and started as its own process: it joins the cluster with the role {@code client},
 * resolves a Service to its two ready endpoints through Pekko Discovery (method {@code tugboat})
 * and receives a change message when a pod is added, all by actor messages. What it saw is read
 * from its output.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientIT {
  private static final String IMAGE = "tugboat/busybox:1.0";
  private final long pid = ProcessHandle.current().pid();
  private final String node = "client-node-" + pid;
  private Tugboat tugboat;
  private Api api;
  private Process service;
  private final List<String> output = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start(EmbeddedCassandra cassandra) {
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    config.put("tugboat.node-name", node);
    tugboat = TestTugboat.start(cassandra, "client_it_" + pid, config);
    api = Api.of(tugboat);
  }

  @AfterAll
  void stop() throws Exception {
    if (service != null) {
      service.destroyForcibly();
      service.waitFor(30, TimeUnit.SECONDS);
    }
    if (tugboat != null) tugboat.close();
    NodeContainers.removeAll(node);
  }

  private void pod(String name) {
    Api.Reply r = api.post("/api/v1/namespaces/default/pods", """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"app":"hello"}},
         "spec":{"terminationGracePeriodSeconds":1,"containers":[{"name":"web","image":"%s",
           "command":["httpd","-f","-p","8080","-h","/www"],"ports":[{"name":"http","containerPort":8080}],
           "readinessProbe":{"httpGet":{"path":"/","port":"http"},"periodSeconds":1}}]}}""".formatted(name, IMAGE));
    assertEquals(201, r.code(), r.body());
  }

  @Test
  void aJavaServiceInItsOwnJvmResolvesAServiceAndFollowsItsPods() throws Exception {
    pod("hello-1");
    pod("hello-2");
    assertEquals(201, api.post("/api/v1/namespaces/default/services", """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"hello"},
         "spec":{"selector":{"app":"hello"},"ports":[{"name":"http","port":80,"targetPort":"http"}]}}""").code());

    try {
      Await.until("both pods ready behind hello", Duration.ofSeconds(90), () -> {
        String endpoints = api.get("/api/v1/namespaces/default/endpoints/hello").body();
        return endpoints.contains("\"addresses\"") && endpoints.contains("hello-1") && endpoints.contains("hello-2")
            && !endpoints.contains("notReadyAddresses");
      });
    } catch (AssertionError e) {
      // What the API holds, for the flake of docs/testing.md: which pod, at which step.
      throw new AssertionError(e.getMessage() + "; pods: " + api.get("/api/v1/namespaces/default/pods").body()
          + "; endpoints: " + api.get("/api/v1/namespaces/default/endpoints/hello").body()
          + "; nodes: " + api.get("/api/v1/nodes").body(), e);
    }

    List<String> hostPorts = new java.util.ArrayList<>();
    api.get("/api/v1/namespaces/default/endpoints/hello").json().path("subsets").forEach(subset -> subset.path("addresses")
        .forEach(a -> hostPorts.add(a.path("ip").asText() + ":" + subset.path("ports").get(0).path("port").asInt())));
    assertEquals(2, hostPorts.size(), hostPorts.toString());

    // the example service, compiled now against the jar and pekko-discovery, run as its own JVM
    String classpath = System.getProperty("tugboat.jar") + java.io.File.pathSeparator
        + System.getProperty("pekko.discovery.jar");
    Path classes = Files.createDirectories(SharedCassandra.itDir().resolve("client-example-" + pid));
    int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-cp", classpath, "-d",
        classes.toString(), Path.of("examples/java-service/TugboatClientExample.java").toString());
    assertEquals(0, compiled, "the example compiles against the jar");

    String seed = Cluster.get(tugboat.system()).selfMember().address().toString();
    ProcessBuilder example = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", classpath + java.io.File.pathSeparator + classes, "TugboatClientExample", seed, "hello.default", "http")
        .redirectErrorStream(true);
    // members speak TLS: the service joins with the cluster CA's member certificate
    example.environment().put("TUGBOAT_PKI_DIR", tugboat.tls().orElseThrow().ca().dir().toString());
    service = example.start();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) output.add(line);
      } catch (Exception ended) {
        // the process ended
      }
    });
    reader.setDaemon(true);
    reader.start();

    String resolved = Await.until("Pekko Discovery to resolve hello.default", Duration.ofSeconds(120), () ->
        output.stream().filter(l -> l.startsWith("resolved ")).findFirst().orElse(null));
    for (String hostPort : hostPorts) assertTrue(resolved.contains(hostPort), resolved + " names " + hostPort);
    Await.until("the subscription", Duration.ofSeconds(60), () -> output.stream().anyMatch(l -> l.startsWith("subscribed")));
    Await.until("the current pods as ADDED", Duration.ofSeconds(30),
        () -> output.stream().anyMatch(l -> l.equals("change ADDED Pod hello-1")));

    pod("hello-3");
    Await.until("a change message for the new pod", Duration.ofSeconds(30),
        () -> output.stream().anyMatch(l -> l.equals("change ADDED Pod hello-3")));
  }
}
