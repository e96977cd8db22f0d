package dev.tugboat.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.Holds;
import dev.tugboat.testing.NodeContainers;
import dev.tugboat.testing.PrometheusText;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Services completed, on two worker members in one JVM with addresses of their own (127.0.0.1 and
 * 127.0.0.2, as the multi-JVM tests give theirs 127.0.1.x): a NodePort with
 * {@code externalTrafficPolicy: Local} answers only on the node of its pod, one with Cluster on
 * both; a UDP Service port forwards datagrams both ways (to an echo server in this JVM, behind a
 * Service without a selector and its written Endpoints).
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceTrafficIT {
  private static final String IMAGE = "tugboat/busybox:1.0";
  private static final String NS = "/api/v1/namespaces/default/";
  private final long pid = ProcessHandle.current().pid();
  private final String nodeA = "traffic-a-" + pid;
  private final String nodeB = "traffic-b-" + pid;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Tugboat control;
  private Tugboat worker;
  private Api api;
  private DatagramSocket echo;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) {
    String keyspace = "traffic_it_" + pid;
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    config.put("tugboat.node-name", nodeA);
    config.put("tugboat.node.sync-period", "1s");
    config.put("tugboat.proxy.resync", "1s");
    config.put("tugboat.proxy.ingress.enabled", false);
    control = TestTugboat.start(cassandra, keyspace, config);
    api = Api.of(control);
    Map<String, Object> second = new HashMap<>(config);
    second.put("pekko.cluster.roles", List.of("worker"));
    second.put("pekko.cluster.seed-nodes", List.of(Cluster.get(control.system()).selfMember().address().toString()));
    second.put("tugboat.node-name", nodeB);
    second.put("tugboat.node.address", "127.0.0.2");
    worker = TestTugboat.start(cassandra, keyspace, second);
    for (String node : List.of(nodeA, nodeB)) {
      Await.until("node " + node + " Ready", Duration.ofSeconds(60), () -> {
        for (JsonNode c : api.get("/api/v1/nodes/" + node).json().path("status").path("conditions")) {
          if (c.path("type").asText().equals("Ready")) return c.path("status").asText().equals("True");
        }
        return false;
      });
    }
  }

  @AfterAll
  void stop() {
    if (echo != null) echo.close();
    if (worker != null) worker.close();
    if (control != null) control.close();
    NodeContainers.removeAll(nodeA, nodeB);
  }

  /** One request: the body, or "" when the connection failed or was closed without an answer. */
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

  private int nodePort(String service) {
    return Await.until("a node port for " + service, Duration.ofSeconds(30), () -> {
      int p = api.get(NS + "services/" + service).json().at("/spec/ports/0/nodePort").asInt(0);
      return p > 0 ? p : null;
    });
  }

  @Test
  @Order(1)
  void aLocalNodePortAnswersOnlyOnItsPodsNode() {
    Api.Reply pod = api.post(NS + "pods", """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"on-b","labels":{"app":"on-b"}},
         "spec":{"nodeName":"%s","terminationGracePeriodSeconds":1,"containers":[{"name":"web","image":"%s",
           "command":["sh","-c","mkdir -p /w; echo b > /w/index.html; exec httpd -f -p 8080 -h /w"],
           "ports":[{"containerPort":8080}]}]}}""".formatted(nodeB, IMAGE));
    assertEquals(201, pod.code(), pod.body());
    for (String policy : List.of("Cluster", "Local")) {
      Api.Reply service = api.post(NS + "services", """
          {"apiVersion":"v1","kind":"Service","metadata":{"name":"np-%s"},
           "spec":{"type":"NodePort","externalTrafficPolicy":"%s","selector":{"app":"on-b"},"ports":[{"port":80,"targetPort":8080}]}}"""
          .formatted(policy.toLowerCase(), policy));
      assertEquals(201, service.code(), service.body());
    }
    JsonNode defaulted = api.post(NS + "services", """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"np-default"},
         "spec":{"type":"NodePort","sessionAffinity":"ClientIP","selector":{"app":"on-b"},"ports":[{"port":80,"targetPort":8080}]}}""")
        .json();
    assertEquals("Cluster", defaulted.at("/spec/externalTrafficPolicy").asText());
    assertEquals(10800, defaulted.at("/spec/sessionAffinityConfig/clientIP/timeoutSeconds").asInt());
    int cluster = nodePort("np-cluster");
    int local = nodePort("np-local");
    Await.until("the Cluster node port on both nodes", Duration.ofSeconds(60),
        () -> "b".equals(request("127.0.0.1", cluster)) && "b".equals(request("127.0.0.2", cluster)));
    Await.until("the Local node port on the pod's node", Duration.ofSeconds(30), () -> "b".equals(request("127.0.0.2", local)));
    Holds.during("the Local node port refuses on the other node", Duration.ofSeconds(2), () -> {
      String a = request("127.0.0.1", local);
      return a.isEmpty() ? null : "127.0.0.1 answered " + a;
    });
    assertTrue(PrometheusText.parse(api.get("/metrics").body())
        .value("tugboat_proxy_rejected_connections_total", Map.of("service", "default/np-local")).orElse(0.0) > 0,
        "node A's proxy accepted and refused them (nothing local), rather than nothing listening");
    Api.Reply bad = api.post(NS + "services", """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"bad"},
         "spec":{"externalTrafficPolicy":"Local","sessionAffinity":"ClientIP","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":0}},
          "ports":[{"port":80}]}}""");
    assertEquals(422, bad.code(), bad.body());
    assertTrue(bad.body().contains("spec.externalTrafficPolicy") && bad.body().contains("spec.sessionAffinityConfig.clientIP.timeoutSeconds"),
        bad.body());
  }

  @Test
  @Order(2)
  void datagramsGoThroughAUdpServicePortBothWays() throws Exception {
    echo = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    Thread echoer = new Thread(() -> {
      byte[] buffer = new byte[2048];
      while (!echo.isClosed()) {
        try {
          DatagramPacket in = new DatagramPacket(buffer, buffer.length);
          echo.receive(in);
          byte[] answer = ("echo " + new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
          echo.send(new DatagramPacket(answer, answer.length, in.getSocketAddress()));
        } catch (IOException e) {
          // closed
        }
      }
    }, "udp-echo");
    echoer.setDaemon(true);
    echoer.start();
    assertEquals(201, api.post(NS + "services", """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"udp"},"spec":{"ports":[{"name":"dns","port":5353,"protocol":"UDP"}]}}""")
        .code());
    assertEquals(201, api.post(NS + "endpoints", """
        {"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"udp"},
         "subsets":[{"addresses":[{"ip":"127.0.0.1"}],"ports":[{"name":"dns","port":%d,"protocol":"UDP"}]}]}"""
        .formatted(echo.getLocalPort())).code());
    String clusterIp = Await.until("a cluster IP", Duration.ofSeconds(30), () -> {
      String ip = api.get(NS + "services/udp").json().at("/spec/clusterIP").asText("");
      return ip.isEmpty() ? null : ip;
    });
    try (DatagramSocket client = new DatagramSocket()) {
      client.setSoTimeout(500);
      String answer = Await.until("an answer through " + clusterIp + ":5353/UDP", Duration.ofSeconds(30), () -> exchange(client, clusterIp, "one"));
      assertEquals("echo one", answer);
      assertEquals("echo two", exchange(client, clusterIp, "two"), "the same session answers again");
    }
    assertTrue(api.get("/metrics").body().contains("tugboat_proxy_connections_total{service=\"default/udp\"}"));
  }

  /** One datagram to the Service and its answer; null when none came within the socket's timeout. */
  private static String exchange(DatagramSocket client, String host, String text) {
    try {
      byte[] out = text.getBytes(StandardCharsets.UTF_8);
      client.send(new DatagramPacket(out, out.length, InetAddress.getByName(host), 5353));
      byte[] buffer = new byte[2048];
      DatagramPacket in = new DatagramPacket(buffer, buffer.length);
      client.receive(in);
      return new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
    } catch (SocketTimeoutException e) {
      return null;
    } catch (IOException e) {
      return null;
    }
  }
}
