package dev.tugboat.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tugboat.runtime.ContainerRuntime.ContainerConfig;
import dev.tugboat.runtime.ContainerRuntime.ContainerInfo;
import dev.tugboat.runtime.ContainerRuntime.Mount;
import dev.tugboat.runtime.ContainerRuntime.PortMapping;
import dev.tugboat.runtime.ContainerRuntime.SandboxConfig;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.Holds;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DockerRuntime against the real engine and the locally built example image. */
class DockerRuntimeIT {
  private static final String IMAGE = "tugboat/busybox:1.0";
  private static final String NODE = "it-" + ProcessHandle.current().pid();
  private static DockerRuntime docker;

  @BeforeAll
  static void connect() {
    docker = new DockerRuntime("unix:///var/run/docker.sock", IMAGE);
    // Containers of earlier test runs whose JVM died before cleaning up.
    docker.listContainers(Map.of()).stream()
        .filter(c -> c.labels().getOrDefault(ContainerRuntime.NODE, "").startsWith("it-"))
        .forEach(c -> docker.removeContainer(c.id()));
  }

  @AfterAll
  static void cleanUp() {
    if (docker == null) return;
    docker.listContainers(Map.of(ContainerRuntime.NODE, NODE)).forEach(c -> docker.removeContainer(c.id()));
    assertEquals(List.of(), docker.listContainers(Map.of(ContainerRuntime.NODE, NODE)), "no container left behind");
    docker.close();
  }

  private static SandboxConfig pod(String name, List<PortMapping> ports) {
    return new SandboxConfig(UUID.randomUUID().toString(), "default", name, NODE, ports, null);
  }

  private static ContainerConfig container(String name, List<String> command, List<Mount> mounts, long memory) {
    return new ContainerConfig(name, IMAGE, command, List.of(), Map.of("GREETING", "hello"), null, mounts, memory, 200, Map.of(), null, false, false, false);
  }

  @Test
  void aPodServesHttpOnItsPublishedHostPortAndSharesItsNetwork() throws Exception {
    SandboxConfig pod = pod("web", List.of(new PortMapping(80, "TCP", "127.0.0.1", 0)));
    String sandbox = docker.runPodSandbox(pod);
    String httpd = docker.createContainer(sandbox, pod, container("httpd", List.of("httpd", "-f", "-p", "80", "-h", "/www"),
        List.of(), 32 * 1024 * 1024));
    docker.startContainer(httpd);
    int hostPort = docker.sandboxHostPorts(sandbox).get(80);
    assertTrue(hostPort > 0);
    HttpClient http = HttpClient.newHttpClient();
    String body = Await.until("httpd to answer on 127.0.0.1:" + hostPort, Duration.ofSeconds(20), () -> {
      try {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + "/")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
      } catch (Exception e) {
        return null;
      }
    });
    assertTrue(body.contains("Hello from Tugboat"), body);

    // A second container of the pod reaches the first on localhost: one network namespace.
    String client = docker.createContainer(sandbox, pod, container("client",
        List.of("sh", "-c", "wget -q -O - http://127.0.0.1:80/ | grep -c Tugboat"), List.of(), 0));
    docker.startContainer(client);
    ContainerInfo done = Await.until("the client to exit", Duration.ofSeconds(20), () -> {
      ContainerInfo c = docker.inspectContainer(client);
      return c.state() == ContainerInfo.State.EXITED ? c : null;
    });
    assertEquals(0, done.exitCode());

    List<ContainerInfo> all = docker.listContainers(Map.of(ContainerRuntime.POD_UID, pod.podUid()));
    assertEquals(3, all.size());
    assertEquals(1, all.stream().filter(ContainerInfo::isSandbox).count());
    assertTrue(all.stream().allMatch(c -> NODE.equals(c.labels().get(ContainerRuntime.NODE))
        && "web".equals(c.labels().get(ContainerRuntime.POD_NAME))));

    docker.stopPodSandbox(sandbox);
    assertTrue(docker.listContainers(Map.of(ContainerRuntime.POD_UID, pod.podUid())).stream()
        .noneMatch(c -> c.state() == ContainerInfo.State.RUNNING));
    docker.removePodSandbox(sandbox);
    assertEquals(List.of(), docker.listContainers(Map.of(ContainerRuntime.POD_UID, pod.podUid())));
  }

  @Test
  void exitCodesLogsLimitsAndSharedVolumes() throws Exception {
    Path volume = Files.createTempDirectory("tugboat-emptydir");
    SandboxConfig pod = pod("batch", List.of());
    String sandbox = docker.runPodSandbox(pod);
    String writer = docker.createContainer(sandbox, pod, container("writer",
        List.of("sh", "-c", "echo $GREETING from writer; echo data > /shared/file; exit 3"),
        List.of(new Mount(volume.toString(), "/shared", false)), 16 * 1024 * 1024));
    docker.startContainer(writer);
    ContainerInfo exited = Await.until("the writer to exit", Duration.ofSeconds(20), () -> {
      ContainerInfo c = docker.inspectContainer(writer);
      return c.state() == ContainerInfo.State.EXITED ? c : null;
    });
    assertEquals(3, exited.exitCode());
    assertTrue(exited.startedAt() != null && exited.finishedAt() != null);
    assertEquals("data", Files.readString(volume.resolve("file")).trim(), "the volume is the node's directory");
    List<String> lines = new CopyOnWriteArrayList<>();
    docker.logs(writer, -1, false, lines::add, () -> { }).close();
    assertEquals(List.of("hello from writer"), lines);
    docker.removePodSandbox(sandbox);
  }

  /**
   * The fence's mechanism, on the real engine: a fenced pod lives while its lease file is fresh, and
   * once the file goes stale its sandbox exits and the kernel kills the pod's other container (they
   * share the sandbox's PID namespace) with nobody asking Docker to. An unfenced pod beside it lives on.
   */
  @Test
  void aFencedPodDiesWhenItsLeaseFileGoesStaleAndAnUnfencedOneDoesNot() throws Exception {
    Path leaseDir = Files.createTempDirectory("tugboat-fence");
    Path lease = leaseDir.resolve("lease");
    Files.createFile(lease);
    ScheduledExecutorService toucher = Executors.newSingleThreadScheduledExecutor();
    ScheduledFuture<?> touching = toucher.scheduleAtFixedRate(() -> {
      try {
        Files.setLastModifiedTime(lease, FileTime.from(Instant.now()));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, 0, 300, TimeUnit.MILLISECONDS);
    try {
      SandboxConfig fencedPod = new SandboxConfig(UUID.randomUUID().toString(), "default", "fenced", NODE, List.of(),
          new ContainerRuntime.Fence(leaseDir.toString(), "lease", 2));
      SandboxConfig plainPod = pod("unfenced", List.of());
      String fencedSandbox = docker.runPodSandbox(fencedPod);
      String fencedApp = docker.createContainer(fencedSandbox, fencedPod, container("app", List.of("sleep", "3600"), List.of(), 0));
      docker.startContainer(fencedApp);
      String plainSandbox = docker.runPodSandbox(plainPod);
      String plainApp = docker.createContainer(plainSandbox, plainPod, container("app", List.of("sleep", "3600"), List.of(), 0));
      docker.startContainer(plainApp);
      assertEquals("true", docker.inspectContainer(fencedApp).labels().get(ContainerRuntime.FENCED));

      Holds.during("a fenced pod with a fresh lease runs", Duration.ofSeconds(4), () ->
          docker.inspectContainer(fencedApp).state() == ContainerInfo.State.RUNNING
              && docker.inspectContainer(fencedSandbox).state() == ContainerInfo.State.RUNNING ? null : "it stopped");
      touching.cancel(false);
      Instant stale = Instant.now();
      ContainerInfo killed = Await.until("the fenced app killed once its lease is stale", Duration.ofSeconds(20), () -> {
        ContainerInfo c = docker.inspectContainer(fencedApp);
        return c.state() == ContainerInfo.State.EXITED ? c : null;
      });
      assertEquals(137, killed.exitCode(), "SIGKILL from the kernel when the namespace's init exits");
      assertEquals(ContainerInfo.State.EXITED, docker.inspectContainer(fencedSandbox).state());
      // timeout 2 s, whole-second mtimes, a check every second: within about 5 s of the last touch
      assertTrue(Duration.between(stale, killed.finishedAt()).toSeconds() <= 6, "killed " + killed.finishedAt() + ", stale " + stale);
      assertEquals(ContainerInfo.State.RUNNING, docker.inspectContainer(plainApp).state(), "an unfenced pod does not watch");
      docker.removePodSandbox(fencedSandbox);
      docker.removePodSandbox(plainSandbox);
    } finally {
      toucher.shutdownNow();
    }
  }

  @Test
  void aMissingImageIsAClearError() {
    assertTrue(docker.imagePresent(IMAGE));
    assertFalse(docker.imagePresent("tugboat/not-built:0.0"));
    var e = assertThrows(ContainerRuntime.ImageUnavailableException.class, () -> docker.ensureImage("tugboat/not-built:0.0"));
    assertTrue(e.getMessage().contains("tugboat/not-built:0.0"), e.getMessage());
    assertTrue(docker.version().startsWith("docker://"), docker.version());
  }
}
