package dev.tugboat.kinds.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.SelectableField;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.kinds.configmap.ConfigData;
import dev.tugboat.model.Codec;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ResourceType;
import io.kubernetes.client.proto.V1;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Secrets (core/v1): {@code stringData} merged into {@code data}, the keys each type requires, 1 MiB
 * at most, type and (once set) data immutable; the history says that data changed, never what it is.
 */
public final class SecretStrategy extends TypedStrategy<Secret> {
  public static final ResourceType TYPE = new ResourceType("", "v1", "Secret", "secrets", "secret", List.of(), true,
      List.of(), List.of(), Secret.class);
  public static final String OPAQUE = "Opaque";
  public static final String TLS = "kubernetes.io/tls";
  public static final String DOCKER_CONFIG_JSON = "kubernetes.io/dockerconfigjson";
  public static final String DOCKER_CFG = "kubernetes.io/dockercfg";
  public static final String SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token";
  public static final String BASIC_AUTH = "kubernetes.io/basic-auth";
  public static final String SSH_AUTH = "kubernetes.io/ssh-auth";
  private static final Printer PRINTER = new SecretPrinter();
  private static final List<SelectableField> FIELDS = List.of(SelectableField.withAbsent("type", OPAQUE));

  public SecretStrategy() {
    super(TYPE, Secret.class);
  }

  /** Opaque unless said otherwise; stringData's values overwrite data's, base64-encoded, as Kubernetes. */
  @Override
  protected Secret defaults(Secret s) {
    Map<String, String> data = s.data() == null ? null : new LinkedHashMap<>(s.data());
    if (s.stringData() != null && !s.stringData().isEmpty()) {
      if (data == null) data = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : s.stringData().entrySet()) {
        String value = e.getValue() == null ? "" : e.getValue();
        data.put(e.getKey(), Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
      }
    }
    return s.withDataAndType(data, s.type() == null || s.type().isEmpty() ? OPAQUE : s.type());
  }

  @Override
  protected void validate(Secret s, List<FieldError> errors) {
    ConfigData.size(errors, ConfigData.keys(errors, "data", s.data(), true));
    Map<String, String> data = s.data() == null ? Map.of() : s.data();
    switch (s.type()) {
      case TLS -> {
        requireKey(errors, data, "tls.crt");
        requireKey(errors, data, "tls.key");
      }
      case DOCKER_CONFIG_JSON -> jsonKey(errors, data, ".dockerconfigjson");
      case DOCKER_CFG -> jsonKey(errors, data, ".dockercfg");
      case BASIC_AUTH -> {
        if (!data.containsKey("username") && !data.containsKey("password")) {
          errors.add(FieldError.required("data[username]", "must have at least one of username or password"));
        }
      }
      case SSH_AUTH -> requireKey(errors, data, "ssh-privatekey");
      case SERVICE_ACCOUNT_TOKEN -> {
        var annotations = s.metadata().annotations();
        if (annotations == null || annotations.getOrDefault("kubernetes.io/service-account.name", "").isEmpty()) {
          errors.add(FieldError.required("metadata.annotations[kubernetes.io/service-account.name]", null));
        }
      }
      default -> { } // Opaque and types of the user's own: any keys
    }
  }

  @Override
  protected void validateUpdate(Secret current, Secret updated, List<FieldError> errors) {
    if (!current.type().equals(updated.type())) errors.add(FieldError.invalid("type", updated.type(), "field is immutable"));
    ConfigData.immutable(errors, current.immutable(), updated.immutable(), Arrays.asList(current.data()),
        Arrays.asList(updated.data()));
  }

  private static void requireKey(List<FieldError> errors, Map<String, String> data, String key) {
    if (!data.containsKey(key)) errors.add(FieldError.required("data[" + key + "]", null));
  }

  private static void jsonKey(List<FieldError> errors, Map<String, String> data, String key) {
    if (!data.containsKey(key)) {
      errors.add(FieldError.required("data[" + key + "]", null));
      return;
    }
    try {
      JsonNode parsed = Codec.json().readTree(Base64.getDecoder().decode(data.get(key)));
      if (parsed == null || !parsed.isObject()) throw new IllegalArgumentException("not a JSON object");
    } catch (Exception e) {
      errors.add(FieldError.invalid("data[" + key + "]", "<secret contents redacted>", "must be valid JSON"));
    }
  }

  /**
   * Each value replaced by a digest of the object's uid, the key and the value: a change shows as a
   * changed digest, equal values in two Secrets do not look equal, and nothing of the value shows.
   */
  @Override
  public ObjectNode historyView(ObjectNode object) {
    if (!object.has("data") && !object.has("stringData")) return object;
    ObjectNode view = object.deepCopy();
    String uid = object.path("metadata").path("uid").asText("");
    for (String field : List.of("data", "stringData")) {
      if (!(view.get(field) instanceof ObjectNode values)) continue;
      List<String> keys = new java.util.ArrayList<>();
      values.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) values.put(key, "<redacted " + digest(uid, key, values.path(key).asText()) + ">");
    }
    return view;
  }

  private static String digest(String uid, String key, String value) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((uid + "\0" + key + "\0").getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(sha.digest(value.getBytes(StandardCharsets.UTF_8))).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public List<SelectableField> selectableFields() {
    return FIELDS;
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1.Secret.class, V1.SecretList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
