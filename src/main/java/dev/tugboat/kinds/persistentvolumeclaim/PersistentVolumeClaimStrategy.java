package dev.tugboat.kinds.persistentvolumeclaim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.DefaultClass;
import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.SelectableField;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.kinds.persistentvolume.PersistentVolume;
import dev.tugboat.kinds.persistentvolume.PersistentVolumeStrategy;
import dev.tugboat.kinds.storageclass.StorageClass;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.Quantity;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Status;
import dev.tugboat.model.Validation;
import io.kubernetes.client.proto.V1;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * PersistentVolumeClaims (v1), with Kubernetes' defaults and admission: the default StorageClass
 * when none is named (the DefaultStorageClass plugin), the pvc-protection finalizer, Pending at
 * creation, volume mode Filesystem; and its rules: access modes and a positive storage request, a
 * spec that never changes but for the binding ({@code volumeName}, a defaulted class) and a storage
 * request of a bound claim that only grows, and only where its class allows expansion (the
 * PersistentVolumeClaimResize plugin).
 */
public final class PersistentVolumeClaimStrategy extends TypedStrategy<PersistentVolumeClaim> {
  public static final ResourceType TYPE = new ResourceType("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims",
      "persistentvolumeclaim", List.of("pvc"), true, List.of(), List.of("status"), PersistentVolumeClaim.class);
  private static final Printer PRINTER = new PersistentVolumeClaimPrinter();
  private static final List<SelectableField> FIELDS = List.of(SelectableField.of("status.phase"));
  static final String IMMUTABLE = "spec is immutable after creation except resources.requests and "
      + "volumeAttributesClassName for bound claims";

  public PersistentVolumeClaimStrategy() {
    super(TYPE, PersistentVolumeClaim.class);
  }

  @Override
  public List<String> admissionReads() {
    return List.of("StorageClass");
  }

  @Override
  public Admission admit(ObjectNode current, ObjectNode candidate, ObjectNode reads) {
    if (current == null) return super.admit(null, prepareCreate(candidate, reads));
    Admission admitted = super.admit(current, candidate);
    if (admitted.failure() != null) return admitted;
    FieldError resize = resizeError(current, admitted.object(), reads);
    if (resize == null) return admitted;
    return Admission.refused(Status.invalid(group(), kind(), current.path("metadata").path("name").asText(),
        List.of(resize)));
  }

  /**
   * What Kubernetes does to a new claim before validation: the default class when it names none
   * (absent, not ""), the protection finalizer, and status Pending.
   */
  static ObjectNode prepareCreate(ObjectNode candidate, ObjectNode reads) {
    ObjectNode claim = candidate.deepCopy();
    ObjectNode meta = claim.with("metadata");
    ArrayNode finalizers = meta.withArray("finalizers");
    boolean has = false;
    for (JsonNode f : finalizers) has |= PersistentVolumeClaim.PROTECTION_FINALIZER.equals(f.asText());
    if (!has) finalizers.add(PersistentVolumeClaim.PROTECTION_FINALIZER);
    claim.putObject("status").put("phase", "Pending");
    JsonNode spec = claim.path("spec");
    boolean named = spec.hasNonNull("storageClassName")
        || meta.path("annotations").has("volume.beta.kubernetes.io/storage-class");
    if (spec instanceof ObjectNode s && !named && reads != null) {
      String def = defaultClass(reads.path("StorageClass"));
      if (def != null) s.put("storageClassName", def);
    }
    return claim;
  }

  /** The default StorageClass among {@code classes}: the newest one marked default, as Kubernetes picks; null for none. */
  public static String defaultClass(JsonNode classes) {
    return DefaultClass.among(classes, StorageClass::isDefault);
  }

  /** A grown storage request needs a class that allows expansion. Null when there is nothing to refuse. */
  static FieldError resizeError(ObjectNode current, ObjectNode updated, ObjectNode reads) {
    BigDecimal before = storage(current);
    BigDecimal after = storage(updated);
    if (before == null || after == null || after.compareTo(before) <= 0) return null;
    String className = updated.path("spec").path("storageClassName").asText("");
    boolean allowed = false;
    if (reads != null) {
      for (JsonNode c : reads.path("StorageClass")) {
        if (className.equals(c.path("metadata").path("name").asText())) allowed = c.path("allowVolumeExpansion").asBoolean(false);
      }
    }
    if (allowed) return null;
    return FieldError.forbidden("spec.resources.requests.storage",
        "only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize");
  }

  private static BigDecimal storage(JsonNode claim) {
    JsonNode q = claim.path("spec").path("resources").path("requests").path("storage");
    try {
      return q.isMissingNode() ? null : new Quantity(q.asText()).value();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  protected PersistentVolumeClaim defaults(PersistentVolumeClaim pvc) {
    PersistentVolumeClaim.Spec s = pvc.spec();
    if (s == null) return pvc;
    return pvc.with(s.with(s.storageClassName(), s.volumeMode() == null ? "Filesystem" : s.volumeMode()), pvc.status());
  }

  @Override
  protected void validate(PersistentVolumeClaim pvc, List<FieldError> e) {
    PersistentVolumeClaim.Spec s = pvc.spec();
    if (s == null) {
      e.add(FieldError.required("spec", null));
      return;
    }
    PersistentVolumeStrategy.accessModes(e, "spec.accessModes", s.accessModes());
    Quantity storage = s.resources() == null || s.resources().requests() == null ? null
        : s.resources().requests().get("storage");
    if (storage == null) e.add(FieldError.required("spec.resources[storage]", null));
    else PersistentVolumeStrategy.positive(e, "spec.resources[storage]", storage);
    if (!PersistentVolume.VOLUME_MODES.contains(s.volumeMode())) {
      e.add(FieldError.notSupported("spec.volumeMode", s.volumeMode(), PersistentVolume.VOLUME_MODES));
    }
    if (s.storageClassName() != null && !s.storageClassName().isEmpty()) {
      for (FieldError f : Validation.validateName(Validation.NameRule.DNS_SUBDOMAIN, s.storageClassName())) {
        e.add(FieldError.invalid("spec.storageClassName", s.storageClassName(), f.message()));
      }
    }
    if (s.selector() != null) {
      try {
        LabelSelector.matcher(s.selector());
      } catch (RuntimeException bad) {
        e.add(FieldError.invalid("spec.selector", String.valueOf(s.selector()), String.valueOf(bad.getMessage())));
      }
    }
    if (pvc.status() != null && pvc.status().phase() != null && !PersistentVolumeClaim.PHASES.contains(pvc.status().phase())) {
      e.add(FieldError.notSupported("status.phase", pvc.status().phase(), PersistentVolumeClaim.PHASES));
    }
  }

  @Override
  protected void validateUpdate(PersistentVolumeClaim current, PersistentVolumeClaim updated, List<FieldError> e) {
    PersistentVolumeClaim.Spec a = current.spec();
    PersistentVolumeClaim.Spec b = updated.spec();
    if (a == null || b == null) return;
    // What the binder may write once: the volume of an unbound claim, the default class of one without.
    String volumeName = a.volumeName() == null || a.volumeName().isEmpty() ? b.volumeName() : a.volumeName();
    String className = a.storageClassName() == null ? b.storageClassName() : a.storageClassName();
    PersistentVolumeClaim.Spec allowed = new PersistentVolumeClaim.Spec(a.accessModes(), a.selector(), a.resources(),
        volumeName, className, a.volumeMode(), a.dataSource(), a.dataSourceRef(), a.volumeAttributesClassName());
    PersistentVolumeClaim.Spec comparable = new PersistentVolumeClaim.Spec(b.accessModes(), b.selector(), a.resources(),
        b.volumeName(), b.storageClassName(), b.volumeMode(), b.dataSource(), b.dataSourceRef(), a.volumeAttributesClassName());
    if (!comparable.equals(allowed)) {
      e.add(FieldError.forbidden("spec", IMMUTABLE));
      return;
    }
    if (Objects.equals(a.resources(), b.resources())) return;
    boolean bound = current.status() != null && "Bound".equals(current.status().phase());
    if (!bound) {
      e.add(FieldError.forbidden("spec", IMMUTABLE));
      return;
    }
    Quantity before = a.resources() == null || a.resources().requests() == null ? null : a.resources().requests().get("storage");
    Quantity after = b.resources() == null || b.resources().requests() == null ? null : b.resources().requests().get("storage");
    try {
      if (before != null && after != null && after.value().compareTo(before.value()) < 0) {
        e.add(FieldError.forbidden("spec.resources.requests.storage", "field can not be less than previous value"));
      }
    } catch (IllegalArgumentException invalid) {
      // validate() names it
    }
  }

  @Override
  public List<SelectableField> selectableFields() {
    return FIELDS;
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1.PersistentVolumeClaim.class, V1.PersistentVolumeClaimList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
