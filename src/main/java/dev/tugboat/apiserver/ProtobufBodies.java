package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.tugboat.kind.KindStrategy;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kinds.Kinds;
import dev.tugboat.model.ResourceType;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Autoscaling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bodies in {@code application/vnd.kubernetes.protobuf}, both ways: the envelope ({@code k8s\0}
 * then a {@code runtime.Unknown} naming apiVersion and kind around the message's bytes) around
 * Kubernetes' own generated messages, turned into and out of the server's JSON by
 * {@link ProtobufJson}. Which message holds which kind is said by each kind's strategy
 * ({@link KindStrategy#protobuf()}); the few messages that are no stored kind (Status, DeleteOptions,
 * Scale, the metadata-only forms, the reviews) are named here. kubectl's generators send these
 * bodies unasked from 1.32 on, and client-go's typed clients ask for them.
 */
public final class ProtobufBodies {
  public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
  private static final Logger log = LoggerFactory.getLogger(ProtobufBodies.class);
  private static final byte[] MAGIC = {'k', '8', 's', 0};
  private static final Map<String, Class<? extends Message>> MESSAGES = messages();
  /** The fields already reported as having no place in their message, so each is logged once. */
  private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

  private ProtobufBodies() {}

  private static Map<String, Class<? extends Message>> messages() {
    Map<String, Class<? extends Message>> m = new HashMap<>();
    for (KindStrategy kind : Kinds.strategies()) {
      Optional<ProtobufMessages> messages = kind.protobuf();
      if (messages.isEmpty()) continue;
      ResourceType t = kind.type();
      m.put(key(t.apiVersion(), t.kind()), messages.get().object());
      m.put(key(t.apiVersion(), t.listKind()), messages.get().list());
    }
    for (KindStrategy kind : Kinds.strategies()) {
      for (var other : kind.otherVersions()) {
        if (other.protobuf().isEmpty()) continue;
        m.put(key(other.type().apiVersion(), other.type().kind()), other.protobuf().get().object());
        m.put(key(other.type().apiVersion(), other.type().listKind()), other.protobuf().get().list());
      }
    }
    m.put(key("v1", "Status"), Meta.Status.class);
    m.put(key("meta.k8s.io/v1", "Status"), Meta.Status.class);
    m.put(key("v1", "DeleteOptions"), Meta.DeleteOptions.class);
    m.put(key("meta.k8s.io/v1", "DeleteOptions"), Meta.DeleteOptions.class);
    m.put(key("meta.k8s.io/v1", "PartialObjectMetadata"), Meta.PartialObjectMetadata.class);
    m.put(key("meta.k8s.io/v1", "PartialObjectMetadataList"), Meta.PartialObjectMetadataList.class);
    m.put(key("autoscaling/v1", "Scale"), V1Autoscaling.Scale.class);
    m.put(key("v1", "Binding"), V1.Binding.class);
    // kubectl drain's evictions: policy/v1, and v1beta1 from clients before Kubernetes 1.22
    m.put(key("policy/v1", "Eviction"), io.kubernetes.client.proto.V1Policy.Eviction.class);
    m.put(key("policy/v1beta1", "Eviction"), io.kubernetes.client.proto.V1beta1Policy.Eviction.class);
    m.put(key("authentication.k8s.io/v1", "SelfSubjectReview"), V1Authentication.SelfSubjectReview.class);
    m.put(key("authentication.k8s.io/v1", "TokenReview"), V1Authentication.TokenReview.class);
    m.put(key("authentication.k8s.io/v1", "TokenRequest"), V1Authentication.TokenRequest.class);
    // kubectl auth can-i: asked, never stored (AccessReviews)
    m.put(key("authorization.k8s.io/v1", "SelfSubjectAccessReview"),
        io.kubernetes.client.proto.V1Authorization.SelfSubjectAccessReview.class);
    m.put(key("authorization.k8s.io/v1", "SelfSubjectRulesReview"),
        io.kubernetes.client.proto.V1Authorization.SelfSubjectRulesReview.class);
    m.put(key("authorization.k8s.io/v1", "SubjectAccessReview"),
        io.kubernetes.client.proto.V1Authorization.SubjectAccessReview.class);
    m.put(key("authorization.k8s.io/v1", "LocalSubjectAccessReview"),
        io.kubernetes.client.proto.V1Authorization.LocalSubjectAccessReview.class);
    return Map.copyOf(m);
  }

  private static String key(String apiVersion, String kind) {
    return apiVersion + " " + kind;
  }

  private static final Map<Class<? extends Message>, Descriptor> DESCRIPTORS = new ConcurrentHashMap<>();

  private static Descriptor descriptor(Class<? extends Message> type) {
    return DESCRIPTORS.computeIfAbsent(type, t -> {
      try {
        return (Descriptor) t.getMethod("getDescriptor").invoke(null);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("no descriptor for " + t, e);
      }
    });
  }

  /** Whether objects of this type can be read and written as protobuf (built-in kinds can). */
  static boolean served(ResourceType type) {
    return MESSAGES.containsKey(key(type.apiVersion(), type.kind()));
  }

  /**
   * The object in a protobuf body, as JSON with its apiVersion and kind.
   *
   * @throws IllegalArgumentException for bytes that are no protobuf body (a 400)
   * @throws UnsupportedKind for a kind that has no protobuf form (a 415)
   */
  static ObjectNode decode(byte[] body) {
    if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
      throw new IllegalArgumentException("a protobuf body must start with the k8s\\0 envelope");
    }
    Runtime.Unknown unknown;
    try {
      unknown = Runtime.Unknown.parseFrom(ByteString.copyFrom(body, MAGIC.length, body.length - MAGIC.length));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("a broken protobuf envelope: " + e.getMessage());
    }
    String apiVersion = unknown.getTypeMeta().getApiVersion();
    String kind = unknown.getTypeMeta().getKind();
    Class<? extends Message> type = MESSAGES.get(key(apiVersion, kind));
    if (type == null) {
      throw new UnsupportedKind("protobuf bodies are read for Kubernetes' built-in kinds only (got "
          + (apiVersion.isEmpty() && kind.isEmpty() ? "no apiVersion and kind" : apiVersion + " " + kind)
          + "); send JSON or YAML");
    }
    Message message;
    try {
      // A DynamicMessage reads the same bytes as the generated class, and its fields are a map
      // rather than reflection on the generated accessors: the faster of the two to walk.
      message = DynamicMessage.parseFrom(descriptor(type), unknown.getRaw());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("a broken protobuf " + kind + ": " + e.getMessage());
    }
    ObjectNode object = JsonNodeFactory.instance.objectNode();
    object.put("apiVersion", apiVersion);
    object.put("kind", kind);
    object.setAll(ProtobufJson.toJson(message));
    return object;
  }

  /**
   * An answer (an object, a list, a Status) in its protobuf envelope. The caller has negotiated
   * protobuf only where its kind has a message.
   */
  static byte[] encode(ObjectNode body) {
    String apiVersion = body.path("apiVersion").asText("");
    String kind = body.path("kind").asText("");
    Class<? extends Message> type = MESSAGES.get(key(apiVersion, kind));
    if (type == null) throw new IllegalStateException("no protobuf message for " + apiVersion + " " + kind);
    Message.Builder builder = DynamicMessage.newBuilder(descriptor(type));
    List<String> dropped = new ArrayList<>();
    Message message = ProtobufJson.fromJson(body, builder, dropped);
    for (String at : dropped) {
      String field = at.replaceAll("\\[[^\\]]*\\]", "[]"); // one report for every item and key
      if (REPORTED.add(kind + " " + field)) {
        log.warn("{} {}: a field that Kubernetes' protobuf message {} does not have is left out of protobuf answers",
            kind, field, type.getSimpleName());
      }
    }
    return envelope(apiVersion, kind, message);
  }

  /** A message in the envelope Kubernetes writes around every protobuf body, as clients send it too. */
  public static byte[] envelope(String apiVersion, String kind, Message message) {
    Runtime.Unknown unknown = Runtime.Unknown.newBuilder()
        .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
        .setRaw(message.toByteString())
        .setContentEncoding("")
        .setContentType("")
        .build();
    byte[] out = new byte[MAGIC.length + unknown.getSerializedSize()];
    System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
    System.arraycopy(unknown.toByteArray(), 0, out, MAGIC.length, unknown.getSerializedSize());
    return out;
  }

  /**
   * One event of a protobuf watch: a 4-byte big-endian length, then a {@code WatchEvent} message
   * (without envelope) whose object is the enveloped object, as client-go's watch decoder reads it.
   */
  static byte[] watchFrame(String type, ObjectNode object) {
    Meta.WatchEvent event = Meta.WatchEvent.newBuilder()
        .setType(type)
        .setObject(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFrom(encode(object))))
        .build();
    int size = event.getSerializedSize();
    byte[] frame = new byte[4 + size];
    frame[0] = (byte) (size >>> 24);
    frame[1] = (byte) (size >>> 16);
    frame[2] = (byte) (size >>> 8);
    frame[3] = (byte) size;
    CodedOutputStream out = CodedOutputStream.newInstance(frame, 4, size);
    try {
      event.writeTo(out);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return frame;
  }

  /** A protobuf body of a kind that has no protobuf form: Kubernetes answers 415. */
  static final class UnsupportedKind extends IllegalArgumentException {
    UnsupportedKind(String message) {
      super(message);
    }
  }
}
