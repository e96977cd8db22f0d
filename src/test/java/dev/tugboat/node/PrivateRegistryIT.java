package dev.tugboat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.FreePort;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.NodeContainers;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * imagePullSecrets against a real private registry: Docker's registry (Debian's docker-registry,
 * installed by deploy/setup-debian.sh) on a loopback port with htpasswd auth, holding the busybox
 * image under a name no other source has. A pod without the Secret cannot pull it (ErrImagePull);
 * a pod that names a {@code kubernetes.io/dockerconfigjson} Secret for that registry pulls it and runs.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrivateRegistryIT {
  private static final String NS = "/api/v1/namespaces/default/";
  private final String node = "registry-it-" + ProcessHandle.current().pid();
  private Path dir;
  private Process registry;
  private String image;
  private Tugboat tugboat;
  private Api api;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) throws Exception {
    dir = Files.createDirectories(SharedCassandra.itDir().resolve("registry-" + ProcessHandle.current().pid()));
    int port = FreePort.find();
    String htpasswd = run(List.of("htpasswd", "-Bbn", "tug", "s3cret"), null);
    Files.writeString(dir.resolve("htpasswd"), htpasswd);
    Files.writeString(dir.resolve("config.yml"), """
        version: 0.1
        storage: {filesystem: {rootdirectory: %s}}
        http: {addr: "127.0.0.1:%d"}
        auth: {htpasswd: {realm: tugboat-it, path: %s}}
        """.formatted(dir.resolve("storage"), port, dir.resolve("htpasswd")));
    registry = new ProcessBuilder("docker-registry", "serve", dir.resolve("config.yml").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
    HttpClient http = HttpClient.newHttpClient();
    Await.until("the registry to answer", Duration.ofSeconds(30), () -> {
      try {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 401;
      } catch (Exception e) {
        return false;
      }
    });
    // Push the busybox image there under a name of its own, then drop that name locally, so only
    // an authenticated pull can bring it back. The CLI's login lives in a config dir of the test's.
    image = "127.0.0.1:" + port + "/private/busybox:1.0";
    String config = "--config=" + dir.resolve("docker-config");
    run(List.of("docker", config, "login", "127.0.0.1:" + port, "-u", "tug", "--password-stdin"), "s3cret");
    run(List.of("docker", "tag", "tugboat/busybox:1.0", image), null);
    run(List.of("docker", config, "push", image), null);
    run(List.of("docker", "rmi", image), null);

    Map<String, Object> settings = new HashMap<>();
    settings.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    settings.put("tugboat.node-name", node);
    tugboat = TestTugboat.start(cassandra, "registry_it_" + ProcessHandle.current().pid(), settings);
    api = Api.of(tugboat);
    Await.until("node " + node + " registered", Duration.ofSeconds(60), () -> api.get("/api/v1/nodes/" + node).code() == 200);
  }

  @AfterAll
  void stop() throws Exception {
    if (tugboat != null) tugboat.close();
    NodeContainers.removeAll(node);
    if (image != null) new ProcessBuilder("docker", "rmi", "-f", image).start().waitFor(60, TimeUnit.SECONDS);
    if (registry != null) {
      registry.destroy();
      registry.waitFor(10, TimeUnit.SECONDS);
      registry.destroyForcibly();
    }
    if (dir != null) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String run(List<String> command, String stdin) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
    assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + out);
    return out;
  }

  private String pod(String name, String more) {
    return """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},
         "spec":{%s"terminationGracePeriodSeconds":1,
           "containers":[{"name":"c","image":"%s","imagePullPolicy":"IfNotPresent","command":["sh","-c","echo pulled; sleep 3600"]}]}}
        """.formatted(name, more, image);
  }

  private JsonNode waiting(String pod) {
    return api.get(NS + "pods/" + pod).json().at("/status/containerStatuses/0/state/waiting");
  }

  @Test
  void aPodPullsFromAPrivateRegistryWithItsImagePullSecret() {
    assertEquals(201, api.post(NS + "pods", pod("anonymous", "")).code());
    Await.until("ErrImagePull without credentials", Duration.ofSeconds(60), () -> {
      String reason = waiting("anonymous").path("reason").asText();
      return reason.equals("ErrImagePull") || reason.equals("ImagePullBackOff");
    });
    assertTrue(waiting("anonymous").path("message").asText().contains(image), waiting("anonymous").toString());
    assertEquals(200, api.delete(NS + "pods/anonymous?gracePeriodSeconds=0").code());

    String dockerConfig = "{\"auths\":{\"" + image.substring(0, image.indexOf('/')) + "\":{\"username\":\"tug\",\"password\":\"s3cret\"}}}";
    assertEquals(201, api.post(NS + "secrets", """
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"registry"},"type":"kubernetes.io/dockerconfigjson",
         "data":{".dockerconfigjson":"%s"}}""".formatted(Base64.getEncoder().encodeToString(dockerConfig.getBytes()))).code());
    assertEquals(201, api.post(NS + "pods", pod("authenticated", "\"imagePullSecrets\":[{\"name\":\"registry\"}],")).code());
    Await.until("the pod running from the private image", Duration.ofSeconds(90),
        () -> api.get(NS + "pods/authenticated/log").body().contains("pulled"));
    List<String> images = new ArrayList<>();
    api.get(NS + "pods/authenticated").json().at("/status/containerStatuses").forEach(c -> images.add(c.path("image").asText()));
    assertEquals(List.of(image), images);
  }
}
