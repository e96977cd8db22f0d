package dev.tugboat.kinds.storageclass;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Validation;
import io.kubernetes.client.proto.V1Storage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * StorageClasses (storage.k8s.io/v1), with Kubernetes' defaults (reclaim policy Delete, binding
 * Immediate) and rules: a provisioner that is a qualified name, a known reclaim policy and binding
 * mode, and a provisioner, parameters, reclaim policy and binding mode that never change.
 */
public final class StorageClassStrategy extends TypedStrategy<StorageClass> {
  public static final ResourceType TYPE = new ResourceType("storage.k8s.io", "v1", "StorageClass", "storageclasses",
      "storageclass", List.of("sc"), false, List.of(), List.of(), StorageClass.class);
  private static final Printer PRINTER = new StorageClassPrinter();
  private static final List<String> RECLAIM = List.of("Delete", "Retain");

  public StorageClassStrategy() {
    super(TYPE, StorageClass.class);
  }

  @Override
  protected StorageClass defaults(StorageClass sc) {
    return sc.withDefaults(sc.reclaimPolicy() == null ? "Delete" : sc.reclaimPolicy(),
        sc.volumeBindingMode() == null ? "Immediate" : sc.volumeBindingMode());
  }

  @Override
  protected void validate(StorageClass sc, List<FieldError> e) {
    if (sc.provisioner() == null || sc.provisioner().isEmpty()) {
      e.add(FieldError.required("provisioner", null));
    } else {
      if (sc.provisioner().length() > 63) e.add(FieldError.tooLong("provisioner", sc.provisioner(), 63));
      for (String problem : Validation.labelKeyProblems(sc.provisioner())) {
        e.add(FieldError.invalid("provisioner", sc.provisioner(), problem));
      }
    }
    if (sc.parameters() != null && sc.parameters().size() > 512) {
      e.add(FieldError.tooLong("parameters", sc.parameters().size(), 512));
    }
    if (!RECLAIM.contains(sc.reclaimPolicy())) e.add(FieldError.notSupported("reclaimPolicy", sc.reclaimPolicy(), RECLAIM));
    if (!StorageClass.BINDING_MODES.contains(sc.volumeBindingMode())) {
      e.add(FieldError.notSupported("volumeBindingMode", sc.volumeBindingMode(), StorageClass.BINDING_MODES));
    }
  }

  @Override
  protected void validateUpdate(StorageClass current, StorageClass updated, List<FieldError> e) {
    immutable(e, "provisioner", current.provisioner(), updated.provisioner());
    immutable(e, "parameters", current.parameters(), updated.parameters());
    immutable(e, "reclaimPolicy", current.reclaimPolicy(), updated.reclaimPolicy());
    immutable(e, "volumeBindingMode", current.volumeBindingMode(), updated.volumeBindingMode());
  }

  private static void immutable(List<FieldError> e, String path, Object before, Object after) {
    if (!Objects.equals(before, after)) e.add(FieldError.forbidden(path, "updates to " + path + " are forbidden."));
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1Storage.StorageClass.class, V1Storage.StorageClassList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
