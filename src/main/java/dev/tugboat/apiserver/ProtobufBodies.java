package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.tugboat.model.Codec;
import io.kubernetes.client.proto.Runtime;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * The protobuf request bodies clients send unasked: kubectl's generators ({@code create
 * deployment}, {@code create job}, {@code create configmap}, ...) POST
 * {@code application/vnd.kubernetes.protobuf} from 1.32 or 1.33 on and never retry as JSON, and so
 * do operators built on client-go. This reads the envelope ({@code k8s\0} + {@code runtime.Unknown}),
 * decodes the object inside with Kubernetes' own generated messages (client-java-proto), and turns
 * it into the JSON tree the rest of the server handles, field by field from the message's
 * descriptor, so that no field is dropped. The types whose JSON is not their message's
 * (IntOrString, Quantity, Time, MicroTime, RawExtension, FieldsV1) are written as Kubernetes writes
 * them; empty strings and zero times, which the Go encoder writes for every unset non-pointer field,
 * are left out as its JSON leaves them out.
 */
final class ProtobufBodies {
  static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
  private static final byte[] MAGIC = {'k', '8', 's', 0};
  private static final String PACKAGE = "io.kubernetes.client.proto.";
  /** Each API group version's generated messages: the outer class holding one message per kind. */
  private static final Map<String, String> GROUP_VERSIONS = Map.ofEntries(
      Map.entry("v1", "V1"), Map.entry("apps/v1", "V1Apps"), Map.entry("batch/v1", "V1Batch"),
      Map.entry("autoscaling/v1", "V1Autoscaling"), Map.entry("autoscaling/v2", "V2Autoscaling"),
      Map.entry("networking.k8s.io/v1", "V1Networking"), Map.entry("policy/v1", "V1Policy"),
      Map.entry("rbac.authorization.k8s.io/v1", "V1Rbac"), Map.entry("scheduling.k8s.io/v1", "V1Scheduling"),
      Map.entry("storage.k8s.io/v1", "V1Storage"), Map.entry("coordination.k8s.io/v1", "V1Coordination"),
      Map.entry("discovery.k8s.io/v1", "V1Discovery"), Map.entry("events.k8s.io/v1", "V1Events"),
      Map.entry("certificates.k8s.io/v1", "V1Certificates"),
      Map.entry("admissionregistration.k8s.io/v1", "V1Admissionregistration"),
      Map.entry("authentication.k8s.io/v1", "V1Authentication"),
      Map.entry("authorization.k8s.io/v1", "V1Authorization"));

  private ProtobufBodies() {}

  /** The object in a protobuf body, as JSON. */
  static ObjectNode decode(byte[] body) {
    if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
      throw new IllegalArgumentException("a protobuf body must start with the k8s\\0 envelope");
    }
    Runtime.Unknown unknown;
    try {
      unknown = Runtime.Unknown.parseFrom(Arrays.copyOfRange(body, MAGIC.length, body.length));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("a broken protobuf envelope: " + e.getMessage());
    }
    String apiVersion = unknown.getTypeMeta().getApiVersion();
    String kind = unknown.getTypeMeta().getKind();
    Message message = parse(apiVersion, kind, unknown.getRaw());
    ObjectNode object = JsonNodeFactory.instance.objectNode();
    object.put("apiVersion", apiVersion);
    object.put("kind", kind);
    object.setAll(toJson(message));
    return object;
  }

  private static Message parse(String apiVersion, String kind, ByteString raw) {
    String outer = GROUP_VERSIONS.get(apiVersion);
    if (outer == null || kind.isEmpty() || !Character.isUpperCase(kind.charAt(0))) {
      throw new IllegalArgumentException("protobuf bodies are read for Kubernetes' built-in kinds only (got "
          + apiVersion + " " + kind + "); send JSON or YAML");
    }
    try {
      Class<?> type = Class.forName(PACKAGE + outer + "$" + kind);
      return (Message) type.getMethod("parseFrom", ByteString.class).invoke(null, raw);
    } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
      throw new IllegalArgumentException("protobuf bodies are read for Kubernetes' built-in kinds only (got "
          + apiVersion + " " + kind + "); send JSON or YAML");
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException("a broken protobuf " + kind + ": " + e.getCause().getMessage());
    }
  }

  private static ObjectNode toJson(Message message) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      FieldDescriptor fd = field.getKey();
      JsonNode value;
      if (fd.isMapField()) {
        ObjectNode map = JsonNodeFactory.instance.objectNode();
        for (Object entry : (Iterable<?>) field.getValue()) {
          Message e = (Message) entry;
          FieldDescriptor key = e.getDescriptorForType().findFieldByNumber(1);
          FieldDescriptor val = e.getDescriptorForType().findFieldByNumber(2);
          map.set(String.valueOf(e.getField(key)), single(val, e.getField(val)));
        }
        value = map;
      } else if (fd.isRepeated()) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (Object element : (Iterable<?>) field.getValue()) array.add(single(fd, element));
        value = array;
      } else {
        value = single(fd, field.getValue());
      }
      if (value != null) json.set(fd.getName(), value);
    }
    return json;
  }

  /** One value; null for what Kubernetes' JSON leaves out (an empty string, a zero time). */
  private static JsonNode single(FieldDescriptor fd, Object value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (fd.getJavaType()) {
      case MESSAGE -> special((Message) value);
      case STRING -> ((String) value).isEmpty() ? null : f.textNode((String) value);
      case BOOLEAN -> f.booleanNode((Boolean) value);
      case INT -> f.numberNode((Integer) value);
      case LONG -> f.numberNode((Long) value);
      case FLOAT -> f.numberNode((Float) value);
      case DOUBLE -> f.numberNode((Double) value);
      case BYTE_STRING -> f.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
      case ENUM -> f.textNode(value.toString());
    };
  }

  private static JsonNode special(Message m) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    switch (m.getDescriptorForType().getFullName()) {
      case "k8s.io.apimachinery.pkg.util.intstr.IntOrString": {
        long type = (Long) field(m, "type", 0L);
        return type == 1 ? f.textNode((String) field(m, "strVal", "")) : f.numberNode((Integer) field(m, "intVal", 0));
      }
      case "k8s.io.apimachinery.pkg.api.resource.Quantity":
        return f.textNode((String) field(m, "string", ""));
      case "k8s.io.apimachinery.pkg.apis.meta.v1.Time":
      case "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime": {
        long seconds = (Long) field(m, "seconds", 0L);
        int nanos = (Integer) field(m, "nanos", 0);
        return seconds == 0 && nanos == 0 ? null : f.textNode(Instant.ofEpochSecond(seconds, nanos).toString());
      }
      case "k8s.io.apimachinery.pkg.runtime.RawExtension":
      case "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1": {
        ByteString raw = (ByteString) field(m, "raw", ByteString.EMPTY);
        if (raw.isEmpty()) return null;
        try {
          return Codec.json().readTree(raw.toByteArray());
        } catch (IOException e) {
          throw new IllegalArgumentException("a raw field that is not JSON: " + e.getMessage());
        }
      }
      default:
        return toJson(m);
    }
  }

  private static Object field(Message m, String name, Object otherwise) {
    FieldDescriptor fd = m.getDescriptorForType().findFieldByName(name);
    return fd != null && m.hasField(fd) ? m.getField(fd) : otherwise;
  }
}
