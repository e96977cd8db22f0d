package dev.tugboat.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.tugboat.kind.KindStrategy;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kinds.Kinds;
import dev.tugboat.model.Codec;
import dev.tugboat.model.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every built-in kind and its list: randomly generated messages (seeded, so a failure repeats)
 * turned into JSON and back are the same message, their JSON turned into protobuf and back is the
 * same JSON, and the enveloped body the API writes reads back as the same object. Nothing is dropped.
 */
class ProtobufRoundTripTest {
  private static final int SAMPLES = 60;
  private static final int MAX_DEPTH = 7;

  static Stream<Arguments> messages() {
    List<Arguments> all = new ArrayList<>();
    for (KindStrategy kind : Kinds.strategies()) {
      if (kind.protobuf().isEmpty()) continue;
      ProtobufMessages m = kind.protobuf().get();
      ResourceType t = kind.type();
      all.add(Arguments.of(t.apiVersion(), t.kind(), m.object()));
      all.add(Arguments.of(t.apiVersion(), t.listKind(), m.list()));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("messages")
  void randomMessagesRoundTrip(String apiVersion, String kind, Class<? extends Message> type) throws Exception {
    Random random = new Random(kind.hashCode());
    for (int i = 0; i < SAMPLES; i++) {
      Message.Builder builder = (Message.Builder) type.getMethod("newBuilder").invoke(null);
      Message original = fill(builder, random, 0).build();

      ObjectNode json = ProtobufJson.toJson(original);
      List<String> dropped = new ArrayList<>();
      Message back = ProtobufJson.fromJson(json, original.newBuilderForType(), dropped);
      assertTrue(dropped.isEmpty(), () -> "dropped " + dropped);
      assertEquals(original, back, () -> "sample " + " of " + kind + " as JSON: " + json);
      assertEquals(json, ProtobufJson.toJson(back));

      ObjectNode body = JsonNodeFactory.instance.objectNode();
      body.put("apiVersion", apiVersion);
      body.put("kind", kind);
      body.setAll(json);
      assertEquals(body, ProtobufBodies.decode(ProtobufBodies.encode(body)));
    }
  }

  /** A random message: each field present or not, scalars random, Kubernetes' special types well formed. */
  private static Message.Builder fill(Message.Builder b, Random random, int depth) {
    Descriptor d = b.getDescriptorForType();
    if (special(b, random)) return b;
    for (FieldDescriptor fd : d.getFields()) {
      // Go writes an embedded (JSON-inlined) struct always; so does the converter.
      boolean embedded = fd.getName().equals("localObjectReference") || fd.getName().equals("volumeSource")
          || fd.getName().equals("persistentVolumeSource")
          || fd.getName().equals("ephemeralContainerCommon") || fd.getFullName().equals("k8s.io.api.core.v1.Probe.handler")
          || fd.getFullName().equals("k8s.io.api.networking.v1.IngressRule.ingressRuleValue");
      if (embedded) {
        b.setField(fd, fill(b.newBuilderForField(fd), random, depth + 1).build());
        continue;
      }
      if (random.nextInt(3) == 0) continue;
      if (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE && depth >= MAX_DEPTH && !fd.isMapField()) continue;
      if (fd.isMapField()) {
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
          Message.Builder entry = b.newBuilderForField(fd);
          FieldDescriptor key = entry.getDescriptorForType().findFieldByNumber(1);
          FieldDescriptor value = entry.getDescriptorForType().findFieldByNumber(2);
          entry.setField(key, "k" + i + word(random));
          entry.setField(value, value(value, b, entry, random, depth));
          b.addRepeatedField(fd, entry.build());
        }
      } else if (fd.isRepeated()) {
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) b.addRepeatedField(fd, value(fd, b, b, random, depth));
      } else {
        b.setField(fd, value(fd, b, b, random, depth));
      }
    }
    return b;
  }

  private static Object value(FieldDescriptor fd, Message.Builder parent, Message.Builder owner, Random random, int depth) {
    return switch (fd.getJavaType()) {
      // An empty string is what Go writes for "unset", and JSON leaves it out: never generated.
      case STRING -> word(random);
      case BOOLEAN -> random.nextBoolean();
      case INT -> random.nextInt(2000) - 1000;
      case LONG -> random.nextLong();
      case FLOAT -> random.nextFloat();
      case DOUBLE -> random.nextDouble();
      case BYTE_STRING -> {
        byte[] bytes = new byte[random.nextInt(9)];
        random.nextBytes(bytes);
        yield ByteString.copyFrom(bytes);
      }
      case ENUM -> throw new AssertionError("Kubernetes' messages have no enumerations");
      case MESSAGE -> fill(owner.newBuilderForField(fd), random, depth + 1).build();
    };
  }

  private static boolean special(Message.Builder b, Random random) {
    Descriptor d = b.getDescriptorForType();
    switch (d.getFullName()) {
      case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" -> {
        if (random.nextBoolean()) {
          b.setField(d.findFieldByName("type"), 0L).setField(d.findFieldByName("intVal"), random.nextInt(70000));
        } else {
          b.setField(d.findFieldByName("type"), 1L).setField(d.findFieldByName("strVal"), word(random));
        }
        return true;
      }
      case "k8s.io.apimachinery.pkg.api.resource.Quantity" -> {
        b.setField(d.findFieldByName("string"), (1 + random.nextInt(999)) + List.of("", "m", "Mi", "Gi", "k").get(random.nextInt(5)));
        return true;
      }
      case "k8s.io.apimachinery.pkg.apis.meta.v1.Time", "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime" -> {
        b.setField(d.findFieldByName("seconds"), 1 + (long) random.nextInt(Integer.MAX_VALUE));
        b.setField(d.findFieldByName("nanos"), random.nextInt(1_000_000) * 1000);
        return true;
      }
      case "k8s.io.apimachinery.pkg.runtime.RawExtension", "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1" -> {
        ObjectNode raw = JsonNodeFactory.instance.objectNode();
        raw.put("f:" + word(random), random.nextInt(100));
        raw.putObject("nested").put(word(random), word(random));
        try {
          b.setField(d.findFieldByNumber(1), ByteString.copyFrom(Codec.json().writeValueAsBytes(raw)));
        } catch (Exception e) {
          throw new AssertionError(e);
        }
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private static String word(Random random) {
    StringBuilder s = new StringBuilder();
    int n = 1 + random.nextInt(8);
    for (int i = 0; i < n; i++) s.append((char) ('a' + random.nextInt(26)));
    return s.toString();
  }

  @org.junit.jupiter.api.Test
  void everyBuiltInKindButCustomResourceDefinitionsAndEndpointSlicesHasProtobuf() {
    // client-java-proto 24 has neither apiextensions, discovery/v1 nor coordination/v1 messages;
    // the admission policies are JSON and YAML only for now (kubectl sends them as JSON)
    for (KindStrategy kind : Kinds.strategies()) {
      boolean crd = kind.kind().equals("CustomResourceDefinition") || kind.kind().equals("EndpointSlice")
          || kind.kind().equals("Lease") || kind.kind().startsWith("ValidatingAdmissionPolicy");
      assertEquals(!crd, kind.protobuf().isPresent(), kind.kind());
      assertEquals(!crd, ProtobufBodies.served(kind.type()), kind.kind());
    }
    assertFalse(ProtobufBodies.served(new ResourceType("example.com", "v1", "Widget", "widgets", "widget",
        List.of(), true, List.of(), List.of(), null)));
  }
}
