package dev.tugboat.controller.hpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.compat.Kubectl;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.Holds;
import dev.tugboat.testing.NodeContainers;
import dev.tugboat.testing.PrometheusText;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Resource metrics and the HorizontalPodAutoscaler on real Docker, with the real kubectl: a busybox
 * httpd whose CGI script spins the CPU on each request (limited to 500m, requesting 100m), driven by
 * a load generator on loopback that stops by itself; {@code kubectl autoscale} scales the Deployment
 * up under load, {@code kubectl get hpa} shows its TARGETS, {@code kubectl top} shows the pods and
 * the node; after the load stops the replicas stay for the (shortened) stabilization window, then
 * go back to the minimum. Bad HPAs get 422s naming the field, a missing target a condition.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoscalingIT {
  private static final String IMAGE = "tugboat/busybox:1.0";
  private static final String HPAS = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers";
  private static final String DEPLOYMENT = "/apis/apps/v1/namespaces/default/deployments/burn";
  /** The scale-down stabilization window, shortened from 5 min. */
  private static final Duration WINDOW = Duration.ofSeconds(12);
  /** Busy work per request: a shell loop, about a tenth of a second of a core. */
  private static final String SPIN = "#!/bin/sh\necho Content-Type: text/plain\necho\n"
      + "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done\necho spun\n";
  private final long pid = ProcessHandle.current().pid();
  private final String node = "hpa-" + pid;
  private Tugboat tugboat;
  private Api api;
  private Kubectl kubectl;
  private Kubectl kubectl135;
  private final AtomicBoolean loadOn = new AtomicBoolean();
  private Thread load;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) throws IOException {
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    config.put("tugboat.node-name", node);
    config.put("tugboat.dns.enabled", false); // no pod here resolves names
    // measures and evaluations every 2 s instead of 10 s and 15 s; a 12 s scale-down window instead of 5 min
    config.put("tugboat.node.metrics.interval", "2s");
    config.put("tugboat.controllers.horizontal-pod-autoscaler.sync-period", "2s");
    config.put("tugboat.controllers.horizontal-pod-autoscaler.downscale-stabilization", WINDOW.toSeconds() + "s");
    tugboat = TestTugboat.start(cassandra, "autoscaling_it_" + pid, config);
    api = Api.of(tugboat);
    Path work = Files.createDirectories(SharedCassandra.itDir().resolve("autoscaling-" + pid));
    kubectl = Kubectl.v133(work).orElseThrow(() -> new AssertionError("kubectl 1.33 is missing")).configure(tugboat, "default");
    kubectl135 = Kubectl.v135(work).configure(tugboat, "default");
    String script = "mkdir -p /www/cgi-bin && printf '%s' \"$SPIN\" > /www/cgi-bin/spin && chmod +x /www/cgi-bin/spin"
        + " && exec httpd -f -p 8080 -h /www";
    Api.Reply created = api.post("/apis/apps/v1/namespaces/default/deployments", """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"burn"},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"burn"}},
          "template":{"metadata":{"labels":{"app":"burn"}},
           "spec":{"terminationGracePeriodSeconds":1,"containers":[{"name":"web","image":"%s",
            "command":["sh","-c",%s],"env":[{"name":"SPIN","value":%s}],
            "ports":[{"containerPort":8080}],
            "resources":{"requests":{"cpu":"100m","memory":"16Mi"},"limits":{"cpu":"500m","memory":"64Mi"}}}]}}}}
        """.formatted(IMAGE, json(script), json(SPIN)));
    assertEquals(201, created.code(), created.body());
  }

  @AfterAll
  void stop() throws InterruptedException {
    loadOn.set(false);
    if (load != null) load.join(10_000);
    if (tugboat != null) tugboat.close();
    NodeContainers.removeAll(node);
  }

  private static String json(String s) {
    try {
      return new ObjectMapper().writeValueAsString(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private int replicas() {
    return api.get(DEPLOYMENT).json().at("/spec/replicas").asInt();
  }

  /** The first pod's published port, once it runs and answers. */
  private JsonNode runningPod() {
    return Await.until("a burn pod Running with its port published", Duration.ofSeconds(60), () -> {
      for (JsonNode p : api.get("/api/v1/namespaces/default/pods?labelSelector=app%3Dburn").json().path("items")) {
        if ("Running".equals(p.at("/status/phase").asText()) && p.at("/status/publishedPorts/0/hostPort").asInt() > 0) return p;
      }
      return null;
    });
  }

  @Test
  @Order(1)
  void badAutoscalersAreRefusedNamingTheField() {
    Api.Reply configMap = api.post(HPAS, """
        {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"bad"},
         "spec":{"scaleTargetRef":{"apiVersion":"v1","kind":"ConfigMap","name":"x"},"maxReplicas":3}}""");
    assertEquals(422, configMap.code(), configMap.body());
    assertEquals("spec.scaleTargetRef.kind", configMap.at("/details/causes/0/field"), configMap.body());
    assertTrue(configMap.body().contains("has no scale subresource"), configMap.body());

    Api.Reply minMax = api.post(HPAS, """
        {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"bad"},
         "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"burn"},"minReplicas":4,"maxReplicas":2}}""");
    assertEquals(422, minMax.code(), minMax.body());
    assertEquals("spec.maxReplicas", minMax.at("/details/causes/0/field"), minMax.body());

    Api.Reply podsMetric = api.post(HPAS, """
        {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"bad"},
         "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"burn"},"maxReplicas":2,
          "metrics":[{"type":"Pods","pods":{"metric":{"name":"qps"},"target":{"type":"AverageValue","averageValue":"1"}}}]}}""");
    assertEquals(422, podsMetric.code(), podsMetric.body());
    assertEquals("spec.metrics[0].type", podsMetric.at("/details/causes/0/field"), podsMetric.body());
    assertEquals(404, api.get(HPAS + "/bad").code(), "nothing written");

    // A target that does not exist (yet) is Kubernetes' run-time condition, not a refusal.
    Api.Reply missing = api.post(HPAS, """
        {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"ghost"},
         "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"ghost"},"maxReplicas":2}}""");
    assertEquals(201, missing.code(), missing.body());
    Await.until("ghost's AbleToScale=False FailedGetScale", Duration.ofSeconds(20), () -> {
      JsonNode c = api.get(HPAS + "/ghost").json().at("/status/conditions/0");
      return "AbleToScale".equals(c.path("type").asText()) && "False".equals(c.path("status").asText())
          && "FailedGetScale".equals(c.path("reason").asText()) && c.path("message").asText().contains("\"ghost\" not found");
    });
    assertEquals(200, api.delete(HPAS + "/ghost").code());

    // kubectl 1.35's autoscale (its --cpu flag writes autoscaling/v2)
    Kubectl.Result k135 = kubectl135.run("autoscale", "deploy/burn", "--name", "k135", "--min", "1", "--max", "2", "--cpu=60%", "--memory=200Mi");
    assertEquals(0, k135.exit(), k135.toString());
    JsonNode made = api.get(HPAS + "/k135").json();
    assertEquals(60, made.at("/spec/metrics/0/resource/target/averageUtilization").asInt(), made.toString());
    assertEquals(2, made.at("/spec/maxReplicas").asInt(), made.toString());
    assertEquals("memory", made.at("/spec/metrics/1/resource/name").asText(), made.toString());
    assertEquals("200Mi", made.at("/spec/metrics/1/resource/target/averageValue").asText(), made.toString());
    Kubectl.Result listed = kubectl135.run("get", "hpa", "k135");
    assertTrue(listed.out().matches("(?s).*k135\\s+Deployment/burn\\s+cpu: [^,]+/60%, memory: [^/]+/200Mi\\s+1\\s+2.*"), listed.toString());
    assertEquals(200, api.delete(HPAS + "/k135").code());
  }

  @Test
  @Order(2)
  void kubectlTopShowsThePodAndTheNode() {
    String pod = runningPod().at("/metadata/name").asText();
    for (Kubectl k : List.of(kubectl, kubectl135)) {
      Kubectl.Result pods = Await.until("kubectl " + k.version() + " top pods lists " + pod, Duration.ofSeconds(30), () -> {
        Kubectl.Result r = k.run("top", "pods");
        return r.exit() == 0 && r.out().contains(pod) ? r : null;
      });
      assertTrue(pods.out().startsWith("NAME"), pods.toString());
      assertTrue(pods.out().matches("(?s).*" + pod + "\\s+\\d+m\\s+\\d+Mi.*"), pods.toString());
      Kubectl.Result all = k.run("top", "pods", "-A");
      assertEquals(0, all.exit(), all.toString());
      assertTrue(all.out().matches("(?s).*default\\s+" + pod + "\\s+\\d+m.*"), all.toString());
      Kubectl.Result selected = k.run("top", "pods", "-l", "app=nothing");
      assertTrue(!selected.out().contains(pod), selected.toString());
      Kubectl.Result nodes = k.run("top", "nodes");
      assertEquals(0, nodes.exit(), nodes.toString());
      assertTrue(nodes.out().matches("(?s).*" + node + "\\s+\\d+m\\s+\\d+%\\s+\\d+Mi\\s+\\d+%.*"), nodes.toString());
    }
    Api.Reply missing = api.get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nothing");
    assertEquals(404, missing.code(), missing.body());
    assertEquals("NotFound", missing.at("/reason"), missing.body());

    String tugPods = tug("top", "pods");
    assertTrue(tugPods.matches("(?s)NAME\\s+CPU\\(cores\\)\\s+MEMORY\\(bytes\\)\n.*" + pod + "\\s+\\d+m\\s+\\d+Mi.*"), tugPods);
    String tugNodes = tug("top", "nodes");
    assertTrue(tugNodes.matches("(?s).*" + node + "\\s+\\d+m\\s+\\d+%\\s+\\d+Mi\\s+\\d+%.*"), tugNodes);
    String text = api.get("/metrics").body();
    PrometheusText metrics = PrometheusText.parse(text);
    assertTrue(metrics.value("tugboat_container_cpu_usage_cores", Map.of("node", node, "namespace", "default", "pod", pod,
        "container", "web")).orElse(-1.0) >= 0, text);
    assertTrue(metrics.value("tugboat_node_memory_working_set_bytes", Map.of("node", node)).orElse(0.0) > 0, text);
  }

  private String tug(String... args) {
    var out = new java.io.StringWriter();
    var err = new java.io.StringWriter();
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.add(TestTugboat.tugServerOption(tugboat));
    all.add("--namespace=default");
    int exit = dev.tugboat.cli.TugCommand.commandLine().setOut(new java.io.PrintWriter(out, true))
        .setErr(new java.io.PrintWriter(err, true)).execute(all.toArray(String[]::new));
    assertEquals(0, exit, "tug " + String.join(" ", args) + ": " + err);
    return out.toString();
  }

  @Test
  @Order(3)
  void theDeploymentScalesUpUnderLoadAndBackDownAfterTheWindow() throws Exception {
    Kubectl.Result autoscale = kubectl.run("autoscale", "deploy/burn", "--min", "1", "--max", "3", "--cpu-percent", "50");
    assertEquals(0, autoscale.exit(), autoscale.toString());
    int port = runningPod().at("/status/publishedPorts/0/hostPort").asInt();
    // idle first: a measure below the target, and one replica wanted
    JsonNode idle = Await.until("the HPA's first measure of the idle pod", Duration.ofSeconds(20), () -> {
      JsonNode st = api.get(HPAS + "/burn").json().path("status");
      return st.at("/currentMetrics/0/resource/current/averageUtilization").isInt() ? st : null;
    });
    assertTrue(idle.at("/currentMetrics/0/resource/current/averageUtilization").asInt() < 50, idle.toString());
    assertEquals(1, idle.path("desiredReplicas").asInt(), idle.toString());
    assertEquals(1, replicas());
    AtomicInteger served = new AtomicInteger();
    startLoad(port, served, Duration.ofSeconds(60));
    long loadStarted = System.nanoTime();
    Await.until("the Deployment scaled to 3 under load", Duration.ofSeconds(50), () -> replicas() == 3);
    System.out.printf("AutoscalingIT: scaled to 3 in %.1f s of load (%d requests served)%n",
        (System.nanoTime() - loadStarted) / 1e9, served.get());
    Kubectl.Result hpa = Await.until("kubectl get hpa shows the cpu target", Duration.ofSeconds(20), () -> {
      Kubectl.Result r = kubectl.run("get", "hpa", "burn");
      return r.out().matches("(?s).*burn\\s+Deployment/burn\\s+cpu: \\d+%/50%\\s+1\\s+3\\s+\\d+.*") ? r : null;
    });
    assertTrue(hpa.out().startsWith("NAME"), hpa.toString());
    // kubectl autoscale wrote autoscaling/v1; stored as v2, it reads back at either version
    JsonNode v1 = api.get("/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/burn").json();
    assertEquals("autoscaling/v1", v1.path("apiVersion").asText(), v1.toString());
    assertEquals(50, v1.at("/spec/targetCPUUtilizationPercentage").asInt(), v1.toString());
    assertTrue(v1.at("/status/currentCPUUtilizationPercentage").isInt(), v1.toString());
    JsonNode v2 = api.get(HPAS + "/burn").json();
    assertEquals("Utilization", v2.at("/spec/metrics/0/resource/target/type").asText(), v2.toString());
    assertEquals(50, v2.at("/spec/metrics/0/resource/target/averageUtilization").asInt(), v2.toString());
    loadOn.set(false);
    load.join(10_000);
    long stopped = System.nanoTime();
    // the highest recommendation of the window still says 3: no pod goes before it has passed
    Holds.during("the replicas stay during the stabilization window", WINDOW.minusSeconds(3), () -> {
      int r = replicas();
      return r == 3 ? null : "replicas " + r + " after " + (System.nanoTime() - stopped) / 1_000_000 + " ms";
    });
    Await.until("the Deployment back to 1", Duration.ofSeconds(40), () -> replicas() == 1);
    double after = (System.nanoTime() - stopped) / 1e9;
    System.out.printf("AutoscalingIT: back to 1 replica %.1f s after the load stopped (window %d s)%n", after, WINDOW.toSeconds());
    assertTrue(after >= WINDOW.toSeconds() - 1, "scaled down after " + after + " s, before the window");
    // Events are recorded after the rescale they tell of
    String messages = Await.until("a SuccessfulRescale Event each way", Duration.ofSeconds(10), () -> {
      JsonNode events = api.get("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dburn").json();
      String m = events.path("items").findValuesAsText("message").toString();
      return m.contains("New size: 3; reason: cpu resource utilization (percentage of request) above target")
          && m.contains("New size: 1; reason: All metrics below target") ? m : null;
    });
    assertTrue(messages.contains("New size: 3"), messages);
    JsonNode status = api.get(HPAS + "/burn").json().path("status");
    assertEquals(1, status.path("desiredReplicas").asInt(), status.toString());
    assertEquals("ValidMetricFound", status.at("/conditions/1/reason").asText(), status.toString());
  }

  /** Sequential requests to the pod's CGI on loopback, until told to stop or {@code limit} has passed. */
  private void startLoad(int port, AtomicInteger served, Duration limit) {
    loadOn.set(true);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI uri = URI.create("http://127.0.0.1:" + port + "/cgi-bin/spin");
    long end = System.nanoTime() + limit.toNanos();
    load = new Thread(() -> {
      while (loadOn.get() && System.nanoTime() < end) {
        try {
          HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) served.incrementAndGet();
        } catch (IOException e) {
          // a refused or slow request is load too; the next one follows
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "autoscaling-load");
    load.setDaemon(true);
    load.start();
  }
}
