package dev.tugboat.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.kinds.service.ClusterIpRange;
import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.ContainerRuntime.ContainerInfo;
import dev.tugboat.runtime.DockerRuntime;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.NodeContainers;
import dev.tugboat.testing.PrometheusText;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Services end to end on one member, real Docker: cluster IPs and node ports answered by the
 * proxy, requests spread over the ready pods, readiness and deletion taking pods out of rotation,
 * the service environment variables reachable from inside a container, and the proxy's metrics.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServicesIT {
  private static final String IMAGE = "tugboat/busybox:1.0";
  private static final String PODS = "/api/v1/namespaces/default/pods";
  private static final String SERVICES = "/api/v1/namespaces/default/services";

  private final long pid = ProcessHandle.current().pid();
  private final String node = "svc-node-" + pid;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private DockerRuntime docker;
  private Tugboat tugboat;
  private Api api;
  private String clusterIp;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) {
    docker = new DockerRuntime("unix:///var/run/docker.sock", IMAGE);
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    config.put("tugboat.node-name", node);
    tugboat = TestTugboat.start(cassandra, "services_it_" + pid, config);
    api = Api.of(tugboat);
    Await.until("node Ready", Duration.ofSeconds(60), () -> api.get("/api/v1/nodes/" + node).code() == 200);
  }

  @AfterAll
  void stop() {
    if (tugboat != null) tugboat.close();
    if (docker != null) docker.close();
    NodeContainers.removeAll(node);
  }

  /** A pod answering HTTP on 8080 with {@code content}, ready while /w/ready exists. */
  private void createPod(String name, String content) {
    Api.Reply r = api.post(PODS, """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"app":"echo"}},
         "spec":{"terminationGracePeriodSeconds":1,"containers":[{"name":"web","image":"%s",
           "command":["sh","-c","mkdir -p /w; echo %s > /w/index.html; echo ok > /w/ready; exec httpd -f -p 8080 -h /w"],
           "ports":[{"name":"http","containerPort":8080}],
           "readinessProbe":{"httpGet":{"path":"/ready","port":"http"},"periodSeconds":1,"failureThreshold":1}}]}}
        """.formatted(name, IMAGE, content));
    assertEquals(201, r.code(), r.body());
  }

  private List<String> readyEndpoints(String service) {
    List<String> names = new ArrayList<>();
    Api.Reply r = api.get("/api/v1/namespaces/default/endpoints/" + service);
    if (r.code() != 200) return names;
    r.json().path("subsets").forEach(s -> s.path("addresses").forEach(a -> names.add(a.path("targetRef").path("name").asText())));
    names.sort(String::compareTo);
    return names;
  }

  /** One request through the proxy: the body, or "" when the connection failed. */
  private String request(String host, int port) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/"))
          .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body().strip() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private List<String> requests(int count) {
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < count; i++) answers.add(request(clusterIp, 80));
    return answers;
  }

  private ContainerInfo webContainer(String pod) {
    String uid = api.get(PODS + "/" + pod).json().path("metadata").path("uid").asText();
    return docker.listContainers(Map.of(ContainerRuntime.POD_UID, uid)).stream()
        .filter(c -> !c.isSandbox() && c.state() == ContainerInfo.State.RUNNING).findFirst().orElseThrow();
  }

  @Test
  @Order(1)
  void requestsThroughTheClusterIpReachBothReadyPodsInTurn() {
    createPod("echo-a", "a");
    createPod("echo-b", "b");
    Api.Reply created = api.post(SERVICES, """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"echo"},
         "spec":{"selector":{"app":"echo"},"ports":[{"name":"http","port":80,"targetPort":"http"}]}}""");
    assertEquals(201, created.code(), created.body());
    JsonNode service = Await.until("a cluster IP", Duration.ofSeconds(30), () -> {
      JsonNode s = api.get(SERVICES + "/echo").json();
      return s.path("spec").path("clusterIP").asText().isEmpty() ? null : s;
    });
    clusterIp = service.path("spec").path("clusterIP").asText();
    assertTrue(ClusterIpRange.DEFAULT.contains(clusterIp), "in 10.96.0.0/12: " + clusterIp);
    assertFalse(service.path("metadata").path("annotations").path("service.tugboat.dev/pod-ports").asText().isEmpty());
    Await.until("both pods ready in the Endpoints", Duration.ofSeconds(60),
        () -> readyEndpoints("echo").equals(List.of("echo-a", "echo-b")));
    JsonNode subsets = api.get("/api/v1/namespaces/default/endpoints/echo").json().path("subsets");
    assertEquals("127.0.0.1", subsets.get(0).path("addresses").get(0).path("ip").asText());
    assertNotEquals(8080, subsets.get(0).path("ports").get(0).path("port").asInt(), "the host port, not the container's");

    Await.until("the proxy answers", Duration.ofSeconds(30), () -> !request(clusterIp, 80).isEmpty());
    List<String> answers = requests(10);
    for (int i = 1; i < answers.size(); i++) {
      assertNotEquals(answers.get(i - 1), answers.get(i), "round robin: " + answers);
    }
    assertTrue(answers.containsAll(List.of("a", "b")), answers.toString());
  }

  @Test
  @Order(2)
  void aPodThatIsNotReadyGetsNoTraffic() {
    long before = System.nanoTime();
    var result = docker.exec(webContainer("echo-b").id(), List.of("rm", "/w/ready"), Duration.ofSeconds(10));
    assertEquals(0, result.exitCode());
    Await.until("only a answers", Duration.ofSeconds(30), () -> requests(6).stream().allMatch("a"::equals));
    System.out.printf("ServicesIT: a pod out of rotation %.1f s after its readiness began to fail%n",
        (System.nanoTime() - before) / 1e9);
    assertEquals(List.of("echo-a"), readyEndpoints("echo"));
    assertTrue(requests(10).stream().allMatch("a"::equals));
    docker.exec(webContainer("echo-b").id(), List.of("sh", "-c", "echo ok > /w/ready"), Duration.ofSeconds(10));
    Await.until("b back in rotation", Duration.ofSeconds(30), () -> requests(4).contains("b"));
  }

  @Test
  @Order(3)
  void aDeletedPodNeverReceivesAConnectionAfterwards() {
    Api.Reply deleted = api.delete(PODS + "/echo-a");
    assertEquals(200, deleted.code(), deleted.body());
    List<String> after = requests(20);
    assertTrue(after.stream().noneMatch("a"::equals), "after its deletion: " + after);
    assertTrue(after.stream().allMatch("b"::equals), after.toString());
  }

  @Test
  @Order(4)
  void aNodePortIsReachableOnTheNodeAddress() {
    int nodePort = 30000 + (int) (pid % 2700);
    Api.Reply created = api.post(SERVICES, """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"echo-np"},
         "spec":{"type":"NodePort","selector":{"app":"echo"},"ports":[{"port":8000,"targetPort":8080,"nodePort":%d}]}}"""
        .formatted(nodePort));
    assertEquals(201, created.code(), created.body());
    Await.until("the node port answers", Duration.ofSeconds(30), () -> "b".equals(request("127.0.0.1", nodePort)));
    Api.Reply auto = api.post(SERVICES, """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"echo-auto"},
         "spec":{"type":"NodePort","selector":{"app":"echo"},"ports":[{"port":8000,"targetPort":8080}]}}""");
    assertEquals(201, auto.code(), auto.body());
    int allocated = Await.until("a node port allocated", Duration.ofSeconds(30), () -> {
      int p = api.get(SERVICES + "/echo-auto").json().path("spec").path("ports").get(0).path("nodePort").asInt(0);
      return p > 0 ? p : null;
    });
    assertTrue(allocated >= 30000 && allocated <= 32767, "in the node port range: " + allocated);
    Await.until("the allocated node port answers", Duration.ofSeconds(30), () -> "b".equals(request("127.0.0.1", allocated)));
  }

  @Test
  @Order(5)
  void podsReachServicesThroughTheirEnvironmentVariables() {
    Api.Reply r = api.post(PODS, """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"client"},
         "spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"%s",
           "command":["sh","-c","echo host=$ECHO_SERVICE_HOST port=$ECHO_SERVICE_PORT_HTTP; wget -qO- http://$ECHO_SERVICE_HOST:$ECHO_SERVICE_PORT/"]}]}}
        """.formatted(IMAGE));
    assertEquals(201, r.code(), r.body());
    String log;
    try {
      log = Await.until("the client's answer", Duration.ofSeconds(60), () -> {
        Api.Reply l = api.get(PODS + "/client/log");
        return l.code() == 200 && l.body().lines().anyMatch("b"::equals) ? l.body() : null;
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; its log: " + api.get(PODS + "/client/log").body() + "; the pod: "
          + api.get(PODS + "/client").body() + "; the Service: " + api.get("/api/v1/namespaces/default/services/echo").body(), e);
    }
    assertTrue(log.contains("host=" + clusterIp + " port=80"), "the variables name the cluster IP and port: " + log);
    PrometheusText metrics = PrometheusText.parse(api.get("/metrics").body());
    assertTrue(metrics.value("tugboat_proxy_connections_total", Map.of("service", "default/echo")).orElse(0.0) > 0,
        "metrics name the Service");
    assertTrue(metrics.value("tugboat_proxy_bytes_sent_total", Map.of("service", "default/echo")).orElse(0.0) > 0,
        "bytes are counted");
  }
}
