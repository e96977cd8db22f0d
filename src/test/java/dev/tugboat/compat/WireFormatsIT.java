package dev.tugboat.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.model.Codec;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import io.kubernetes.client.ProtoClient;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.proto.IntStr;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every wire format a Kubernetes client speaks, against a real Tugboat: the official Java client's
 * ProtoClient (protobuf bodies and answers, Status, DeleteOptions), a protobuf watch read frame by
 * frame, a metadata-only informer as client-go's metadata client runs it, 406s and 415s, YAML
 * answers, deletes with a body, and a seeded fuzz of protobuf bodies.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WireFormatsIT {
  private static final String PROTOBUF = "application/vnd.kubernetes.protobuf";
  private static final String NS = "wire";
  private Tugboat tugboat;
  private Api api;
  private ProtoClient proto;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) {
    tugboat = TestTugboat.startApiOnly(cassandra, "wire_" + ProcessHandle.current().pid());
    api = Api.of(tugboat);
    Serving.await(api);
    assertEquals(201, api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + NS + "\"}}").code());
    ApiClient client;
    try {
      client = io.kubernetes.client.util.Config.fromConfig(TestTugboat.kubeconfig(tugboat).toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    proto = new ProtoClient(client);
  }

  @AfterAll
  void stop() {
    if (tugboat != null) tugboat.close();
  }

  private static V1.Pod pod(String name) {
    return V1.Pod.newBuilder()
        .setMetadata(Meta.ObjectMeta.newBuilder().setName(name).setNamespace(NS).putLabels("app", "wire"))
        .setSpec(V1.PodSpec.newBuilder().setNodeName("nowhere")
            .addContainers(V1.Container.newBuilder().setName("c").setImage("tugboat/busybox:1.0").addCommand("sleep")))
        .build();
  }

  @Test
  void theOfficialProtobufClientCreatesGetsListsAndDeletes() throws Exception {
    V1Apps.Deployment deployment = V1Apps.Deployment.newBuilder()
        .setMetadata(Meta.ObjectMeta.newBuilder().setName("proto-web").setNamespace(NS))
        .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(2)
            .setSelector(Meta.LabelSelector.newBuilder().putMatchLabels("app", "proto-web"))
            .setStrategy(V1Apps.DeploymentStrategy.newBuilder().setType("RollingUpdate")
                .setRollingUpdate(V1Apps.RollingUpdateDeployment.newBuilder()
                    .setMaxSurge(IntStr.IntOrString.newBuilder().setType(1).setStrVal("50%"))))
            .setTemplate(V1.PodTemplateSpec.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().putLabels("app", "proto-web"))
                .setSpec(V1.PodSpec.newBuilder()
                    .addVolumes(V1.Volume.newBuilder().setName("scratch")
                        .setVolumeSource(V1.VolumeSource.newBuilder().setEmptyDir(V1.EmptyDirVolumeSource.newBuilder())))
                    .addContainers(V1.Container.newBuilder().setName("web").setImage("tugboat/busybox:1.0")
                        .setReadinessProbe(V1.Probe.newBuilder().setHandler(V1.ProbeHandler.newBuilder()
                            .setHttpGet(V1.HTTPGetAction.newBuilder().setPath("/ready")
                                .setPort(IntStr.IntOrString.newBuilder().setType(0).setIntVal(8080)))))))))
        .build();
    String deployments = "/apis/apps/v1/namespaces/" + NS + "/deployments";
    ProtoClient.ObjectOrStatus<V1Apps.Deployment> created = proto.create(deployment, deployments, "apps/v1", "Deployment");
    assertNull(created.status, () -> String.valueOf(created.status));
    assertFalse(created.object.getMetadata().getUid().isEmpty(), "the answer is the stored object, in protobuf");
    assertEquals(2, created.object.getSpec().getReplicas());

    // What the server stored, read back as JSON: Go's inlined structs and IntOrStrings are Kubernetes' JSON.
    JsonNode json = api.get(deployments + "/proto-web").json();
    assertTrue(json.at("/spec/template/spec/volumes/0/emptyDir").isObject(), json.toString());
    assertEquals("/ready", json.at("/spec/template/spec/containers/0/readinessProbe/httpGet/path").asText());
    assertEquals(8080, json.at("/spec/template/spec/containers/0/readinessProbe/httpGet/port").asInt());
    assertEquals("50%", json.at("/spec/strategy/rollingUpdate/maxSurge").asText());

    ProtoClient.ObjectOrStatus<V1Apps.Deployment> got = proto.get(V1Apps.Deployment.newBuilder(), deployments + "/proto-web");
    assertEquals(json.at("/metadata/uid").asText(), got.object.getMetadata().getUid());
    assertEquals(json.at("/metadata/resourceVersion").asText(), got.object.getMetadata().getResourceVersion());
    assertEquals("/ready", got.object.getSpec().getTemplate().getSpec().getContainers(0).getReadinessProbe()
        .getHandler().getHttpGet().getPath());
    assertTrue(got.object.getSpec().getTemplate().getSpec().getVolumes(0).getVolumeSource().hasEmptyDir());

    String pods = "/api/v1/namespaces/" + NS + "/pods";
    for (String name : List.of("proto-a", "proto-b")) {
      ProtoClient.ObjectOrStatus<V1.Pod> p = proto.create(pod(name), pods, "v1", "Pod");
      assertNull(p.status, () -> String.valueOf(p.status));
    }
    ProtoClient.ObjectOrStatus<V1.PodList> list = proto.list(V1.PodList.newBuilder(), pods + "?labelSelector=app%3Dwire");
    assertNull(list.status);
    Set<String> names = new HashSet<>();
    list.object.getItemsList().forEach(p -> names.add(p.getMetadata().getName()));
    assertTrue(names.containsAll(Set.of("proto-a", "proto-b")), names.toString());
    assertFalse(list.object.getMetadata().getResourceVersion().isEmpty());

    // Errors come back as a protobuf Status.
    ProtoClient.ObjectOrStatus<V1.Pod> missing = proto.get(V1.Pod.newBuilder(), pods + "/no-such-pod");
    assertNotNull(missing.status);
    assertEquals(404, missing.status.getCode());
    assertEquals("NotFound", missing.status.getReason());

    // DeleteOptions in protobuf: a dry run deletes nothing, a wrong uid precondition is a conflict.
    ProtoClient.ObjectOrStatus<V1.Pod> dry = proto.delete(V1.Pod.newBuilder(), pods + "/proto-a",
        Meta.DeleteOptions.newBuilder().addDryRun("All").build());
    assertNull(dry.status, () -> String.valueOf(dry.status));
    assertEquals(200, api.get(pods + "/proto-a").code());
    ProtoClient.ObjectOrStatus<V1.Pod> wrongUid = proto.delete(V1.Pod.newBuilder(), pods + "/proto-a",
        Meta.DeleteOptions.newBuilder().setPreconditions(Meta.Preconditions.newBuilder().setUid("not-the-uid")).build());
    assertEquals(409, wrongUid.status.getCode(), String.valueOf(wrongUid.status));
    ProtoClient.ObjectOrStatus<V1.Pod> deleted = proto.delete(V1.Pod.newBuilder(), pods + "/proto-a",
        Meta.DeleteOptions.newBuilder().setGracePeriodSeconds(0).build());
    assertNull(deleted.status, () -> String.valueOf(deleted.status));
    Await.until("proto-a gone", Duration.ofSeconds(30), () -> api.get(pods + "/proto-a").code() == 404);
  }

  @Test
  void aProtobufWatchIsLengthPrefixedWatchEvents() throws Exception {
    String pods = "/api/v1/namespaces/" + NS + "/pods";
    String rv = api.get(pods).json().at("/metadata/resourceVersion").asText();
    BlockingQueue<Object[]> events = new LinkedBlockingQueue<>();
    HttpResponse<InputStream> stream = api.client().send(HttpRequest.newBuilder(
            api.uri(pods + "?watch=true&fieldSelector=metadata.name%3Dwatched&timeoutSeconds=60&resourceVersion=" + rv))
        .header("Accept", PROTOBUF + ";stream=watch").build(), HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, stream.statusCode());
    assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith(PROTOBUF), stream.headers().toString());
    Thread reader = new Thread(() -> {
      try (DataInputStream in = new DataInputStream(stream.body())) {
        while (true) {
          int length = in.readInt();
          byte[] frame = new byte[length];
          in.readFully(frame);
          Meta.WatchEvent event = Meta.WatchEvent.parseFrom(frame);
          byte[] enveloped = event.getObject().getRaw().toByteArray();
          assertTrue(Arrays.equals(new byte[] {'k', '8', 's', 0}, Arrays.copyOf(enveloped, 4)));
          Runtime.Unknown unknown = Runtime.Unknown.parseFrom(Arrays.copyOfRange(enveloped, 4, enveloped.length));
          events.add(new Object[] {event.getType(), unknown.getTypeMeta().getKind(), V1.Pod.parseFrom(unknown.getRaw())});
        }
      } catch (EOFException | java.io.UncheckedIOException e) {
        // the watch ended
      } catch (IOException e) {
        events.add(new Object[] {"ERROR", e.toString(), null});
      }
    });
    reader.setDaemon(true);
    reader.start();

    assertEquals(201, api.post(pods, Codec.json().writeValueAsString(Map.of("metadata", Map.of("name", "watched"),
        "spec", Map.of("nodeName", "nowhere", "containers", List.of(Map.of("name", "c", "image", "tugboat/busybox:1.0")))))).code());
    Object[] added = next(events);
    assertEquals("ADDED", added[0]);
    assertEquals("Pod", added[1]);
    assertEquals("watched", ((V1.Pod) added[2]).getMetadata().getName());
    assertEquals(200, api.patch(pods + "/watched", "{\"metadata\":{\"labels\":{\"seen\":\"yes\"}}}",
        "application/merge-patch+json").code());
    Object[] modified = next(events);
    assertEquals("MODIFIED", modified[0]);
    assertEquals("yes", ((V1.Pod) modified[2]).getMetadata().getLabelsOrThrow("seen"));
    assertEquals(200, api.send(HttpRequest.newBuilder(api.uri(pods + "/watched?gracePeriodSeconds=0")).DELETE()).code());
    // a pod bound to a node that never answers is deleted at once with grace 0, or its deletion is marked first
    Object[] last;
    do {
      last = next(events);
    } while (!"DELETED".equals(last[0]));
    assertEquals("watched", ((V1.Pod) last[2]).getMetadata().getName());
    stream.body().close();
  }

  private static Object[] next(BlockingQueue<Object[]> events) throws InterruptedException {
    Object[] e = events.poll(30, TimeUnit.SECONDS);
    assertNotNull(e, "no watch event within 30 s");
    assertFalse("ERROR".equals(e[0]), () -> String.valueOf(e[1]));
    return e;
  }

  /** client-go's metadata informer: list as PartialObjectMetadataList, then watch as PartialObjectMetadata. */
  @Test
  void aMetadataOnlyInformerSeesAddsUpdatesAndDeletes() throws Exception {
    String cms = "/api/v1/namespaces/" + NS + "/configmaps";
    assertEquals(201, api.post(cms, "{\"metadata\":{\"name\":\"meta-1\",\"labels\":{\"informer\":\"yes\"}},\"data\":{\"secret-ish\":\"x\"}}").code());

    String listAccept = PROTOBUF + ";as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,"
        + "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
    HttpResponse<byte[]> listed = api.client().send(HttpRequest.newBuilder(api.uri(cms + "?labelSelector=informer%3Dyes"))
        .header("Accept", listAccept).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, listed.statusCode());
    Runtime.Unknown listEnvelope = Runtime.Unknown.parseFrom(Arrays.copyOfRange(listed.body(), 4, listed.body().length));
    assertEquals("PartialObjectMetadataList", listEnvelope.getTypeMeta().getKind());
    assertEquals("meta.k8s.io/v1", listEnvelope.getTypeMeta().getApiVersion());
    Meta.PartialObjectMetadataList list = Meta.PartialObjectMetadataList.parseFrom(listEnvelope.getRaw());
    assertEquals(List.of("meta-1"), list.getItemsList().stream().map(i -> i.getMetadata().getName()).toList());
    assertEquals("yes", list.getItems(0).getMetadata().getLabelsOrThrow("informer"));

    // The same as JSON: metadata only, nothing of the data.
    HttpResponse<String> jsonList = api.client().send(HttpRequest.newBuilder(api.uri(cms + "?labelSelector=informer%3Dyes"))
        .header("Accept", "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1").build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode partial = Codec.json().readTree(jsonList.body());
    assertEquals("PartialObjectMetadataList", partial.path("kind").asText(), jsonList.body());
    assertEquals("meta-1", partial.at("/items/0/metadata/name").asText());
    assertTrue(partial.at("/items/0/data").isMissingNode(), jsonList.body());
    JsonNode one = Codec.json().readTree(api.client().send(HttpRequest.newBuilder(api.uri(cms + "/meta-1"))
        .header("Accept", "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1").build(),
        HttpResponse.BodyHandlers.ofString()).body());
    assertEquals("PartialObjectMetadata", one.path("kind").asText());
    assertTrue(one.path("data").isMissingNode());

    String watchAccept = PROTOBUF + ";as=PartialObjectMetadata;g=meta.k8s.io;v=v1,"
        + "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";
    BlockingQueue<Object[]> events = new LinkedBlockingQueue<>();
    HttpResponse<InputStream> stream = api.client().send(HttpRequest.newBuilder(api.uri(cms
            + "?watch=true&labelSelector=informer%3Dyes&timeoutSeconds=60&resourceVersion=" + list.getMetadata().getResourceVersion()))
        .header("Accept", watchAccept).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, stream.statusCode());
    Thread reader = new Thread(() -> {
      try (DataInputStream in = new DataInputStream(stream.body())) {
        while (true) {
          byte[] frame = new byte[in.readInt()];
          in.readFully(frame);
          Meta.WatchEvent event = Meta.WatchEvent.parseFrom(frame);
          ByteString raw = event.getObject().getRaw();
          Runtime.Unknown unknown = Runtime.Unknown.parseFrom(raw.substring(4));
          events.add(new Object[] {event.getType(), unknown.getTypeMeta().getKind(),
              Meta.PartialObjectMetadata.parseFrom(unknown.getRaw())});
        }
      } catch (IOException | RuntimeException e) {
        // the watch ended
      }
    });
    reader.setDaemon(true);
    reader.start();

    assertEquals(201, api.post(cms, "{\"metadata\":{\"name\":\"meta-2\",\"labels\":{\"informer\":\"yes\"}}}").code());
    Object[] added = next(events);
    assertEquals("ADDED", added[0]);
    assertEquals("PartialObjectMetadata", added[1]);
    assertEquals("meta-2", ((Meta.PartialObjectMetadata) added[2]).getMetadata().getName());
    assertEquals(200, api.patch(cms + "/meta-1", "{\"metadata\":{\"annotations\":{\"touched\":\"1\"}}}",
        "application/merge-patch+json").code());
    Object[] updated = next(events);
    assertEquals("MODIFIED", updated[0]);
    assertEquals("1", ((Meta.PartialObjectMetadata) updated[2]).getMetadata().getAnnotationsOrThrow("touched"));
    assertEquals(200, api.delete(cms + "/meta-2").code());
    Object[] deleted = next(events);
    assertEquals("DELETED", deleted[0]);
    assertEquals("meta-2", ((Meta.PartialObjectMetadata) deleted[2]).getMetadata().getName());
    stream.body().close();
  }

  @Test
  void whatCannotBeProducedIs406AndCustomKindsTakeNoProtobuf() throws Exception {
    HttpResponse<String> html = api.client().send(HttpRequest.newBuilder(api.uri("/api/v1/namespaces"))
        .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(406, html.statusCode());
    assertEquals("NotAcceptable", Codec.json().readTree(html.body()).path("reason").asText(), html.body());
    // A list's metadata form on a single object: 406, never the object itself.
    HttpResponse<String> wrongForm = api.client().send(HttpRequest.newBuilder(api.uri("/api/v1/namespaces/" + NS))
        .header("Accept", "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1").build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(406, wrongForm.statusCode(), wrongForm.body());
    // CustomResourceDefinitions (and the custom kinds they define) are JSON and YAML only here.
    String crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    HttpResponse<String> protobufOnly = api.client().send(HttpRequest.newBuilder(api.uri(crds))
        .header("Accept", PROTOBUF).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(406, protobufOnly.statusCode(), protobufOnly.body());
    HttpResponse<String> fallback = api.client().send(HttpRequest.newBuilder(api.uri(crds))
        .header("Accept", PROTOBUF + ", application/json").build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, fallback.statusCode());
    assertEquals("CustomResourceDefinitionList", Codec.json().readTree(fallback.body()).path("kind").asText());
    HttpResponse<String> unsupported = api.client().send(HttpRequest.newBuilder(api.uri(crds))
        .POST(HttpRequest.BodyPublishers.ofByteArray(envelope("v1", "ConfigMap", V1.ConfigMap.getDefaultInstance().toByteArray())))
        .header("Content-Type", PROTOBUF).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(415, unsupported.statusCode(), unsupported.body());
  }

  @Test
  void yamlAnswersAndDeletesWithABody() throws Exception {
    String cms = "/api/v1/namespaces/" + NS + "/configmaps";
    for (String name : List.of("bulk-1", "bulk-2")) {
      assertEquals(201, api.post(cms, "{\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"bulk\":\"yes\"}}}").code());
    }
    HttpResponse<String> yaml = api.client().send(HttpRequest.newBuilder(api.uri(cms + "/bulk-1"))
        .header("Accept", "application/yaml").build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, yaml.statusCode());
    assertTrue(yaml.headers().firstValue("Content-Type").orElse("").startsWith("application/yaml"));
    assertEquals("bulk-1", Codec.parseTree(yaml.body().getBytes(), true).at("/metadata/name").asText(), yaml.body());

    String dryRun = "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"dryRun\":[\"All\"]}";
    HttpResponse<String> dry = api.client().send(HttpRequest.newBuilder(api.uri(cms + "?labelSelector=bulk%3Dyes"))
        .method("DELETE", HttpRequest.BodyPublishers.ofString(dryRun)).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, dry.statusCode(), dry.body());
    assertEquals(2, Codec.json().readTree(dry.body()).path("items").size(), dry.body());
    assertEquals(2, api.get(cms + "?labelSelector=bulk%3Dyes").json().path("items").size(), "a dry run deletes nothing");

    String orphan = "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"Bogus\"}";
    HttpResponse<String> bad = api.client().send(HttpRequest.newBuilder(api.uri(cms + "/bulk-1"))
        .method("DELETE", HttpRequest.BodyPublishers.ofString(orphan)).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("propagationPolicy"), bad.body());

    HttpResponse<String> gone = api.client().send(HttpRequest.newBuilder(api.uri(cms + "?labelSelector=bulk%3Dyes"))
        .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"Background\"}"))
        .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, gone.statusCode(), gone.body());
    Await.until("the bulk config maps deleted", Duration.ofSeconds(30),
        () -> api.get(cms + "?labelSelector=bulk%3Dyes").json().path("items").isEmpty());
  }

  /**
   * Mangled protobuf bodies (truncated, bytes flipped, a wrong envelope or kind, absurd lengths): a
   * 4xx Status every time, never a 5xx, and nothing stored but what was answered 201.
   */
  @Test
  void fuzzedProtobufBodiesAreRefusedCleanly() throws Exception {
    String fuzzNs = "wire-fuzz";
    assertEquals(201, api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + fuzzNs + "\"}}").code());
    String cms = "/api/v1/namespaces/" + fuzzNs + "/configmaps";
    Random random = new Random(20261204);
    Set<String> created = new HashSet<>();
    Map<Integer, Integer> codes = new java.util.TreeMap<>();
    for (int i = 0; i < 300; i++) {
      V1.ConfigMap cm = V1.ConfigMap.newBuilder()
          .setMetadata(Meta.ObjectMeta.newBuilder().setName("fuzz-" + i).putLabels("n", Integer.toString(i)))
          .putData("key", "value-" + i).build();
      byte[] body = mangle(envelope("v1", "ConfigMap", cm.toByteArray()), random, i);
      HttpResponse<String> r = api.client().send(HttpRequest.newBuilder(api.uri(cms))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", PROTOBUF).build(),
          HttpResponse.BodyHandlers.ofString());
      codes.merge(r.statusCode(), 1, Integer::sum);
      assertTrue(r.statusCode() < 500, () -> "case " + " got " + r.statusCode() + ": " + r.body());
      if (r.statusCode() == 201) {
        created.add(Codec.json().readTree(r.body()).at("/metadata/name").asText());
      } else {
        JsonNode status = Codec.json().readTree(r.body());
        assertEquals("Status", status.path("kind").asText(), r.body());
        assertFalse(status.path("message").asText().isEmpty(), r.body());
      }
    }
    Set<String> stored = new HashSet<>();
    api.get(cms).json().path("items").forEach(item -> stored.add(item.at("/metadata/name").asText()));
    assertEquals(created, stored, "only what was answered 201 is stored");
    assertTrue(codes.getOrDefault(400, 0) > 50 && codes.getOrDefault(415, 0) > 10, codes.toString());
  }

  private static byte[] mangle(byte[] body, Random random, int i) {
    byte[] b = body.clone();
    switch (i % 6) {
      case 0 -> { // truncated anywhere
        return Arrays.copyOf(b, random.nextInt(b.length));
      }
      case 1 -> { // a few bytes flipped after the magic
        for (int k = 0; k < 1 + random.nextInt(3); k++) b[4 + random.nextInt(b.length - 4)] ^= (byte) (1 + random.nextInt(255));
        return b;
      }
      case 2 -> { // a wrong envelope
        b[random.nextInt(4)] ^= 0x20;
        return b;
      }
      case 3 -> { // another kind, or none
        return envelope(random.nextBoolean() ? "example.com/v1" : "", random.nextBoolean() ? "Widget" : "",
            Arrays.copyOfRange(b, 4, b.length));
      }
      case 4 -> { // a field claiming to be longer than the body, or absurdly long
        byte[] tail = {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
        byte[] out = Arrays.copyOf(b, b.length + tail.length);
        System.arraycopy(tail, 0, out, b.length, tail.length);
        return out;
      }
      default -> { // a Pod's bytes sent as a ConfigMap, or the reverse
        return envelope("v1", random.nextBoolean() ? "Pod" : "ConfigMap", pod("fuzz-pod-" + i).toByteArray());
      }
    }
  }

  private static byte[] envelope(String apiVersion, String kind, byte[] raw) {
    byte[] unknown = Runtime.Unknown.newBuilder()
        .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
        .setRaw(ByteString.copyFrom(raw)).build().toByteArray();
    byte[] out = new byte[4 + unknown.length];
    out[0] = 'k';
    out[1] = '8';
    out[2] = 's';
    System.arraycopy(unknown, 0, out, 4, unknown.length);
    return out;
  }
}
