package dev.tugboat.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Fabric8;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real fabric8 kubernetes-client 8.0.0 (on the JDK HttpClient) against a real Tugboat: create,
 * get, list by label, a WebSocket watch, scale, edit (JSON patch), createOr(update), waitUntilReady,
 * an informer and delete, each checked on what the server then holds.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Fabric8IT {
  private final String ns = "fabric8-" + ProcessHandle.current().pid();
  private Tugboat tugboat;
  private Api api;
  private KubernetesClient client;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) {
    tugboat = TestTugboat.start(cassandra, "fabric8_it");
    api = Api.of(tugboat);
    Config config = Fabric8.config(tugboat).withNamespace(ns).build();
    client = new KubernetesClientBuilder().withConfig(config).build();
    Serving.await(api);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
  }

  @AfterAll
  void stop() {
    if (client != null) client.close();
    if (tugboat != null) tugboat.close();
  }

  private static Deployment web(int replicas, String image) {
    return new DeploymentBuilder()
        .withNewMetadata().withName("web").addToLabels("app", "web").endMetadata()
        .withNewSpec().withReplicas(replicas)
        .withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("httpd").withImage(image).endContainer().endSpec()
        .endTemplate().endSpec().build();
  }

  private String path() {
    return "/apis/apps/v1/namespaces/" + ns + "/deployments/web";
  }

  @Test
  @Order(1)
  void createGetAndListByLabel() {
    Deployment created = client.apps().deployments().resource(web(2, "busybox:1")).create();
    assertNotNull(created.getMetadata().getUid());
    assertNotNull(created.getMetadata().getResourceVersion());
    assertEquals(ns, created.getMetadata().getNamespace());
    assertEquals(created.getMetadata().getUid(), api.get(path()).at("/metadata/uid"));

    Deployment read = client.apps().deployments().withName("web").get();
    assertEquals(2, read.getSpec().getReplicas());
    assertNull(client.apps().deployments().withName("nosuch").get(), "a missing object reads as null");
    KubernetesClientException duplicate = org.junit.jupiter.api.Assertions.assertThrows(KubernetesClientException.class,
        () -> client.apps().deployments().resource(web(2, "busybox:1")).create());
    assertEquals(409, duplicate.getCode());

    for (String app : List.of("a", "b")) {
      client.services().resource(new ServiceBuilder().withNewMetadata().withName("svc-" + app).addToLabels("app", app)
          .endMetadata().withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create();
    }
    List<Service> a = client.services().withLabel("app", "a").list().getItems();
    assertEquals(List.of("svc-a"), a.stream().map(s -> s.getMetadata().getName()).toList());
    assertEquals(2, client.services().list().getItems().size());
  }

  /** fabric8 reads the OpenAPI documents as JSON, both forms, through its own client and credentials. */
  @Test
  @Order(99)
  void readsTheOpenApiDocuments() throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var v2 = json.readTree(client.raw("/openapi/v2"));
    assertEquals("2.0", v2.path("swagger").asText());
    assertTrue(v2.path("definitions").path("dev.tugboat.model.Deployment").path("properties").has("spec"), "Deployment's schema");
    var index = json.readTree(client.raw("/openapi/v3"));
    String apps = index.path("paths").path("apis/apps/v1").path("serverRelativeURL").asText();
    var doc = json.readTree(client.raw(apps));
    assertEquals("Deployment", doc.at("/components/schemas/dev.tugboat.model.Deployment/x-kubernetes-group-version-kind/0/kind").asText());
  }

  @Test
  @Order(2)
  void watchOverWebSocketScaleEditAndCreateOrUpdate() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    Watch watch = client.apps().deployments().watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Deployment d) {
        events.add(action + " " + d.getSpec().getReplicas() + " " + d.getSpec().getMinReadySeconds());
      }

      @Override
      public void onClose(WatcherException cause) {
        events.add("CLOSED " + cause);
      }
    });
    try {
      Await.until("the existing deployment as ADDED", Duration.ofSeconds(30), () -> events.contains("ADDED 2 null"));

      client.apps().deployments().withName("web").scale(3);
      assertEquals(3, api.get(path()).json().at("/spec/replicas").asInt());
      Await.until("MODIFIED after scale", Duration.ofSeconds(30), () -> events.contains("MODIFIED 3 null"));

      // edit sends the resourceVersion it read (a JSON patch "add /metadata/resourceVersion"), so a
      // status the deployment controller writes in between makes it 409, as on Kubernetes: retry.
      Deployment edited = Await.until("an edit not raced by the controller", Duration.ofSeconds(30), () -> {
        try {
          return client.apps().deployments().withName("web")
              .edit(d -> new DeploymentBuilder(d).editSpec().withMinReadySeconds(4).endSpec().build());
        } catch (KubernetesClientException e) {
          if (e.getCode() == 409) return null;
          throw e;
        }
      });
      assertEquals(4, edited.getSpec().getMinReadySeconds());
      assertEquals(4, api.get(path()).json().at("/spec/minReadySeconds").asInt());
      Await.until("MODIFIED after edit", Duration.ofSeconds(30), () -> events.contains("MODIFIED 3 4"));

      Deployment updated = client.resource(web(5, "busybox:2")).createOr(NonDeletingOperation::update);
      assertEquals(5, updated.getSpec().getReplicas());
      assertEquals("busybox:2", api.get(path()).json().at("/spec/template/spec/containers/0/image").asText());
      Await.until("MODIFIED after update", Duration.ofSeconds(30), () -> events.stream().anyMatch(e -> e.startsWith("MODIFIED 5")));
      assertFalse(events.stream().anyMatch(e -> e.startsWith("CLOSED")), events.toString());
    } finally {
      watch.close();
    }
  }

  @Test
  @Order(3)
  void waitUntilReadyReturnsOnceTheStatusSaysSo() throws Exception {
    CompletableFuture<Deployment> ready = CompletableFuture.supplyAsync(() ->
        client.apps().deployments().withName("web").waitUntilReady(60, TimeUnit.SECONDS));
    // No status yet, so not ready: it must still be waiting once its watch is open.
    Await.until("waitUntilReady's watch", Duration.ofSeconds(30), () -> api.openWatches("Deployment") > 0);
    assertFalse(ready.isDone(), "not ready before the status says so");
    // Now what the deployment controller would write.
    int replicas = api.get(path()).json().at("/spec/replicas").asInt();
    assertEquals(200, api.patch(path() + "/status",
        "{\"status\":{\"observedGeneration\":%d,\"replicas\":%d,\"updatedReplicas\":%d,\"readyReplicas\":%d,\"availableReplicas\":%d}}"
            .formatted(api.get(path()).json().at("/metadata/generation").asLong(), replicas, replicas, replicas, replicas),
        "application/merge-patch+json").code());
    Deployment d = ready.get(60, TimeUnit.SECONDS);
    assertEquals(replicas, d.getStatus().getAvailableReplicas());
  }


  @Test
  @Order(4)
  void informerSeesAddUpdateAndDelete() {
    List<String> seen = new CopyOnWriteArrayList<>();
    SharedIndexInformer<Service> informer = client.services().inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Service s) {
        seen.add("add " + s.getMetadata().getName());
      }

      @Override
      public void onUpdate(Service before, Service after) {
        if (!before.getMetadata().getResourceVersion().equals(after.getMetadata().getResourceVersion())) {
          seen.add("update " + after.getMetadata().getName() + " " + after.getMetadata().getLabels().get("tier"));
        }
      }

      @Override
      public void onDelete(Service s, boolean unknownFinalState) {
        seen.add("delete " + s.getMetadata().getName());
      }
    });
    try {
      Await.until("the existing services", Duration.ofSeconds(30), () -> seen.containsAll(List.of("add svc-a", "add svc-b")));
      client.services().resource(new ServiceBuilder().withNewMetadata().withName("svc-c").endMetadata()
          .withNewSpec().addNewPort().withPort(81).endPort().endSpec().build()).create();
      Await.until("onAdd", Duration.ofSeconds(30), () -> seen.contains("add svc-c"));
      client.services().withName("svc-c").edit(s -> new ServiceBuilder(s).editMetadata().addToLabels("tier", "x").endMetadata().build());
      Await.until("onUpdate", Duration.ofSeconds(30), () -> seen.contains("update svc-c x"));
      client.services().withName("svc-c").delete();
      Await.until("onDelete", Duration.ofSeconds(30), () -> seen.contains("delete svc-c"));
      assertEquals(Map.of("svc-a", 1, "svc-b", 1).keySet(),
          Map.copyOf(informer.getStore().list().stream().collect(java.util.stream.Collectors.toMap(
              s -> s.getMetadata().getName(), s -> 1))).keySet());
    } finally {
      informer.stop();
    }
  }

  @Test
  @Order(5)
  void deleteRemovesTheObject() {
    assertFalse(client.apps().deployments().withName("web").delete().isEmpty());
    assertEquals(404, api.get(path()).code());
    assertTrue(client.apps().deployments().withName("web").delete().isEmpty(), "deleting what is gone returns nothing");
    client.services().withLabel("app").delete();
    assertEquals(0, client.services().list().getItems().size());
  }
}
