package dev.tugboat.kinds.persistentvolume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.SelectableField;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.Quantity;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Validation;
import io.kubernetes.client.proto.V1;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * PersistentVolumes (v1, cluster-scoped), with Kubernetes' defaults (reclaim policy Retain, volume
 * mode Filesystem, a new volume Pending until the binder sees it) and rules: a storage capacity,
 * at least one known access mode, exactly one volume source, node affinity for a {@code local}
 * volume, and a source, mode and node affinity that never change.
 */
public final class PersistentVolumeStrategy extends TypedStrategy<PersistentVolume> {
  public static final ResourceType TYPE = new ResourceType("", "v1", "PersistentVolume", "persistentvolumes",
      "persistentvolume", List.of("pv"), false, List.of(), List.of("status"), PersistentVolume.class);
  private static final Printer PRINTER = new PersistentVolumePrinter();
  private static final List<SelectableField> FIELDS = List.of(SelectableField.of("status.phase"));
  private static final List<String> HOST_PATH_TYPES = List.of("", "DirectoryOrCreate", "Directory", "FileOrCreate",
      "File", "Socket", "CharDevice", "BlockDevice");

  public PersistentVolumeStrategy() {
    super(TYPE, PersistentVolume.class);
  }

  @Override
  public Admission admit(ObjectNode current, ObjectNode candidate) {
    if (current != null) return super.admit(current, candidate);
    // A new volume starts Pending whatever it says, as Kubernetes' PrepareForCreate; the binder makes it Available.
    ObjectNode fresh = candidate.deepCopy();
    fresh.putObject("status").put("phase", "Pending");
    return super.admit(null, fresh);
  }

  @Override
  protected PersistentVolume defaults(PersistentVolume pv) {
    PersistentVolume.Spec s = pv.spec();
    if (s == null) return pv;
    return pv.with(s.withDefaults(s.persistentVolumeReclaimPolicy() == null ? "Retain" : s.persistentVolumeReclaimPolicy(),
        s.volumeMode() == null ? "Filesystem" : s.volumeMode()), pv.status());
  }

  @Override
  protected void validate(PersistentVolume pv, List<FieldError> e) {
    PersistentVolume.Spec s = pv.spec();
    if (s == null) {
      e.add(FieldError.required("spec", null));
      return;
    }
    capacity(e, "spec.capacity", s.capacity());
    accessModes(e, "spec.accessModes", s.accessModes());
    if (!PersistentVolume.RECLAIM_POLICIES.contains(s.persistentVolumeReclaimPolicy())) {
      e.add(FieldError.notSupported("spec.persistentVolumeReclaimPolicy", s.persistentVolumeReclaimPolicy(),
          PersistentVolume.RECLAIM_POLICIES));
    }
    if (!PersistentVolume.VOLUME_MODES.contains(s.volumeMode())) {
      e.add(FieldError.notSupported("spec.volumeMode", s.volumeMode(), PersistentVolume.VOLUME_MODES));
    }
    if (s.storageClassName() != null && !s.storageClassName().isEmpty()) {
      for (FieldError f : Validation.validateName(Validation.NameRule.DNS_SUBDOMAIN, s.storageClassName())) {
        e.add(FieldError.invalid("spec.storageClassName", s.storageClassName(), f.message()));
      }
    }
    List<String> sources = new ArrayList<>();
    if (s.hostPath() != null) sources.add("hostPath");
    if (s.local() != null) sources.add("local");
    if (sources.isEmpty()) e.add(FieldError.required("spec", "must specify a volume type (hostPath or local)"));
    if (sources.size() > 1) e.add(FieldError.forbidden("spec." + sources.get(1), "may not specify more than 1 volume type"));
    if (s.hostPath() != null) {
      if (s.hostPath().path() == null || s.hostPath().path().isEmpty()) e.add(FieldError.required("spec.hostPath.path", null));
      if (s.hostPath().type() != null && !HOST_PATH_TYPES.contains(s.hostPath().type())) {
        e.add(FieldError.notSupported("spec.hostPath.type", s.hostPath().type(), HOST_PATH_TYPES));
      }
    }
    if (s.local() != null) {
      if (s.local().path() == null || s.local().path().isEmpty()) e.add(FieldError.required("spec.local.path", null));
      if (s.nodeAffinity() == null || s.nodeAffinity().isNull()) {
        e.add(FieldError.required("spec.nodeAffinity", "Local volume requires node affinity"));
      }
    }
    if (s.nodeAffinity() != null && !s.nodeAffinity().isNull()) nodeAffinity(e, s.nodeAffinity());
    if (s.claimRef() != null && (s.claimRef().name() == null || s.claimRef().name().isEmpty())) {
      e.add(FieldError.required("spec.claimRef.name", null));
    }
    if (pv.status() != null && pv.status().phase() != null && !PersistentVolume.PHASES.contains(pv.status().phase())) {
      e.add(FieldError.notSupported("status.phase", pv.status().phase(), PersistentVolume.PHASES));
    }
  }

  /** {@code capacity} holds a positive {@code storage} and nothing else, as Kubernetes requires. */
  static void capacity(List<FieldError> e, String path, Map<String, Quantity> capacity) {
    if (capacity == null || capacity.isEmpty()) {
      e.add(FieldError.required(path, null));
      return;
    }
    for (String key : capacity.keySet()) {
      if (!key.equals("storage")) e.add(FieldError.notSupported(path, key, List.of("storage")));
    }
    Quantity storage = capacity.get("storage");
    if (storage == null) {
      e.add(FieldError.required(path + "[storage]", null));
      return;
    }
    positive(e, path + "[storage]", storage);
  }

  /** A quantity that parses and is more than zero. */
  public static void positive(List<FieldError> e, String path, Quantity q) {
    try {
      if (q.value().signum() <= 0) e.add(FieldError.invalid(path, q.text(), "must be greater than zero"));
    } catch (IllegalArgumentException bad) {
      e.add(FieldError.invalid(path, q.text(), bad.getMessage()));
    }
  }

  /** At least one access mode, each a known one; ReadWriteOncePod only alone. */
  public static void accessModes(List<FieldError> e, String path, List<String> modes) {
    if (modes == null || modes.isEmpty()) {
      e.add(FieldError.required(path, "at least 1 access mode is required"));
      return;
    }
    for (String m : modes) {
      if (!PersistentVolume.ACCESS_MODES.contains(m)) e.add(FieldError.notSupported(path, m, PersistentVolume.ACCESS_MODES));
    }
    if (modes.contains("ReadWriteOncePod") && modes.size() > 1) {
      e.add(FieldError.forbidden(path, "may not use ReadWriteOncePod with other access modes"));
    }
  }

  private static void nodeAffinity(List<FieldError> e, JsonNode affinity) {
    JsonNode required = affinity.path("required");
    if (required.isMissingNode() || required.isNull()) {
      e.add(FieldError.required("spec.nodeAffinity.required", "must specify required node constraints"));
      return;
    }
    JsonNode terms = required.path("nodeSelectorTerms");
    if (!terms.isArray() || terms.isEmpty()) {
      e.add(FieldError.required("spec.nodeAffinity.required.nodeSelectorTerms", "must have at least one node selector term"));
      return;
    }
    List<String> operators = List.of("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt");
    for (int i = 0; i < terms.size(); i++) {
      for (String kind : List.of("matchExpressions", "matchFields")) {
        JsonNode exprs = terms.get(i).path(kind);
        for (int j = 0; j < exprs.size(); j++) {
          String p = "spec.nodeAffinity.required.nodeSelectorTerms[" + i + "]." + kind + "[" + j + "]";
          JsonNode x = exprs.get(j);
          if (x.path("key").asText("").isEmpty()) e.add(FieldError.required(p + ".key", null));
          if (!operators.contains(x.path("operator").asText())) {
            e.add(FieldError.notSupported(p + ".operator", x.path("operator").asText(), operators));
          }
        }
      }
    }
  }

  @Override
  protected void validateUpdate(PersistentVolume current, PersistentVolume updated, List<FieldError> e) {
    PersistentVolume.Spec a = current.spec();
    PersistentVolume.Spec b = updated.spec();
    if (a == null || b == null) return;
    immutable(e, "spec.hostPath", a.hostPath(), b.hostPath());
    immutable(e, "spec.local", a.local(), b.local());
    immutable(e, "spec.volumeMode", a.volumeMode(), b.volumeMode());
    if (a.nodeAffinity() != null && !a.nodeAffinity().isNull()) immutable(e, "spec.nodeAffinity", a.nodeAffinity(), b.nodeAffinity());
  }

  private static void immutable(List<FieldError> e, String path, Object before, Object after) {
    if (!Objects.equals(before, after)) e.add(FieldError.invalid(path, after == null ? "null" : after, "field is immutable"));
  }

  @Override
  public List<SelectableField> selectableFields() {
    return FIELDS;
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1.PersistentVolume.class, V1.PersistentVolumeList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
