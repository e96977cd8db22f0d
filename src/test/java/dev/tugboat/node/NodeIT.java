package dev.tugboat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The node agent and the scheduler on one member, against the real Docker engine and Cassandra:
 * pods are scheduled onto this member's node and run as real containers of the local busybox image.
 * Every assertion is on what the API reports and what Docker holds.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeIT {
  private static final String IMAGE = "tugboat/busybox:1.0";
  private final String node = "it-node-" + ProcessHandle.current().pid();
  private final String keyspace = "node_it_" + ProcessHandle.current().pid();
  private EmbeddedCassandra cassandra;
  private DockerRuntime docker;
  private Tugboat tugboat;
  private Api api;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) {
    this.cassandra = cassandra;
    docker = new DockerRuntime("unix:///var/run/docker.sock", IMAGE);
    tugboat = startMember();
    api = Api.of(tugboat);
    Await.until("node " + node + " to register Ready", Duration.ofSeconds(60), () ->
        api.get("/api/v1/nodes/" + node).code() == 200 && condition(api.get("/api/v1/nodes/" + node).json(), "Ready").equals("True"));
  }

  private Tugboat startMember() {
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    config.put("tugboat.node-name", node);
    // Short backoffs, so restarts are seen within the test's deadlines.
    config.put("tugboat.node.restart-backoff.initial", "1s");
    config.put("tugboat.node.restart-backoff.max", "4s");
    config.put("tugboat.node.resync", "2s");
    return TestTugboat.start(cassandra, keyspace, config);
  }

  @AfterAll
  void stop() {
    if (tugboat != null) tugboat.close();
    if (docker != null) docker.close();
    NodeContainers.removeAll(node);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private String pod(String name, String containerYaml, String extraSpec) {
    return """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"test":"node-it"}},
         "spec":{%s"terminationGracePeriodSeconds":2,"containers":[%s]}}
        """.formatted(name, extraSpec, containerYaml);
  }

  private JsonNode create(String json) {
    Api.Reply r = api.post("/api/v1/namespaces/default/pods", json);
    assertEquals(201, r.code(), r.body());
    return r.json();
  }

  private JsonNode get(String name) {
    Api.Reply r = api.get("/api/v1/namespaces/default/pods/" + name);
    assertEquals(200, r.code(), r.body());
    return r.json();
  }

  private static String condition(JsonNode object, String type) {
    for (JsonNode c : object.path("status").path("conditions")) {
      if (type.equals(c.path("type").asText())) return c.path("status").asText();
    }
    return "";
  }

  private List<ContainerInfo> containersOf(JsonNode pod) {
    return docker.listContainers(Map.of(ContainerRuntime.POD_UID, pod.path("metadata").path("uid").asText()));
  }

  private JsonNode awaitPhase(String name, String phase) {
    return Await.until(name + " to be " + phase, Duration.ofSeconds(60), () -> {
      JsonNode p = get(name);
      return phase.equals(p.path("status").path("phase").asText()) ? p : null;
    });
  }

  private void deleteAndAwaitGone(String name) {
    JsonNode pod = get(name);
    Api.Reply r = api.delete("/api/v1/namespaces/default/pods/" + name);
    assertEquals(200, r.code(), r.body());
    Await.until(name + " to be gone from the API", Duration.ofSeconds(60),
        () -> api.get("/api/v1/namespaces/default/pods/" + name).code() == 404);
    assertEquals(List.of(), containersOf(pod), "the pod's containers are removed");
  }

  // ---- tests ----------------------------------------------------------------------------------

  @Test
  void aPodIsScheduledRunsAndServesHttpOnItsHostPortAndItsLogIsServed() throws Exception {
    create(pod("web", """
        {"name":"httpd","image":"%s",
         "command":["sh","-c","echo started $POD_NAME; mkdir -p /w; echo hello from $POD_NAME > /w/index.html; exec httpd -f -p 8080 -h /w"],
         "env":[{"name":"POD_NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}],
         "ports":[{"name":"http","containerPort":8080}],
         "readinessProbe":{"httpGet":{"path":"/","port":"http"},"periodSeconds":1}}
        """.formatted(IMAGE), ""));
    JsonNode pod = Await.until("web to be Running and Ready", Duration.ofSeconds(60), () -> {
      JsonNode p = get("web");
      return "Running".equals(p.path("status").path("phase").asText()) && condition(p, "Ready").equals("True") ? p : null;
    });
    assertEquals(node, pod.path("spec").path("nodeName").asText());
    assertEquals("True", condition(pod, "PodScheduled"));
    assertEquals("True", condition(pod, "ContainersReady"));
    assertEquals("127.0.0.1", pod.path("status").path("hostIP").asText());
    assertFalse(pod.path("status").path("podIP").asText().isEmpty(), "the pod has an address");
    JsonNode status = pod.path("status").path("containerStatuses").get(0);
    assertEquals("httpd", status.path("name").asText());
    assertTrue(status.path("ready").asBoolean());
    assertEquals(0, status.path("restartCount").asInt());
    assertFalse(status.path("state").path("running").path("startedAt").asText().isEmpty());
    JsonNode published = pod.path("status").path("publishedPorts").get(0);
    assertEquals(8080, published.path("containerPort").asInt());
    int hostPort = published.path("hostPort").asInt();

    HttpResponse<String> page = api.client().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + hostPort + "/")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    assertEquals("hello from web", page.body().strip());

    String containerId = status.path("containerID").asText().replace("docker://", "");
    ContainerInfo inDocker = docker.inspectContainer(containerId);
    assertEquals(ContainerInfo.State.RUNNING, inDocker.state());
    assertEquals("web", inDocker.labels().get(ContainerRuntime.POD_NAME));
    assertEquals(node, inDocker.labels().get(ContainerRuntime.NODE));

    Api.Reply log = api.get("/api/v1/namespaces/default/pods/web/log");
    assertEquals(200, log.code(), log.body());
    assertEquals("started web", log.body().strip());
    assertEquals(400, api.get("/api/v1/namespaces/default/pods/web/log?container=nope").code());
    HttpResponse<java.util.stream.Stream<String>> followed = api.client().send(HttpRequest.newBuilder(
        api.uri("/api/v1/namespaces/default/pods/web/log?follow=true&tailLines=1")).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, followed.statusCode());
    try (java.util.stream.Stream<String> lines = followed.body()) {
      assertEquals("started web", lines.findFirst().orElse(null), "a follow starts with the tail");
    }

    Api.Reply event = api.get("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name=web");
    assertTrue(event.body().contains("Successfully assigned default/web to " + node), event.body());
    deleteAndAwaitGone("web");
  }

  @Test
  void aContainerThatExitsIsRestartedWithBackoffAndItsRestartCountRises() {
    create(pod("crasher", """
        {"name":"main","image":"%s","command":["sh","-c","echo crashing; exit 3"]}
        """.formatted(IMAGE), ""));
    Set<String> reasons = new TreeSet<>();
    java.util.concurrent.atomic.AtomicLong mostRuns = new java.util.concurrent.atomic.AtomicLong();
    JsonNode status = Await.until("crasher to have restarted twice", Duration.ofSeconds(60), () -> {
      JsonNode pod = get("crasher");
      mostRuns.accumulateAndGet(containersOf(pod).stream().filter(c -> !c.isSandbox()).count(), Math::max);
      JsonNode s = pod.path("status").path("containerStatuses").path(0);
      String waiting = s.path("state").path("waiting").path("reason").asText();
      if (!waiting.isEmpty()) reasons.add(waiting);
      return s.path("restartCount").asInt() >= 2 ? s : null;
    });
    Await.until("a CrashLoopBackOff between restarts", Duration.ofSeconds(30), () -> {
      String waiting = get("crasher").path("status").path("containerStatuses").path(0)
          .path("state").path("waiting").path("reason").asText();
      if (!waiting.isEmpty()) reasons.add(waiting);
      return reasons.contains("CrashLoopBackOff");
    });
    JsonNode last = get("crasher").path("status").path("containerStatuses").path(0).path("lastState").path("terminated");
    assertEquals(3, last.path("exitCode").asInt(), last.toString());
    assertEquals("Error", last.path("reason").asText());
    assertTrue(status.path("restartCount").asInt() >= 2);
    // Docker holds the current run and the one before it, no more, at any time it was looked at.
    mostRuns.accumulateAndGet(containersOf(get("crasher")).stream().filter(c -> !c.isSandbox()).count(), Math::max);
    assertTrue(mostRuns.get() <= 2, "runs of the container seen at once in Docker: " + mostRuns.get());
    deleteAndAwaitGone("crasher");
  }

  @Test
  void aFailingLivenessProbeRestartsTheContainer() {
    create(pod("unhealthy", """
        {"name":"main","image":"%s","command":["sh","-c","touch /tmp/healthy; sleep 3; rm /tmp/healthy; exec sleep 600"],
         "livenessProbe":{"exec":{"command":["cat","/tmp/healthy"]},"periodSeconds":1,"failureThreshold":1}}
        """.formatted(IMAGE), ""));
    JsonNode first = awaitPhase("unhealthy", "Running");
    String firstId = first.path("status").path("containerStatuses").path(0).path("containerID").asText();
    JsonNode restarted = Await.until("the liveness probe to restart the container", Duration.ofSeconds(60), () -> {
      JsonNode s = get("unhealthy").path("status").path("containerStatuses").path(0);
      return s.path("restartCount").asInt() >= 1 && !s.path("containerID").asText().equals(firstId) ? s : null;
    });
    assertTrue(restarted.path("restartCount").asInt() >= 1);
    ContainerInfo old = docker.inspectContainer(firstId.replace("docker://", ""));
    assertEquals(ContainerInfo.State.EXITED, old.state(), "the unhealthy run was stopped");
    deleteAndAwaitGone("unhealthy");
  }

  @Test
  void readinessDrivesTheReadyCondition() {
    create(pod("gated", """
        {"name":"main","image":"%s","command":["sleep","600"],
         "readinessProbe":{"exec":{"command":["cat","/tmp/ready"]},"periodSeconds":1,"failureThreshold":1}}
        """.formatted(IMAGE), ""));
    JsonNode running = awaitPhase("gated", "Running");
    assertEquals("False", condition(running, "Ready"), "not ready before the probe passes");
    String id = running.path("status").path("containerStatuses").path(0).path("containerID").asText().replace("docker://", "");
    assertEquals(0, docker.exec(id, List.of("touch", "/tmp/ready"), Duration.ofSeconds(5)).exitCode());
    Await.until("gated to become Ready", Duration.ofSeconds(30), () -> condition(get("gated"), "Ready").equals("True"));
    assertEquals(0, docker.exec(id, List.of("rm", "/tmp/ready"), Duration.ofSeconds(5)).exitCode());
    Await.until("gated to become not Ready", Duration.ofSeconds(30), () -> condition(get("gated"), "Ready").equals("False"));
    assertEquals(0, get("gated").path("status").path("containerStatuses").path(0).path("restartCount").asInt(),
        "readiness never restarts");
    deleteAndAwaitGone("gated");
  }

  @Test
  void pullsThatHangDoNotHoldUpTheNodesOtherPods() throws Exception {
    // A "registry" that takes connections and never answers: dockerd's pulls from it hang.
    List<Socket> held = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    int hung = 20; // more pulls than the runtime dispatcher has threads (16)
    try (ServerSocket blackHole = new ServerSocket(0, 100, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) held.add(blackHole.accept());
        } catch (IOException closed) {
          // the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      for (int i = 0; i < hung; i++) {
        create(pod("hung-" + i, """
            {"name":"main","image":"127.0.0.1:%d/hang:%d"}
            """.formatted(blackHole.getLocalPort(), i), ""));
      }
      Await.until("dockerd pulling from the black hole", Duration.ofSeconds(30), () -> held.size() >= 4);
      create(pod("beside", """
          {"name":"main","image":"%s","command":["sleep","3600"]}
          """.formatted(IMAGE), ""));
      awaitPhase("beside", "Running");
      for (int i = 0; i < hung; i++) {
        JsonNode w = get("hung-" + i).path("status").path("containerStatuses").path(0).path("state").path("waiting");
        assertEquals("ContainerCreating", w.path("reason").asText(), "hung-" + i + " still pulling: " + w);
      }
    } finally {
      synchronized (held) {
        for (Socket s : held) s.close(); // the pulls fail now, rather than when dockerd gives up
      }
      for (int i = 0; i < hung; i++) api.delete("/api/v1/namespaces/default/pods/hung-" + i + "?gracePeriodSeconds=0");
    }
    deleteAndAwaitGone("beside");
    for (int i = 0; i < hung; i++) {
      String name = "hung-" + i;
      Await.until(name + " gone", Duration.ofSeconds(60), () -> api.get("/api/v1/namespaces/default/pods/" + name).code() == 404);
    }
  }

  @Test
  void anUnknownImageWaitsWithErrImagePullNamingItThenBacksOff() {
    create(pod("noimage", """
        {"name":"main","image":"tugboat/does-not-exist:0"}
        """, ""));
    JsonNode waiting = Await.until("an image error", Duration.ofSeconds(60), () -> {
      JsonNode w = get("noimage").path("status").path("containerStatuses").path(0).path("state").path("waiting");
      return w.path("reason").asText().equals("ErrImagePull") ? w : null;
    });
    assertTrue(waiting.path("message").asText().contains("tugboat/does-not-exist:0"), waiting.toString());
    // and between attempts, like a crashing container, it backs off
    JsonNode backOff = Await.until("ImagePullBackOff", Duration.ofSeconds(60), () -> {
      JsonNode w = get("noimage").path("status").path("containerStatuses").path(0).path("state").path("waiting");
      return w.path("reason").asText().equals("ImagePullBackOff") ? w : null;
    });
    assertEquals("Back-off pulling image \"tugboat/does-not-exist:0\"", backOff.path("message").asText());
    assertEquals("Pending", get("noimage").path("status").path("phase").asText());
    deleteAndAwaitGone("noimage");
  }

  @Test
  void aRestartedAgentAdoptsItsRunningContainersAndRemovesOrphans() {
    create(pod("survivor", """
        {"name":"main","image":"%s","command":["sleep","600"]}
        """.formatted(IMAGE), ""));
    JsonNode before = awaitPhase("survivor", "Running");
    Set<String> ids = containersOf(before).stream().map(ContainerInfo::id).collect(Collectors.toSet());
    assertEquals(2, ids.size(), "a sandbox and one container");

    tugboat.close();
    assertEquals(ids, containersOf(before).stream().filter(c -> c.state() == ContainerInfo.State.RUNNING)
        .map(ContainerInfo::id).collect(Collectors.toSet()), "stopping the agent leaves its containers running");
    // While the agent is away, a container appears for a pod that is not bound here.
    String orphan = docker.runPodSandbox(new ContainerRuntime.SandboxConfig(UUID.randomUUID().toString(), "default",
        "orphan", node, List.of(), null));

    tugboat = startMember();
    api = Api.of(tugboat);
    Await.until("the orphan to be removed", Duration.ofSeconds(60),
        () -> docker.listContainers(Map.of(ContainerRuntime.NODE, node)).stream().noneMatch(c -> c.id().equals(orphan)));
    JsonNode after = Await.until("survivor reported again by the new agent", Duration.ofSeconds(60), () -> {
      Api.Reply r = api.get("/api/v1/namespaces/default/pods/survivor");
      return r.code() == 200 && "Running".equals(r.json().path("status").path("phase").asText()) ? r.json() : null;
    });
    assertEquals(ids, containersOf(after).stream().map(ContainerInfo::id).collect(Collectors.toSet()),
        "the same containers: adopted, none started twice");
    assertEquals(0, after.path("status").path("containerStatuses").path(0).path("restartCount").asInt());
    deleteAndAwaitGone("survivor");
  }
}
