package dev.tugboat.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.kubernetes.client.proto.IntStr;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Batch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * kubectl's protobuf bodies: a Namespace built field by field as the Go encoder writes it, and
 * ConfigMaps, Secrets, a Deployment and a Job encoded by Kubernetes' own generated messages.
 */
class ProtobufBodiesTest {

  private static byte[] field(int number, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((number << 3) | 2);
    out.write(value.length); // every value here is shorter than 128 bytes
    out.writeBytes(value);
    return out.toByteArray();
  }

  private static byte[] text(int number, String value) {
    return field(number, value.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  private static byte[] envelope(String apiVersion, String kind, byte[] raw) {
    return concat(new byte[] {'k', '8', 's', 0},
        field(1, concat(text(1, apiVersion), text(2, kind))),
        field(2, raw),
        text(3, ""),
        text(4, ""));
  }

  @Test
  void readsTheNamespaceKubectlCreates() {
    byte[] meta = concat(text(1, "team-a"), field(11, concat(text(1, "env"), text(2, "dev"))),
        field(12, concat(text(1, "note"), text(2, "x"))));
    byte[] namespace = concat(field(1, meta), field(2, new byte[0]), field(3, new byte[0]));
    ObjectNode object = ProtobufBodies.decode(envelope("v1", "Namespace", namespace));
    assertEquals("Namespace", object.path("kind").asText());
    assertEquals("team-a", object.path("metadata").path("name").asText());
    assertEquals("dev", object.path("metadata").path("labels").path("env").asText());
    assertEquals("x", object.path("metadata").path("annotations").path("note").asText());
  }

  /** The k8s\0 envelope around a message, as client-go's protobuf serializer writes it. */
  private static byte[] wrapped(String kind, com.google.protobuf.MessageLite message) {
    return wrapped("v1", kind, message);
  }

  private static byte[] wrapped(String apiVersion, String kind, com.google.protobuf.MessageLite message) {
    byte[] unknown = Runtime.Unknown.newBuilder()
        .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
        .setRaw(message.toByteString()).setContentEncoding("").setContentType("").build().toByteArray();
    return concat(new byte[] {'k', '8', 's', 0}, unknown);
  }

  @Test
  void readsTheConfigMapKubectlCreates() {
    V1.ConfigMap cm = V1.ConfigMap.newBuilder()
        .setMetadata(Meta.ObjectMeta.newBuilder().setName("app").setNamespace("default").putLabels("team", "a"))
        .putData("LOG_LEVEL", "debug").putData("app.properties", "a=1\nb=2\n")
        .putBinaryData("logo.png", ByteString.copyFrom(new byte[] {0, 1, 2, (byte) 255}))
        .setImmutable(true).build();
    ObjectNode object = ProtobufBodies.decode(wrapped("ConfigMap", cm));
    assertEquals("app", object.at("/metadata/name").asText());
    assertEquals("default", object.at("/metadata/namespace").asText());
    assertEquals("a", object.at("/metadata/labels/team").asText());
    assertEquals("debug", object.at("/data/LOG_LEVEL").asText());
    assertEquals("a=1\nb=2\n", object.at("/data/app.properties").asText());
    assertEquals("AAEC/w==", object.at("/binaryData/logo.png").asText());
    assertEquals(true, object.at("/immutable").asBoolean());
  }

  @Test
  void readsTheSecretsKubectlCreates() {
    V1.Secret generic = V1.Secret.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("db"))
        .putData("password", ByteString.copyFromUtf8("hunter2")).putStringData("user", "admin").setType("Opaque").build();
    ObjectNode object = ProtobufBodies.decode(wrapped("Secret", generic));
    assertEquals("aHVudGVyMg==", object.at("/data/password").asText());
    assertEquals("admin", object.at("/stringData/user").asText());
    assertEquals("Opaque", object.at("/type").asText());
    V1.Secret tls = V1.Secret.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("tls"))
        .setType("kubernetes.io/tls").putData("tls.crt", ByteString.copyFromUtf8("c"))
        .putData("tls.key", ByteString.copyFromUtf8("k")).setImmutable(false).build();
    ObjectNode t = ProtobufBodies.decode(wrapped("Secret", tls));
    assertEquals("kubernetes.io/tls", t.at("/type").asText());
    assertEquals("Yw==", t.at("/data/tls.crt").asText());
    assertEquals(false, t.at("/immutable").asBoolean(true));
  }

  @Test
  void readsADeploymentAsKubectlCreatesItWithEveryField() {
    V1Apps.Deployment d = V1Apps.Deployment.newBuilder()
        .setMetadata(Meta.ObjectMeta.newBuilder().setName("web").setNamespace("").putLabels("app", "web")
            .setCreationTimestamp(Meta.Time.newBuilder().setSeconds(0)))
        .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(0)
            .setSelector(Meta.LabelSelector.newBuilder().putMatchLabels("app", "web"))
            .setStrategy(V1Apps.DeploymentStrategy.newBuilder().setType("RollingUpdate")
                .setRollingUpdate(V1Apps.RollingUpdateDeployment.newBuilder()
                    .setMaxSurge(IntStr.IntOrString.newBuilder().setType(1).setStrVal("25%"))
                    .setMaxUnavailable(IntStr.IntOrString.newBuilder().setType(0).setIntVal(1))))
            .setTemplate(V1.PodTemplateSpec.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().putLabels("app", "web"))
                .setSpec(V1.PodSpec.newBuilder().setTerminationGracePeriodSeconds(5)
                    .addContainers(V1.Container.newBuilder().setName("nginx").setImage("nginx").setImagePullPolicy("")
                        .addPorts(V1.ContainerPort.newBuilder().setContainerPort(80))
                        .setResources(V1.ResourceRequirements.newBuilder()
                            .putLimits("memory", Resource.Quantity.newBuilder().setString("64Mi").build()))))))
        .build();
    ObjectNode object = ProtobufBodies.decode(wrapped("apps/v1", "Deployment", d));
    assertEquals("apps/v1", object.path("apiVersion").asText());
    assertEquals("web", object.at("/metadata/name").asText());
    assertTrue(object.at("/metadata/namespace").isMissingNode(), "an empty string is no value");
    assertTrue(object.at("/metadata/creationTimestamp").isMissingNode(), "a zero time is no value");
    assertEquals(0, object.at("/spec/replicas").asInt(-1), "a pointer's explicit 0 stays");
    assertEquals("25%", object.at("/spec/strategy/rollingUpdate/maxSurge").asText());
    assertEquals(1, object.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt());
    assertTrue(object.at("/spec/strategy/rollingUpdate/maxUnavailable").isInt());
    assertEquals(5, object.at("/spec/template/spec/terminationGracePeriodSeconds").asInt());
    assertTrue(object.at("/spec/template/spec/terminationGracePeriodSeconds").isIntegralNumber());
    assertEquals(80, object.at("/spec/template/spec/containers/0/ports/0/containerPort").asInt());
    assertEquals("64Mi", object.at("/spec/template/spec/containers/0/resources/limits/memory").asText());
    assertTrue(object.at("/spec/template/spec/containers/0/imagePullPolicy").isMissingNode());
  }

  @Test
  void readsAJobWithItsPolicies() {
    V1Batch.Job job = V1Batch.Job.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("pi"))
        .setSpec(V1Batch.JobSpec.newBuilder().setCompletions(5).setParallelism(2).setBackoffLimit(1)
            .setPodFailurePolicy(V1Batch.PodFailurePolicy.newBuilder().addRules(V1Batch.PodFailurePolicyRule.newBuilder()
                .setAction("FailJob").setOnExitCodes(V1Batch.PodFailurePolicyOnExitCodesRequirement.newBuilder()
                    .setOperator("In").addValues(3))))
            .setTemplate(V1.PodTemplateSpec.newBuilder().setSpec(V1.PodSpec.newBuilder().setRestartPolicy("Never")
                .addContainers(V1.Container.newBuilder().setName("pi").setImage("perl").addCommand("perl")))))
        .build();
    ObjectNode object = ProtobufBodies.decode(wrapped("batch/v1", "Job", job));
    assertEquals(5, object.at("/spec/completions").asInt());
    assertEquals(3, object.at("/spec/podFailurePolicy/rules/0/onExitCodes/values/0").asInt());
    assertEquals("perl", object.at("/spec/template/spec/containers/0/command/0").asText());
  }

  /** Go's embedded structs are fields of their own in protobuf and inlined in JSON. */
  @Test
  void embeddedStructsAreInlinedBothWays() {
    V1.Pod pod = V1.Pod.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("p"))
        .setSpec(V1.PodSpec.newBuilder()
            .addVolumes(V1.Volume.newBuilder().setName("scratch")
                .setVolumeSource(V1.VolumeSource.newBuilder().setEmptyDir(V1.EmptyDirVolumeSource.newBuilder())))
            .addContainers(V1.Container.newBuilder().setName("c").setImage("busybox")
                .setLivenessProbe(V1.Probe.newBuilder().setPeriodSeconds(3).setHandler(V1.ProbeHandler.newBuilder()
                    .setHttpGet(V1.HTTPGetAction.newBuilder().setPath("/healthz")
                        .setPort(IntStr.IntOrString.newBuilder().setType(0).setIntVal(8080)))))
                .addEnv(V1.EnvVar.newBuilder().setName("MODE").setValueFrom(V1.EnvVarSource.newBuilder()
                    .setConfigMapKeyRef(V1.ConfigMapKeySelector.newBuilder().setKey("mode")
                        .setLocalObjectReference(V1.LocalObjectReference.newBuilder().setName("settings")))))))
        .build();
    ObjectNode object = ProtobufBodies.decode(wrapped("Pod", pod));
    assertTrue(object.at("/spec/volumes/0/emptyDir").isObject(), object.toString());
    assertEquals("/healthz", object.at("/spec/containers/0/livenessProbe/httpGet/path").asText(), object.toString());
    assertEquals(3, object.at("/spec/containers/0/livenessProbe/periodSeconds").asInt());
    assertEquals("settings", object.at("/spec/containers/0/env/0/valueFrom/configMapKeyRef/name").asText());
    V1.Pod back = (V1.Pod) ProtobufJson.fromJson(object, V1.Pod.newBuilder(), new java.util.ArrayList<>());
    assertEquals(pod, back);
  }

  /** An Ingress rule's {@code http} is its embedded IngressRuleValue: what kubectl describe reads. */
  @Test
  void anIngressRulesHttpIsInlined() {
    var ingress = io.kubernetes.client.proto.V1Networking.Ingress.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("web"))
        .setSpec(io.kubernetes.client.proto.V1Networking.IngressSpec.newBuilder()
            .addRules(io.kubernetes.client.proto.V1Networking.IngressRule.newBuilder().setHost("a.test")
                .setIngressRuleValue(io.kubernetes.client.proto.V1Networking.IngressRuleValue.newBuilder()
                    .setHttp(io.kubernetes.client.proto.V1Networking.HTTPIngressRuleValue.newBuilder()
                        .addPaths(io.kubernetes.client.proto.V1Networking.HTTPIngressPath.newBuilder().setPath("/beta")
                            .setPathType("Prefix")
                            .setBackend(io.kubernetes.client.proto.V1Networking.IngressBackend.newBuilder()
                                .setService(io.kubernetes.client.proto.V1Networking.IngressServiceBackend.newBuilder()
                                    .setName("beta").setPort(io.kubernetes.client.proto.V1Networking.ServiceBackendPort
                                        .newBuilder().setName("web")))))))))
        .build();
    ObjectNode object = ProtobufBodies.decode(wrapped("networking.k8s.io/v1", "Ingress", ingress));
    assertEquals("/beta", object.at("/spec/rules/0/http/paths/0/path").asText(), object.toString());
    assertEquals("web", object.at("/spec/rules/0/http/paths/0/backend/service/port/name").asText(), object.toString());
    var back = ProtobufJson.fromJson(object, io.kubernetes.client.proto.V1Networking.Ingress.newBuilder(), new java.util.ArrayList<>());
    assertEquals(ingress, back);
  }

  @Test
  void refusesKindsWithoutMessagesAndBrokenBodies() {
    assertThrows(ProtobufBodies.UnsupportedKind.class, () -> ProtobufBodies.decode(envelope("example.com/v1", "Widget", new byte[0])));
    assertThrows(ProtobufBodies.UnsupportedKind.class, () -> ProtobufBodies.decode(envelope("v1", "NoSuchKind", new byte[0])));
    assertThrows(IllegalArgumentException.class, () -> ProtobufBodies.decode("{}".getBytes()));
    byte[] truncated = envelope("v1", "Namespace", field(1, text(1, "abc")));
    assertThrows(IllegalArgumentException.class,
        () -> ProtobufBodies.decode(java.util.Arrays.copyOf(truncated, truncated.length - 6)));
  }

  @Test
  void readsTheEvictionKubectlDrainSendsAndItsBudget() {
    io.kubernetes.client.proto.V1Policy.Eviction eviction = io.kubernetes.client.proto.V1Policy.Eviction.newBuilder()
        .setMetadata(Meta.ObjectMeta.newBuilder().setName("web-1").setNamespace("default"))
        .setDeleteOptions(Meta.DeleteOptions.newBuilder().setGracePeriodSeconds(5)).build();
    ObjectNode object = ProtobufBodies.decode(wrapped("policy/v1", "Eviction", eviction));
    assertEquals("Eviction", object.path("kind").asText());
    assertEquals("web-1", object.path("metadata").path("name").asText());
    assertEquals(5, object.path("deleteOptions").path("gracePeriodSeconds").asInt());
    ObjectNode old = ProtobufBodies.decode(wrapped("policy/v1beta1", "Eviction",
        io.kubernetes.client.proto.V1beta1Policy.Eviction.newBuilder()
            .setMetadata(Meta.ObjectMeta.newBuilder().setName("web-2")).build()));
    assertEquals("policy/v1beta1", old.path("apiVersion").asText());
    // kubectl 1.33's `create pdb`: an IntOrString minAvailable and a selector
    io.kubernetes.client.proto.V1Policy.PodDisruptionBudget pdb = io.kubernetes.client.proto.V1Policy.PodDisruptionBudget
        .newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("web"))
        .setSpec(io.kubernetes.client.proto.V1Policy.PodDisruptionBudgetSpec.newBuilder()
            .setMinAvailable(IntStr.IntOrString.newBuilder().setType(1).setStrVal("50%"))
            .setSelector(Meta.LabelSelector.newBuilder().putMatchLabels("app", "web"))).build();
    ObjectNode budget = ProtobufBodies.decode(wrapped("policy/v1", "PodDisruptionBudget", pdb));
    assertEquals("50%", budget.path("spec").path("minAvailable").asText());
    assertEquals("web", budget.path("spec").path("selector").path("matchLabels").path("app").asText());
  }
}
