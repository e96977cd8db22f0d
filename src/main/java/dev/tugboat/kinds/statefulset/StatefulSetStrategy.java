package dev.tugboat.kinds.statefulset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.ScaleSubresource;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.Codec;
import dev.tugboat.model.Defaults;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.Pod;
import dev.tugboat.model.PodTemplateSpec;
import dev.tugboat.model.Quantity;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Validation;
import io.kubernetes.client.proto.V1Apps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * StatefulSets (apps/v1), with Kubernetes' defaults (one replica, OrderedReady, RollingUpdate from
 * partition 0, claims retained) and rules: pods that restart Always, claim templates with a name
 * and a valid storage request, and a spec of which only replicas, ordinals, template,
 * updateStrategy, persistentVolumeClaimRetentionPolicy and minReadySeconds may change.
 */
public final class StatefulSetStrategy extends TypedStrategy<StatefulSet> {
  public static final ResourceType TYPE = new ResourceType("apps", "v1", "StatefulSet", "statefulsets", "statefulset",
      List.of("sts"), true, List.of("all"), List.of("status", "scale"), StatefulSet.class);
  private static final List<String> POLICIES = List.of("OrderedReady", "Parallel");
  private static final List<String> STRATEGIES = List.of("OnDelete", "RollingUpdate");
  private static final List<String> RETENTION = List.of("Retain", "Delete");
  private static final List<String> ACCESS_MODES = List.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod");
  private static final String IMMUTABLE = "updates to statefulset spec for fields other than 'replicas', 'ordinals', "
      + "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

  /** NAME, READY (ready/desired), AGE; wide: containers and images, as kubectl shows them. */
  private static final Printer PRINTER = new Printer() {
    private final List<Column> columns = List.of(Column.nameColumn(),
        Column.of("Ready", "Number of the pod with ready state"), Column.age(),
        Column.wide("Containers", "Names of each container in the template."),
        Column.wide("Images", "Images referenced by each container in the template."));

    @Override
    public List<Column> columns() {
      return columns;
    }

    @Override
    public List<Object> cells(JsonNode sts, Instant now) {
      JsonNode containers = sts.path("spec").path("template").path("spec").path("containers");
      return List.of(sts.path("metadata").path("name").asText(),
          sts.path("status").path("readyReplicas").asInt(0) + "/" + sts.path("spec").path("replicas").asInt(1),
          Cells.age(sts.path("metadata").path("creationTimestamp"), now),
          Cells.joined(containers, "name"), Cells.joined(containers, "image"));
    }
  };

  public StatefulSetStrategy() {
    super(TYPE, StatefulSet.class);
  }

  @Override
  protected StatefulSet defaults(StatefulSet sts) {
    StatefulSet.Spec s = sts.spec();
    if (s == null) return sts;
    StatefulSet.UpdateStrategy strategy = s.updateStrategy();
    if (strategy == null || strategy.type() == null) {
      strategy = new StatefulSet.UpdateStrategy("RollingUpdate", strategy == null ? null : strategy.rollingUpdate());
    }
    if (strategy.type().equals("RollingUpdate")) {
      StatefulSet.RollingUpdate ru = strategy.rollingUpdate();
      strategy = new StatefulSet.UpdateStrategy("RollingUpdate", new StatefulSet.RollingUpdate(
          ru == null || ru.partition() == null ? Integer.valueOf(0) : ru.partition(), ru == null ? null : ru.maxUnavailable()));
    }
    StatefulSet.RetentionPolicy retention = s.persistentVolumeClaimRetentionPolicy();
    retention = new StatefulSet.RetentionPolicy(
        retention == null || retention.whenDeleted() == null ? "Retain" : retention.whenDeleted(),
        retention == null || retention.whenScaled() == null ? "Retain" : retention.whenScaled());
    return sts.withSpec(new StatefulSet.Spec(s.replicas() == null ? Integer.valueOf(1) : s.replicas(), s.selector(),
        Defaults.template(s.template()), s.volumeClaimTemplates(), s.serviceName(),
        s.podManagementPolicy() == null ? "OrderedReady" : s.podManagementPolicy(), strategy,
        s.revisionHistoryLimit() == null ? Integer.valueOf(10) : s.revisionHistoryLimit(),
        s.minReadySeconds() == null ? Integer.valueOf(0) : s.minReadySeconds(), retention, s.ordinals()));
  }

  @Override
  protected void validate(StatefulSet sts, List<FieldError> e) {
    StatefulSet.Spec s = sts.spec();
    if (s == null) {
      e.add(FieldError.required("spec", null));
      return;
    }
    Validation.nonNegative(e, "spec.replicas", s.replicas());
    Validation.nonNegative(e, "spec.minReadySeconds", s.minReadySeconds());
    Validation.nonNegative(e, "spec.revisionHistoryLimit", s.revisionHistoryLimit());
    Validation.selectorAndTemplate(e, s.selector(), withClaimVolumes(s), List.of("Always"));
    if (!POLICIES.contains(s.podManagementPolicy())) {
      e.add(FieldError.notSupported("spec.podManagementPolicy", s.podManagementPolicy(), POLICIES));
    }
    if (s.serviceName() != null && !s.serviceName().isEmpty()) Validation.dnsLabel(e, "spec.serviceName", s.serviceName());
    if (s.ordinals() != null) Validation.nonNegative(e, "spec.ordinals.start", s.ordinals().start());
    StatefulSet.UpdateStrategy strategy = s.updateStrategy();
    if (!STRATEGIES.contains(strategy.type())) {
      e.add(FieldError.notSupported("spec.updateStrategy.type", strategy.type(), STRATEGIES));
    } else if (strategy.type().equals("OnDelete") && strategy.rollingUpdate() != null) {
      e.add(FieldError.forbidden("spec.updateStrategy.rollingUpdate", "only allowed for updateStrategy 'RollingUpdate'"));
    } else if (strategy.rollingUpdate() != null) {
      Validation.nonNegative(e, "spec.updateStrategy.rollingUpdate.partition", strategy.rollingUpdate().partition());
      Validation.intOrPercent(e, "spec.updateStrategy.rollingUpdate.maxUnavailable", strategy.rollingUpdate().maxUnavailable());
      if (Validation.isZero(strategy.rollingUpdate().maxUnavailable())) {
        e.add(FieldError.invalid("spec.updateStrategy.rollingUpdate.maxUnavailable", "0", "must be greater than 0"));
      }
    }
    StatefulSet.RetentionPolicy r = s.persistentVolumeClaimRetentionPolicy();
    if (!RETENTION.contains(r.whenDeleted())) {
      e.add(FieldError.notSupported("spec.persistentVolumeClaimRetentionPolicy.whenDeleted", r.whenDeleted(), RETENTION));
    }
    if (!RETENTION.contains(r.whenScaled())) {
      e.add(FieldError.notSupported("spec.persistentVolumeClaimRetentionPolicy.whenScaled", r.whenScaled(), RETENTION));
    }
    claimTemplates(s.volumeClaimTemplates(), e);
  }

  /**
   * The template as its pods will have it, with a volume for each claim template, so that volume
   * mounts may name the claims (as Kubernetes validates a StatefulSet's template).
   */
  private static PodTemplateSpec withClaimVolumes(StatefulSet.Spec s) {
    PodTemplateSpec template = s.template();
    if (template == null || template.spec() == null || s.volumeClaimTemplates() == null) return template;
    List<Pod.Volume> volumes = new ArrayList<>(template.spec().volumes() == null ? List.of() : template.spec().volumes());
    for (ObjectNode claim : s.volumeClaimTemplates()) {
      String name = claim.path("metadata").path("name").asText("");
      if (name.isEmpty() || volumes.stream().anyMatch(v -> name.equals(v.name()))) continue;
      volumes.add(new Pod.Volume(name, null, null, null, null, new Pod.PersistentVolumeClaimVolume(name, null)));
    }
    return template.withSpec(template.spec().withVolumes(volumes));
  }

  /** Each claim template: a unique DNS-label name, access modes, and a valid storage request. */
  private static void claimTemplates(List<ObjectNode> templates, List<FieldError> e) {
    if (templates == null) return;
    Set<String> names = new HashSet<>();
    for (int i = 0; i < templates.size(); i++) {
      String at = "spec.volumeClaimTemplates[" + i + "]";
      JsonNode t = templates.get(i);
      String name = t.path("metadata").path("name").asText("");
      if (name.isEmpty()) e.add(FieldError.required(at + ".metadata.name", null));
      else if (!names.add(name)) e.add(FieldError.duplicate(at + ".metadata.name", name));
      else Validation.dnsLabel(e, at + ".metadata.name", name);
      JsonNode modes = t.path("spec").path("accessModes");
      if (!modes.isArray() || modes.isEmpty()) e.add(FieldError.required(at + ".spec.accessModes", "at least 1 access mode is required"));
      for (int j = 0; j < modes.size(); j++) {
        if (!ACCESS_MODES.contains(modes.get(j).asText())) {
          e.add(FieldError.notSupported(at + ".spec.accessModes[" + j + "]", modes.get(j).asText(), ACCESS_MODES));
        }
      }
      JsonNode storage = t.path("spec").path("resources").path("requests").path("storage");
      if (storage.isMissingNode() || storage.isNull()) {
        e.add(FieldError.required(at + ".spec.resources.requests.storage", null));
      } else {
        try {
          if (Quantity.parse(storage.asText()).value().signum() <= 0) {
            e.add(FieldError.invalid(at + ".spec.resources.requests.storage", storage.asText(), "must be greater than zero"));
          }
        } catch (IllegalArgumentException bad) {
          e.add(FieldError.invalid(at + ".spec.resources.requests.storage", storage.asText(), bad.getMessage()));
        }
      }
    }
  }

  @Override
  protected void validateUpdate(StatefulSet current, StatefulSet updated, List<FieldError> e) {
    StatefulSet.Spec a = current.spec();
    StatefulSet.Spec b = updated.spec();
    if (a == null || b == null) return;
    forbidden(e, "spec.selector", a.selector(), b.selector());
    forbidden(e, "spec.serviceName", a.serviceName(), b.serviceName());
    forbidden(e, "spec.volumeClaimTemplates", Codec.json().valueToTree(a.volumeClaimTemplates()),
        Codec.json().valueToTree(b.volumeClaimTemplates()));
    forbidden(e, "spec.podManagementPolicy", a.podManagementPolicy(), b.podManagementPolicy());
    forbidden(e, "spec.revisionHistoryLimit", a.revisionHistoryLimit(), b.revisionHistoryLimit());
  }

  private static void forbidden(List<FieldError> e, String field, Object before, Object after) {
    if (!Objects.equals(before, after)) e.add(FieldError.forbidden(field, IMMUTABLE));
  }

  @Override
  public Optional<ScaleSubresource> scale() {
    return Optional.of(ScaleSubresource.REPLICAS);
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1Apps.StatefulSet.class, V1Apps.StatefulSetList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
