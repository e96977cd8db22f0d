package dev.tugboat.kinds.configmap;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ResourceType;
import io.kubernetes.client.proto.V1;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** ConfigMaps (core/v1): keys checked as Kubernetes does, 1 MiB at most, {@code immutable} honoured. */
public final class ConfigMapStrategy extends TypedStrategy<ConfigMap> {
  public static final ResourceType TYPE = new ResourceType("", "v1", "ConfigMap", "configmaps", "configmap",
      List.of("cm"), true, List.of(), List.of(), ConfigMap.class);
  private static final Printer PRINTER = new ConfigMapPrinter();

  public ConfigMapStrategy() {
    super(TYPE, ConfigMap.class);
  }

  @Override
  protected void validate(ConfigMap cm, List<FieldError> errors) {
    long size = ConfigData.keys(errors, "data", cm.data(), false);
    size += ConfigData.keys(errors, "binaryData", cm.binaryData(), true);
    ConfigData.noDuplicates(errors, "binaryData", cm.data(), cm.binaryData(), "data");
    ConfigData.size(errors, size);
  }

  @Override
  protected void validateUpdate(ConfigMap current, ConfigMap updated, List<FieldError> errors) {
    ConfigData.immutable(errors, current.immutable(), updated.immutable(),
        Arrays.asList(current.data(), current.binaryData()), Arrays.asList(updated.data(), updated.binaryData()));
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1.ConfigMap.class, V1.ConfigMapList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
