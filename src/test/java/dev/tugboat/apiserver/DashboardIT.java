package dev.tugboat.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.DockerRuntime;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.Browser;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The web dashboard in a real browser (Debian's headless Chromium) against a real Tugboat running
 * pods in Docker: log in with a ServiceAccount's token, apply a Deployment on the page, watch it
 * become available there, scale it with the page's button, follow a pod's log, read the
 * Deployment's history as a timeline, see the node on the cluster page, delete it. A screenshot of
 * each page goes to {@code target/dashboard/}.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardIT {
  private static final Path SHOTS = Path.of("target", "dashboard");
  private static final Duration RUNNING = Duration.ofSeconds(90);
  private final String node = "dashboard-it-" + ProcessHandle.current().pid();
  private Tugboat tugboat;
  private Api api;
  private Browser browser;
  private DockerRuntime docker;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) throws Exception {
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    config.put("tugboat.node-name", node);
    tugboat = TestTugboat.start(cassandra, "dashboard_it_" + ProcessHandle.current().pid(), config);
    api = Api.of(tugboat);
    docker = new DockerRuntime("unix:///var/run/docker.sock", "tugboat/busybox:1.0");
    dev.tugboat.compat.Serving.await(api);
    Await.until("node " + node + " Ready", Duration.ofSeconds(60), () -> api.get("/api/v1/nodes/" + node).body()
        .contains("\"type\":\"Ready\",\"status\":\"True\""));
    browser = Browser.start(SharedCassandra.itDir().resolve("dashboard-" + ProcessHandle.current().pid()));
  }

  @AfterAll
  void stop() {
    if (browser != null) browser.close();
    if (tugboat != null) tugboat.close();
    if (docker != null) {
      for (var c : docker.listContainers(Map.of(ContainerRuntime.NODE, node))) docker.removeContainer(c.id());
      assertEquals(List.of(), docker.listContainers(Map.of(ContainerRuntime.NODE, node)), "no container left behind");
      docker.close();
    }
  }

  /** A token of a ServiceAccount bound to cluster-admin, as `kubectl create token` gives one. */
  private String adminToken() {
    assertEquals(201, api.post("/api/v1/namespaces/kube-system/serviceaccounts",
        "{\"metadata\":{\"name\":\"dashboard-admin\"}}").code());
    assertEquals(201, api.post("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", """
        {"metadata":{"name":"dashboard-admin"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"},
         "subjects":[{"kind":"ServiceAccount","name":"dashboard-admin","namespace":"kube-system"}]}""").code());
    Api.Reply token = api.post("/api/v1/namespaces/kube-system/serviceaccounts/dashboard-admin/token",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":{}}");
    assertEquals(201, token.code(), token.body());
    return token.json().path("status").path("token").asText();
  }

  @Test
  void applyWatchScaleLogsHistoryAndDeleteInABrowser() throws Exception {
    String base = tugboat.apiUrl() + "/dashboard/";
    browser.open(base);
    browser.waitFor("the login form", Duration.ofSeconds(10), "document.getElementById('token')");
    browser.screenshot(SHOTS.resolve("login.png"));
    browser.eval("document.getElementById('token').value = " + quoted(adminToken()) + "; "
        + "document.getElementById('login-button').click(); true");
    browser.waitFor("the cluster page after logging in", Duration.ofSeconds(30),
        "!document.getElementById('nav').hidden && document.body.innerText.includes('" + node + "')");
    browser.waitFor("the node's row", Duration.ofSeconds(30), "document.getElementById('nodes').innerText.includes('Ready')");
    browser.screenshot(SHOTS.resolve("cluster.png"));

    browser.eval("location.hash = '#/apply'; true");
    browser.waitFor("the apply page", Duration.ofSeconds(10), "document.getElementById('manifest')");
    browser.eval("document.getElementById('manifest').value = " + quoted("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: dash
          namespace: default
        spec:
          replicas: 1
          selector:
            matchLabels: {app: dash}
          template:
            metadata:
              labels: {app: dash}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: web
                image: tugboat/busybox:1.0
                command: ["sh", "-c", "echo hello from the dashboard; mkdir -p /w; echo ok > /w/index.html; exec httpd -f -p 8080 -h /w"]
                readinessProbe:
                  httpGet: {path: /, port: 8080}
                  periodSeconds: 1
        """) + "; document.getElementById('apply').click(); true");
    browser.waitFor("the apply's answer", Duration.ofSeconds(20), "document.getElementById('result').innerText.includes('deployment/dash applied')");
    JsonNode applied = api.get("/apis/apps/v1/namespaces/default/deployments/dash").json();
    assertTrue(applied.path("metadata").path("managedFields").toString().contains("tugboat-dashboard"), applied.toString());

    browser.eval("location.hash = '#/workloads/default'; true");
    browser.waitFor("the Deployment available on the page", RUNNING,
        "document.querySelector('.ready[data-name=dash]')?.innerText === '1/1' && document.body.innerText.includes('Complete')");
    browser.screenshot(SHOTS.resolve("workloads.png"));
    browser.eval("document.querySelector('button[data-scale=dash][data-by=\"1\"]').click(); true");
    browser.waitFor("two ready replicas on the page", RUNNING, "document.querySelector('.ready[data-name=dash]')?.innerText === '2/2'");
    assertEquals(2, api.get("/apis/apps/v1/namespaces/default/deployments/dash").json().path("spec").path("replicas").asInt());

    browser.eval("document.querySelector('a.pod').click(); true");
    browser.waitFor("the pod's log followed on its page", Duration.ofSeconds(30),
        "document.getElementById('log')?.innerText.includes('hello from the dashboard')");
    browser.waitFor("its container running", Duration.ofSeconds(30), "document.getElementById('containers').innerText.includes('running')");
    browser.screenshot(SHOTS.resolve("pod.png"));

    browser.eval("location.hash = '#/history/apis/apps/v1/namespaces/default/deployments/dash'; true");
    browser.waitFor("the Deployment's history", Duration.ofSeconds(20),
        "document.querySelector('li[data-type=Created]') && document.getElementById('timeline').innerText.includes('spec.replicas: 1 → 2')");
    browser.screenshot(SHOTS.resolve("history.png"));

    browser.eval("location.hash = '#/workloads/default'; true");
    browser.waitFor("the workloads page again", Duration.ofSeconds(20), "document.querySelector('button[data-delete=dash]')");
    browser.eval("window.confirm = () => true; document.querySelector('button[data-delete=dash]').click(); true");
    Await.until("the Deployment deleted", Duration.ofSeconds(60),
        () -> api.get("/apis/apps/v1/namespaces/default/deployments/dash").code() == 404);
    browser.waitFor("the Deployment gone from the page", Duration.ofSeconds(30), "!document.querySelector('.ready[data-name=dash]')");
  }

  @Test
  void aTokenTheServerRefusesStaysOnTheLoginPage() {
    browser.open(tugboat.apiUrl() + "/dashboard/");
    browser.eval("sessionStorage.clear(); location.reload(); true");
    browser.waitFor("the login form", Duration.ofSeconds(10), "document.getElementById('token')");
    browser.eval("document.getElementById('token').value = 'not-a-token'; document.getElementById('login-button').click(); true");
    browser.waitFor("the refusal", Duration.ofSeconds(10), "document.getElementById('login-error')?.innerText.length > 0");
    assertTrue(browser.eval("document.getElementById('nav').hidden").asBoolean(), "nothing behind the login shown");
  }

  private static String quoted(String s) {
    return new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(s).toString();
  }
}
