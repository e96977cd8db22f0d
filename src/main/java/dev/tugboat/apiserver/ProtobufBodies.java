package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The protobuf request bodies clients send unasked: kubectl 1.33's generators ({@code create
 * namespace}, {@code create configmap}, {@code create secret ...}) POST
 * {@code application/vnd.kubernetes.protobuf} and never retry as JSON. This reads that envelope
 * ({@code k8s\0} + {@code runtime.Unknown}) and, of the object inside, every field those kinds have
 * at create (metadata's name, generateName, namespace, labels and annotations; a ConfigMap's data,
 * binaryData and immutable; a Secret's data, stringData, type and immutable) into the JSON tree the
 * rest of the server handles. Any other kind is refused, because its spec would be lost. (The
 * wire-format issue replaces this with generated messages for every kind.)
 */
final class ProtobufBodies {
  static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
  private static final byte[] MAGIC = {'k', '8', 's', 0};

  private ProtobufBodies() {}

  /** The object in a protobuf body, as JSON. */
  static ObjectNode decode(byte[] body) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (body.length < MAGIC.length || body[i] != MAGIC[i]) {
        throw new IllegalArgumentException("a protobuf body must start with the k8s\\0 envelope");
      }
    }
    Reader unknown = new Reader(body, MAGIC.length, body.length);
    String apiVersion = "";
    String kind = "";
    byte[] raw = new byte[0];
    while (unknown.more()) {
      int tag = unknown.varint32();
      switch (tag >>> 3) {
        case 1 -> {
          Reader typeMeta = unknown.message();
          while (typeMeta.more()) {
            int t = typeMeta.varint32();
            if (t >>> 3 == 1) apiVersion = typeMeta.string();
            else if (t >>> 3 == 2) kind = typeMeta.string();
            else typeMeta.skip(t);
          }
        }
        case 2 -> raw = unknown.bytes();
        default -> unknown.skip(tag);
      }
    }
    if (!"v1".equals(apiVersion) || !List.of("Namespace", "ConfigMap", "Secret").contains(kind)) {
      throw new IllegalArgumentException("protobuf bodies are read for v1 Namespace, ConfigMap and Secret only (got "
          + apiVersion + " " + kind + "); send JSON or YAML");
    }
    ObjectNode object = JsonNodeFactory.instance.objectNode();
    object.put("apiVersion", apiVersion);
    object.put("kind", kind);
    ObjectNode meta = object.putObject("metadata");
    Reader fields = new Reader(raw, 0, raw.length);
    while (fields.more()) {
      int tag = fields.varint32();
      int field = tag >>> 3;
      if (field == 1) {
        readMeta(fields.message(), meta);
      } else if (kind.equals("ConfigMap") && field == 2) {
        readEntry(fields.message(), map(object, "data"), false);
      } else if (kind.equals("ConfigMap") && field == 3) {
        readEntry(fields.message(), map(object, "binaryData"), true);
      } else if (kind.equals("ConfigMap") && field == 4) {
        object.put("immutable", fields.varint() != 0);
      } else if (kind.equals("Secret") && field == 2) {
        readEntry(fields.message(), map(object, "data"), true);
      } else if (kind.equals("Secret") && field == 3) {
        object.put("type", fields.string());
      } else if (kind.equals("Secret") && field == 4) {
        readEntry(fields.message(), map(object, "stringData"), false);
      } else if (kind.equals("Secret") && field == 5) {
        object.put("immutable", fields.varint() != 0);
      } else {
        fields.skip(tag);
      }
    }
    return object;
  }

  private static ObjectNode map(ObjectNode object, String field) {
    return object.has(field) ? (ObjectNode) object.get(field) : object.putObject(field);
  }

  private static void readMeta(Reader r, ObjectNode meta) {
    while (r.more()) {
      int tag = r.varint32();
      switch (tag >>> 3) {
        case 1 -> meta.put("name", r.string());
        case 2 -> meta.put("generateName", r.string());
        case 3 -> meta.put("namespace", r.string());
        case 11 -> readEntry(r.message(), map(meta, "labels"), false);
        case 12 -> readEntry(r.message(), map(meta, "annotations"), false);
        default -> r.skip(tag);
      }
    }
  }

  /** One map entry (key 1, value 2); a bytes value becomes base64, as in JSON. */
  private static void readEntry(Reader r, ObjectNode map, boolean bytes) {
    String key = "";
    String value = "";
    while (r.more()) {
      int tag = r.varint32();
      if (tag >>> 3 == 1) key = r.string();
      else if (tag >>> 3 == 2) value = bytes ? java.util.Base64.getEncoder().encodeToString(r.bytes()) : r.string();
      else r.skip(tag);
    }
    map.put(key, value);
  }

  /** A bounded cursor over protobuf wire format. */
  private static final class Reader {
    private final byte[] data;
    private int pos;
    private final int end;

    Reader(byte[] data, int from, int end) {
      this.data = data;
      this.pos = from;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) throw new IllegalArgumentException("truncated protobuf body");
        byte b = data[pos++];
        value |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) return value;
      }
      throw new IllegalArgumentException("malformed varint in protobuf body");
    }

    int varint32() {
      return (int) varint();
    }

    private int length() {
      long n = varint();
      if (n < 0 || n > end - pos) throw new IllegalArgumentException("truncated protobuf body");
      return (int) n;
    }

    byte[] bytes() {
      int n = length();
      byte[] b = java.util.Arrays.copyOfRange(data, pos, pos + n);
      pos += n;
      return b;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    Reader message() {
      int n = length();
      Reader r = new Reader(data, pos, pos + n);
      pos += n;
      return r;
    }

    void skip(int tag) {
      switch (tag & 7) {
        case 0 -> varint();
        case 1 -> advance(8);
        case 2 -> advance(length());
        case 5 -> advance(4);
        default -> throw new IllegalArgumentException("unsupported protobuf wire type " + (tag & 7));
      }
    }

    private void advance(int n) {
      if (n > end - pos) throw new IllegalArgumentException("truncated protobuf body");
      pos += n;
    }
  }
}
