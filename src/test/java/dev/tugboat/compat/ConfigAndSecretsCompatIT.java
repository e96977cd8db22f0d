package dev.tugboat.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Fabric8;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * ConfigMaps and Secrets through the real kubectl binaries (1.20 sends JSON; 1.33's generators send
 * protobuf) and through fabric8: create from literals, files and env files, get with Tables,
 * describe, edit, create the three kinds of Secret, apply, a server-side 422, delete.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfigAndSecretsCompatIT {
  private Tugboat tugboat;
  private Api api;
  private Path work;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) throws Exception {
    tugboat = TestTugboat.startApiOnly(cassandra, "config_compat");
    api = Api.of(tugboat);
    work = Files.createDirectories(SharedCassandra.itDir().resolve("config-compat-" + ProcessHandle.current().pid()));
    Serving.await(api);
  }

  @AfterAll
  void stop() {
    if (tugboat != null) tugboat.close();
  }

  Stream<Kubectl> kubectls() {
    return Stream.of(Kubectl.v120(work), Kubectl.v133(work).orElse(null))
        .map(k -> k == null ? null : k.configure(tugboat, namespace(k)));
  }

  private static String namespace(Kubectl k) {
    return "cfg" + k.version().replace(".", "");
  }

  private static Kubectl.Result ok(Kubectl.Result r) {
    assertEquals(0, r.exit(), r.toString());
    return r;
  }

  private JsonNode get(Kubectl k, String path) {
    return api.get("/api/v1/namespaces/" + namespace(k) + "/" + path).json();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kubectls")
  void configMaps(Kubectl k) throws Exception {
    Assumptions.assumeTrue(k != null, "this machine has no kubectl 1.33 (the Google Cloud CLI's kubectl.1.33)");
    ok(k.run("create", "namespace", namespace(k)));
    Path props = Files.writeString(k.home().resolve("app.properties"), "mode=one\n");
    Path envFile = Files.writeString(k.home().resolve("app.env"), "# comment\nCOLOR=blue\nSIZE=10\n");
    assertEquals("configmap/app created\n", ok(k.run("create", "configmap", "app", "--from-literal=LOG_LEVEL=debug",
        "--from-file=" + props)).out());
    assertEquals("configmap/env created\n", ok(k.run("create", "configmap", "env", "--from-env-file=" + envFile)).out());
    assertEquals("debug", get(k, "configmaps/app").at("/data/LOG_LEVEL").asText());
    assertEquals("mode=one\n", get(k, "configmaps/app").at("/data/app.properties").asText());
    assertEquals("blue", get(k, "configmaps/env").at("/data/COLOR").asText());

    String table = ok(k.run("get", "cm")).out();
    assertTrue(table.lines().findFirst().orElse("").matches("NAME\\s+DATA\\s+AGE\\s*"), table);
    assertTrue(table.lines().anyMatch(l -> l.matches("app\\s+2\\s+\\S+\\s*")), table);
    assertTrue(ok(k.run("get", "configmap", "app", "-o", "yaml")).out().contains("LOG_LEVEL: debug"));
    String described = ok(k.run("describe", "configmap", "app")).out();
    assertTrue(described.contains("LOG_LEVEL") && described.contains("debug"), described);

    Path editor = Files.writeString(k.home().resolve("editor.sh"), "#!/bin/sh\nsed -i 's/LOG_LEVEL: debug/LOG_LEVEL: info/' \"$1\"\n");
    Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
    Kubectl.Result edited = run(k, Map.of("KUBE_EDITOR", editor.toString()), "edit", "configmap", "app");
    assertEquals(0, edited.exit(), edited.toString());
    assertEquals("info", get(k, "configmaps/app").at("/data/LOG_LEVEL").asText());

    Path manifest = Files.writeString(k.home().resolve("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: applied}\ndata: {a: '1'}\n");
    assertEquals("configmap/applied created\n", ok(k.run("apply", "-f", manifest.toString())).out());
    Files.writeString(manifest, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: applied}\ndata: {a: '2'}\n");
    assertEquals("configmap/applied configured\n", ok(k.run("apply", "-f", manifest.toString())).out());
    Path bad = Files.writeString(k.home().resolve("bad.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad}\ndata: {'a/b': x}\n");
    Kubectl.Result refused = k.run("apply", "-f", bad.toString());
    assertNotEquals(0, refused.exit());
    assertTrue(refused.err().contains("data[a/b]"), refused.toString());

    assertEquals("configmap \"app\" deleted\n", ok(k.run("delete", "cm", "app")).out());
    assertEquals(404, api.get("/api/v1/namespaces/" + namespace(k) + "/configmaps/app").code());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kubectls")
  void secrets(Kubectl k) throws Exception {
    Assumptions.assumeTrue(k != null, "this machine has no kubectl 1.33 (the Google Cloud CLI's kubectl.1.33)");
    if (api.get("/api/v1/namespaces/" + namespace(k)).code() == 404) ok(k.run("create", "namespace", namespace(k)));
    assertEquals("secret/db created\n", ok(k.run("create", "secret", "generic", "db", "--from-literal=password=hunter2",
        "--from-literal=user=admin")).out());
    assertEquals(b64("hunter2"), get(k, "secrets/db").at("/data/password").asText());
    assertEquals("Opaque", get(k, "secrets/db").at("/type").asText());

    Path cert = k.home().resolve("tls.crt");
    Path key = k.home().resolve("tls.key");
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=web.example.com", "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
    String opensslOut = new String(openssl.getInputStream().readAllBytes());
    assertTrue(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0, opensslOut);
    assertEquals("secret/web-tls created\n", ok(k.run("create", "secret", "tls", "web-tls", "--cert=" + cert,
        "--key=" + key)).out());
    assertEquals("kubernetes.io/tls", get(k, "secrets/web-tls").at("/type").asText());
    assertEquals(Base64.getEncoder().encodeToString(Files.readAllBytes(cert)), get(k, "secrets/web-tls").at("/data/tls.crt").asText());

    assertEquals("secret/registry created\n", ok(k.run("create", "secret", "docker-registry", "registry",
        "--docker-server=registry.example.com", "--docker-username=me", "--docker-password=pw")).out());
    JsonNode registry = get(k, "secrets/registry");
    assertEquals("kubernetes.io/dockerconfigjson", registry.at("/type").asText());
    assertTrue(new String(Base64.getDecoder().decode(registry.at("/data/.dockerconfigjson").asText()), StandardCharsets.UTF_8)
        .contains("registry.example.com"));

    String table = ok(k.run("get", "secrets")).out();
    assertTrue(table.lines().findFirst().orElse("").matches("NAME\\s+TYPE\\s+DATA\\s+AGE\\s*"), table);
    assertTrue(table.lines().anyMatch(l -> l.matches("web-tls\\s+kubernetes.io/tls\\s+2\\s+\\S+\\s*")), table);
    String described = ok(k.run("describe", "secret", "db")).out();
    assertTrue(described.contains("password:  7 bytes"), described);
    assertFalse(described.contains("hunter2"), described);
    assertTrue(ok(k.run("get", "secrets", "--field-selector=type=kubernetes.io/tls", "-o", "name")).out()
        .equals("secret/web-tls\n"));
    assertEquals("secret \"db\" deleted\n", ok(k.run("delete", "secret", "db")).out());
  }

  /** kubectl with extra environment variables (KUBE_EDITOR). */
  private static Kubectl.Result run(Kubectl k, Map<String, String> env, String... args) throws Exception {
    ProcessBuilder pb = k.builder(args);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl " + String.join(" ", args));
    return new Kubectl.Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void fabric8ConfigMapsAndSecrets() {
    String ns = "cfg-fabric8";
    assertEquals(201, api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + ns + "\"}}").code());
    Config config = Fabric8.config(tugboat).withNamespace(ns).build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      ConfigMap cm = client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("app")
          .addToLabels("team", "a").endMetadata().addToData("LOG_LEVEL", "debug").build()).create();
      assertEquals("debug", cm.getData().get("LOG_LEVEL"));
      assertEquals(1, client.configMaps().withLabel("team", "a").list().getItems().size());
      client.configMaps().withName("app").edit(c -> new ConfigMapBuilder(c).addToData("LOG_LEVEL", "info").build());
      assertEquals("info", client.configMaps().withName("app").get().getData().get("LOG_LEVEL"));

      Secret secret = client.secrets().resource(new SecretBuilder().withNewMetadata().withName("db").endMetadata()
          .addToStringData("password", "hunter2").build()).create();
      assertEquals(b64("hunter2"), secret.getData().get("password"), "stringData comes back as data");
      assertNull(secret.getStringData() == null || secret.getStringData().isEmpty() ? null : secret.getStringData());
      assertEquals(List.of("db"), client.secrets().list().getItems().stream().map(s -> s.getMetadata().getName()).toList());
      client.secrets().withName("db").delete();
      client.configMaps().withName("app").delete();
      assertNull(client.secrets().withName("db").get());
    }
  }
}
