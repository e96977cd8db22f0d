package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.tugboat.model.Codec;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' generated protobuf messages and the server's JSON form of the same object, both ways,
 * field by field from the message's descriptor, so that one converter serves every kind. The types
 * whose JSON is not their message's are done once here, as Kubernetes' JSON writes them:
 * {@code IntOrString} (a number or a string), {@code Quantity} (its string), {@code Time} and
 * {@code MicroTime} (RFC 3339), {@code RawExtension} and {@code FieldsV1} (the JSON they hold), and
 * maps (JSON objects). Empty strings and zero times, which Go's encoder writes for every unset
 * non-pointer field, are left out of the JSON as Go's JSON leaves them out.
 */
final class ProtobufJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String INT_OR_STRING = "k8s.io.apimachinery.pkg.util.intstr.IntOrString";
  private static final String QUANTITY = "k8s.io.apimachinery.pkg.api.resource.Quantity";
  private static final String TIME = "k8s.io.apimachinery.pkg.apis.meta.v1.Time";
  private static final String MICRO_TIME = "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime";
  private static final String RAW_EXTENSION = "k8s.io.apimachinery.pkg.runtime.RawExtension";
  private static final String FIELDS_V1 = "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1";

  /**
   * Go structs embedded with {@code json:",inline"}: a field of their own in protobuf, their fields
   * written into the enclosing object in JSON ({@code volumes[].emptyDir}, {@code livenessProbe.httpGet},
   * {@code configMapKeyRef.name}). The descriptors do not say which these are; Kubernetes' types do.
   */
  private static final Set<String> INLINED = Set.of(
      "k8s.io.api.core.v1.Volume.volumeSource",
      "k8s.io.api.core.v1.PersistentVolumeSpec.persistentVolumeSource",
      "k8s.io.api.core.v1.Probe.handler",
      "k8s.io.api.core.v1.EphemeralContainer.ephemeralContainerCommon",
      "k8s.io.api.networking.v1.IngressRule.ingressRuleValue");

  private ProtobufJson() {}

  private static boolean inlined(FieldDescriptor fd) {
    return INLINED.contains(fd.getFullName()) || fd.getName().equals("localObjectReference");
  }

  // ---- message to JSON ------------------------------------------------------------------------

  /** A message as JSON (without apiVersion and kind, which protobuf keeps in the envelope). */
  static ObjectNode toJson(Message message) {
    ObjectNode json = F.objectNode();
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      FieldDescriptor fd = field.getKey();
      JsonNode value;
      if (fd.isMapField()) {
        ObjectNode map = F.objectNode();
        for (Object entry : (Iterable<?>) field.getValue()) {
          Message e = (Message) entry;
          FieldDescriptor key = e.getDescriptorForType().findFieldByNumber(1);
          FieldDescriptor val = e.getDescriptorForType().findFieldByNumber(2);
          JsonNode v = single(val, e.getField(val));
          map.set(String.valueOf(e.getField(key)), v == null ? F.textNode("") : v);
        }
        value = map;
      } else if (fd.isRepeated()) {
        ArrayNode array = F.arrayNode();
        for (Object element : (Iterable<?>) field.getValue()) {
          JsonNode v = single(fd, element);
          array.add(v == null ? F.textNode("") : v);
        }
        value = array;
      } else {
        value = single(fd, field.getValue());
      }
      if (value instanceof ObjectNode fields && inlined(fd)) {
        json.setAll(fields);
      } else if (value != null) {
        json.set(fd.getName(), value);
      }
    }
    return json;
  }

  /** One value; null for what Kubernetes' JSON leaves out (an empty string, a zero time). */
  private static JsonNode single(FieldDescriptor fd, Object value) {
    return switch (fd.getJavaType()) {
      case MESSAGE -> special((Message) value);
      case STRING -> ((String) value).isEmpty() ? null : F.textNode((String) value);
      case BOOLEAN -> F.booleanNode((Boolean) value);
      case INT -> F.numberNode((Integer) value);
      case LONG -> F.numberNode((Long) value);
      case FLOAT -> F.numberNode((Float) value);
      case DOUBLE -> F.numberNode((Double) value);
      case BYTE_STRING -> F.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
      case ENUM -> F.textNode(value.toString());
    };
  }

  private static JsonNode special(Message m) {
    switch (m.getDescriptorForType().getFullName()) {
      case INT_OR_STRING: {
        long type = (Long) field(m, "type", 0L);
        return type == 1 ? F.textNode((String) field(m, "strVal", "")) : F.numberNode((Integer) field(m, "intVal", 0));
      }
      case QUANTITY:
        return F.textNode((String) field(m, "string", ""));
      case TIME:
      case MICRO_TIME: {
        long seconds = (Long) field(m, "seconds", 0L);
        int nanos = (Integer) field(m, "nanos", 0);
        if (seconds == 0 && nanos == 0) return null;
        // Time has whole seconds in Kubernetes' JSON; MicroTime six digits of fraction.
        Instant t = Instant.ofEpochSecond(seconds, nanos);
        return F.textNode(t.toString());
      }
      case RAW_EXTENSION:
      case FIELDS_V1: {
        // field 1 is "raw" in RawExtension but "Raw" in FieldsV1
        FieldDescriptor rawField = m.getDescriptorForType().findFieldByNumber(1);
        ByteString raw = m.hasField(rawField) ? (ByteString) m.getField(rawField) : ByteString.EMPTY;
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

  // ---- JSON to message ------------------------------------------------------------------------

  /**
   * The JSON form of an object as the message {@code builder} builds. {@code apiVersion} and
   * {@code kind} belong to the envelope. A field the message does not have (one newer than the
   * generated messages) cannot be written; its path goes into {@code dropped}, so that the caller
   * can say so rather than lose it unseen.
   *
   * @throws IllegalArgumentException naming a field whose value does not fit its type
   */
  static Message fromJson(JsonNode json, Message.Builder builder, List<String> dropped) {
    fill(json, builder, "", dropped);
    return builder.build();
  }

  private static void fill(JsonNode json, Message.Builder builder, String path, List<String> dropped) {
    if (!json.isObject()) throw mismatch(path, "an object", json);
    Descriptor d = builder.getDescriptorForType();
    // The embedded structs' fields, gathered from this object; Go writes an embedded struct always.
    Map<FieldDescriptor, ObjectNode> embedded = new LinkedHashMap<>();
    for (FieldDescriptor fd : d.getFields()) {
      if (inlined(fd)) embedded.put(fd, F.objectNode());
    }
    Iterator<Map.Entry<String, JsonNode>> fields = json.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String name = e.getKey();
      JsonNode value = e.getValue();
      if (value.isNull()) continue;
      FieldDescriptor fd = d.findFieldByName(name);
      String at = path.isEmpty() ? name : path + "." + name;
      if (fd == null) {
        FieldDescriptor owner = embedded.keySet().stream()
            .filter(inline -> inline.getMessageType().findFieldByName(name) != null).findFirst().orElse(null);
        if (owner != null) {
          embedded.get(owner).set(name, value);
        } else if (!(name.equals("apiVersion") || name.equals("kind"))) {
          // apiVersion and kind (Go's TypeMeta) are the envelope's, and no list item carries them
          dropped.add(at);
        }
        continue;
      }
      if (fd.isMapField()) {
        if (!value.isObject()) throw mismatch(at, "an object", value);
        Iterator<Map.Entry<String, JsonNode>> entries = value.fields();
        while (entries.hasNext()) {
          Map.Entry<String, JsonNode> entry = entries.next();
          Message.Builder eb = builder.newBuilderForField(fd);
          FieldDescriptor key = eb.getDescriptorForType().findFieldByNumber(1);
          FieldDescriptor val = eb.getDescriptorForType().findFieldByNumber(2);
          eb.setField(key, entry.getKey());
          Object v = value(val, entry.getValue(), eb, at + "[" + entry.getKey() + "]", dropped);
          if (v != null) eb.setField(val, v);
          builder.addRepeatedField(fd, eb.build());
        }
      } else if (fd.isRepeated()) {
        if (!value.isArray()) throw mismatch(at, "an array", value);
        int i = 0;
        for (JsonNode element : value) {
          Object v = value(fd, element, builder, at + "[" + i++ + "]", dropped);
          if (v != null) builder.addRepeatedField(fd, v);
        }
      } else {
        Object v = value(fd, value, builder, at, dropped);
        if (v != null) builder.setField(fd, v);
      }
    }
    for (Map.Entry<FieldDescriptor, ObjectNode> e : embedded.entrySet()) {
      Message.Builder b = builder.newBuilderForField(e.getKey());
      fill(e.getValue(), b, path, dropped);
      builder.setField(e.getKey(), b.build());
    }
  }

  /** The protobuf value of one JSON value; {@code parent} makes builders for message fields. */
  private static Object value(FieldDescriptor fd, JsonNode json, Message.Builder parent, String at,
      List<String> dropped) {
    switch (fd.getJavaType()) {
      case STRING:
        if (!json.isValueNode()) throw mismatch(at, "a string", json);
        return json.asText();
      case BOOLEAN:
        if (!json.isBoolean()) throw mismatch(at, "a boolean", json);
        return json.booleanValue();
      case INT:
        if (!json.canConvertToInt() || !json.isIntegralNumber()) throw mismatch(at, "a 32-bit integer", json);
        return json.intValue();
      case LONG:
        if (!json.canConvertToLong() || !json.isIntegralNumber()) throw mismatch(at, "a 64-bit integer", json);
        return json.longValue();
      case FLOAT:
        if (!json.isNumber()) throw mismatch(at, "a number", json);
        return json.floatValue();
      case DOUBLE:
        if (!json.isNumber()) throw mismatch(at, "a number", json);
        return json.doubleValue();
      case BYTE_STRING:
        if (!json.isTextual()) throw mismatch(at, "base64 text", json);
        try {
          return ByteString.copyFrom(Base64.getDecoder().decode(json.asText()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(at + ": not base64: " + e.getMessage());
        }
      case ENUM:
        throw new IllegalArgumentException(at + ": enumerations are not used by Kubernetes' messages");
      case MESSAGE:
      default:
        Message.Builder b = parent.newBuilderForField(fd);
        special(json, b, at, dropped);
        return b.build();
    }
  }

  private static void special(JsonNode json, Message.Builder b, String at, List<String> dropped) {
    Descriptor d = b.getDescriptorForType();
    switch (d.getFullName()) {
      case INT_OR_STRING -> {
        if (json.isIntegralNumber() && json.canConvertToInt()) {
          b.setField(d.findFieldByName("type"), 0L);
          b.setField(d.findFieldByName("intVal"), json.intValue());
        } else if (json.isTextual()) {
          b.setField(d.findFieldByName("type"), 1L);
          b.setField(d.findFieldByName("strVal"), json.asText());
        } else {
          throw mismatch(at, "an integer or a string", json);
        }
      }
      case QUANTITY -> {
        if (!json.isTextual() && !json.isNumber()) throw mismatch(at, "a quantity", json);
        b.setField(d.findFieldByName("string"), json.asText());
      }
      case TIME, MICRO_TIME -> {
        if (!json.isTextual()) throw mismatch(at, "an RFC 3339 time", json);
        Instant t;
        try {
          t = OffsetDateTime.parse(json.asText()).toInstant();
        } catch (DateTimeParseException e) {
          throw mismatch(at, "an RFC 3339 time", json);
        }
        b.setField(d.findFieldByName("seconds"), t.getEpochSecond());
        b.setField(d.findFieldByName("nanos"), t.getNano());
      }
      case RAW_EXTENSION, FIELDS_V1 -> {
        try {
          b.setField(d.findFieldByNumber(1), ByteString.copyFrom(Codec.json().writeValueAsBytes(json)));
        } catch (IOException e) {
          throw new IllegalArgumentException(at + ": " + e.getMessage());
        }
      }
      default -> fill(json, b, at, dropped);
    }
  }

  private static IllegalArgumentException mismatch(String at, String expected, JsonNode got) {
    String shown = got.toString();
    if (shown.length() > 60) shown = shown.substring(0, 60) + "...";
    return new IllegalArgumentException(at + ": must be " + expected + ", not " + shown);
  }
}
