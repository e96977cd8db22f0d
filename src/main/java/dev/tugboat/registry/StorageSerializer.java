package dev.tugboat.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import dev.tugboat.model.Codec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;

/**
 * How an entity's events and snapshots are stored: Jackson CBOR, as every other message, except
 * that the contents of the kinds listed in {@code tugboat.encryption.kinds} (Secrets) are encrypted
 * first ({@link EncryptionKeys}). So the journal and the snapshots never hold them in clear, while
 * everything in memory (entity state, replies, the index, changes sent to other members) does, as
 * kube-apiserver's storage transformers do with etcd.
 *
 * <p>An encrypted object keeps its apiVersion, kind and metadata readable (the index and the
 * history need them); its {@code data} and {@code stringData} become one field, {@code encrypted}.
 */
public final class StorageSerializer extends SerializerWithStringManifest {
  /** Unique among the actor system's serializers (Pekko reserves 0-40). */
  static final int IDENTIFIER = 7001;
  private static final List<String> SECRET_FIELDS = List.of("data", "stringData");
  private static final String ENCRYPTED = "encrypted";

  private final JacksonCborSerializer cbor;
  private final EncryptionKeys keys;
  private final Set<String> kinds;

  public StorageSerializer(ExtendedActorSystem system) {
    this.cbor = new JacksonCborSerializer(system, "jackson-cbor");
    Config config = system.settings().config().getConfig("tugboat.encryption");
    this.keys = EncryptionKeys.load(Path.of(config.getString("key-file")));
    this.kinds = Set.copyOf(config.getStringList("kinds"));
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    return cbor.manifest(o);
  }

  @Override
  public byte[] toBinary(Object o) {
    return cbor.toBinary(sealed(o));
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) {
    return opened(cbor.fromBinary(bytes, manifest));
  }

  private Object sealed(Object o) {
    if (o instanceof ObjectEntity.State s && s.object() != null && encrypts(s.object())) {
      return new ObjectEntity.State(seal(s.object()), s.resourceVersion());
    }
    if (o instanceof ObjectEntity.Event e && encrypts(e.object())) {
      return e.withObject(seal(e.object()));
    }
    return o;
  }

  private Object opened(Object o) {
    if (o instanceof ObjectEntity.State s && s.object() != null && s.object().has(ENCRYPTED)) {
      return new ObjectEntity.State(open(s.object()), s.resourceVersion());
    }
    if (o instanceof ObjectEntity.Event e && e.object().has(ENCRYPTED)) {
      return e.withObject(open(e.object()));
    }
    return o;
  }

  private boolean encrypts(ObjectNode object) {
    return kinds.contains(object.path("kind").asText()) && SECRET_FIELDS.stream().anyMatch(object::has);
  }

  private ObjectNode seal(ObjectNode object) {
    ObjectNode secret = object.objectNode();
    ObjectNode sealed = object.deepCopy();
    for (String field : SECRET_FIELDS) {
      JsonNode value = sealed.remove(field);
      if (value != null) secret.set(field, value);
    }
    try {
      sealed.put(ENCRYPTED, keys.encrypt(Codec.json().writeValueAsBytes(secret)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sealed;
  }

  private ObjectNode open(ObjectNode sealed) {
    ObjectNode object = sealed.deepCopy();
    try {
      JsonNode secret = Codec.json().readTree(keys.decrypt(object.remove(ENCRYPTED).asText()));
      secret.fields().forEachRemaining(f -> object.set(f.getKey(), f.getValue()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return object;
  }
}
