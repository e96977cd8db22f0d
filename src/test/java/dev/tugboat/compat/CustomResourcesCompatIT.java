package dev.tugboat.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.model.ResourceType;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Fabric8;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
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
 * A CustomResourceDefinition and its objects through the real kubectl binaries (1.20 and 1.33, as
 * processes with only a kubeconfig) and fabric8's generic resource client: apply, get with the
 * printer columns, edit, a schema error, delete.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomResourcesCompatIT {
  private static final String CRD_NAME = "crontabs.stable.example.com";
  private Tugboat tugboat;
  private Api api;
  private Path work;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) throws Exception {
    tugboat = TestTugboat.start(cassandra, "crd_compat_" + ProcessHandle.current().pid(),
        Map.of("tugboat.controllers.run", List.of("namespace", "crd-cleanup")));
    api = Api.of(tugboat);
    work = Files.createDirectories(SharedCassandra.itDir().resolve("crd-compat-" + ProcessHandle.current().pid()));
    Serving.await(api);
  }

  @AfterAll
  void stop() {
    if (tugboat != null) {
      api.delete("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + CRD_NAME);
      tugboat.close();
    }
    ResourceType.remove("stable.example.com", "CronTab");
  }

  Stream<Kubectl> kubectls() {
    return Stream.of(Kubectl.v120(work), Kubectl.v133(work).orElse(null))
        .map(k -> k == null ? null : k.configure(tugboat, "crd" + k.version().replace(".", "")));
  }

  private static Kubectl.Result ok(Kubectl.Result r) {
    assertEquals(0, r.exit(), r.toString());
    return r;
  }

  private void crd(Kubectl k) {
    Kubectl.Result applied = ok(k.run("apply", "-f", Path.of("examples/crd/crontab-crd.yaml").toAbsolutePath().toString()));
    assertTrue(applied.out().startsWith("customresourcedefinition.apiextensions.k8s.io/" + CRD_NAME + " "), applied.toString());
    Await.until("crontabs served", Duration.ofSeconds(30),
        () -> api.get("/apis/stable.example.com/v1/crontabs").code() == 200);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kubectls")
  void kubectlAppliesGetsEditsAndDeletesCustomObjects(Kubectl k) throws Exception {
    Assumptions.assumeTrue(k != null, "this machine has no kubectl 1.33 (the Google Cloud CLI's kubectl.1.33)");
    String ns = "crd" + k.version().replace(".", "");
    if (api.get("/api/v1/namespaces/" + ns).code() == 404) ok(k.run("create", "namespace", ns));
    crd(k);
    ok(k.run("wait", "--for=condition=established", "crd/" + CRD_NAME, "--timeout=30s"));

    Kubectl.Result created = ok(k.run("apply", "-f", Path.of("examples/crd/crontab.yaml").toAbsolutePath().toString()));
    assertEquals("crontab.stable.example.com/nightly created\n", created.out());
    String table = ok(k.run("get", "crontabs")).out();
    assertTrue(table.lines().findFirst().orElse("").matches("NAME\\s+SPEC\\s+REPLICAS\\s+AGE\\s*"), table);
    assertTrue(table.contains("nightly") && table.contains("0 3 * * *"), table);
    assertTrue(ok(k.run("get", "ct", "-o", "wide")).out().contains("tugboat/busybox:1.0"));
    assertTrue(ok(k.run("get", "ct", "nightly", "-o", "jsonpath={.spec.replicas}")).out().equals("1"), "defaulted");

    // kubectl edit, with an editor that changes the replicas in the file kubectl hands it.
    Path editor = Files.writeString(k.home().resolve("editor.sh"), "#!/bin/sh\nsed -i 's/replicas: 1/replicas: 5/' \"$1\"\n");
    Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
    Kubectl.Result edited = run(k, Map.of("KUBE_EDITOR", editor.toString()), "edit", "crontab", "nightly");
    assertEquals(0, edited.exit(), edited.toString());
    assertEquals(5, api.get("/apis/stable.example.com/v1/namespaces/" + ns + "/crontabs/nightly").json()
        .at("/spec/replicas").asInt());

    Path broken = Files.writeString(k.home().resolve("broken.yaml"), """
        apiVersion: stable.example.com/v1
        kind: CronTab
        metadata: {name: broken}
        spec: {cronSpec: "0 3 * * *", image: x, replicas: 50}
        """);
    Kubectl.Result refused = k.run("apply", "-f", broken.toString());
    assertNotEquals(0, refused.exit());
    assertTrue(refused.err().contains("spec.replicas") && refused.err().contains("less than or equal to 10"), refused.toString());

    assertEquals("crontab.stable.example.com \"nightly\" deleted\n", ok(k.run("delete", "ct", "nightly")).out());
    assertEquals(404, api.get("/apis/stable.example.com/v1/namespaces/" + ns + "/crontabs/nightly").code());
  }

  /** kubectl with extra environment variables (KUBE_EDITOR). */
  private static Kubectl.Result run(Kubectl k, Map<String, String> env, String... args) throws Exception {
    ProcessBuilder pb = k.builder(args);
    pb.environment().putAll(env);
    Process p = pb.redirectErrorStream(false).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl " + String.join(" ", args));
    return new Kubectl.Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  @Test
  void fabric8GenericResourcesCreateListGetAndDelete() throws Exception {
    String ns = "crd-fabric8";
    if (api.get("/api/v1/namespaces/" + ns).code() == 404) {
      assertEquals(201, api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + ns + "\"}}").code());
    }
    if (api.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + CRD_NAME).code() == 404) {
      assertEquals(201, api.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
          Files.readString(Path.of("examples/crd/crontab-crd.yaml")), "application/yaml").code());
    }
    Await.until("crontabs served", Duration.ofSeconds(30), () -> api.get("/apis/stable.example.com/v1/crontabs").code() == 200);
    Config config = Fabric8.config(tugboat).withNamespace(ns).build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup("stable.example.com")
          .withVersion("v1").withKind("CronTab").withPlural("crontabs").withNamespaced(true).build();
      GenericKubernetesResource tab = new GenericKubernetesResourceBuilder().withApiVersion("stable.example.com/v1")
          .withKind("CronTab").withNewMetadata().withName("weekly").addToLabels("app", "report").endMetadata()
          .withAdditionalProperties(Map.of("spec", Map.of("cronSpec", "0 0 * * 0", "image", "reporter"))).build();
      GenericKubernetesResource created = client.genericKubernetesResources(context).resource(tab).create();
      assertEquals(1, ((Map<?, ?>) created.getAdditionalProperties().get("spec")).get("replicas"), "defaulted");
      assertEquals(1, client.genericKubernetesResources(context).withLabel("app", "report").list().getItems().size());
      // fabric8 finds the plural by discovery when given only apiVersion and kind.
      GenericKubernetesResource got = client.genericKubernetesResources("stable.example.com/v1", "CronTab").withName("weekly").get();
      assertEquals("weekly", got.getMetadata().getName());
      KubernetesClientException bad = org.junit.jupiter.api.Assertions.assertThrows(KubernetesClientException.class,
          () -> client.genericKubernetesResources(context).resource(new GenericKubernetesResourceBuilder()
              .withApiVersion("stable.example.com/v1").withKind("CronTab").withNewMetadata().withName("bad").endMetadata()
              .withAdditionalProperties(Map.of("spec", Map.of("image", "x"))).build()).create());
      assertEquals(422, bad.getCode());
      assertTrue(bad.getMessage().contains("spec.cronSpec"), bad.getMessage());
      client.genericKubernetesResources(context).withName("weekly").delete();
      Await.until("weekly gone", Duration.ofSeconds(10), () -> client.genericKubernetesResources(context).withName("weekly").get() == null);
      assertNull(client.genericKubernetesResources(context).withName("weekly").get());
    }
  }
}
