package dev.tugboat.kind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.DeleteOptions;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Status;
import dev.tugboat.model.Validation;
import dev.tugboat.model.apply.BuiltinSchema;
import dev.tugboat.model.apply.FieldSchema;
import dev.tugboat.model.patch.Patches;
import java.util.List;
import java.util.Optional;

/**
 * Everything that differs from one kind to another, in one place, as Kubernetes'
 * {@code pkg/registry/<group>/<kind>/strategy.go}: its names, its admission (defaults, then
 * validation of creates and updates, immutable fields included), the fields it can be selected by,
 * its table columns, how a delete of it proceeds, and what its history may show. The generic entity,
 * the index and the API server ask the strategy and know no kind by name.
 */
public interface KindStrategy {
  /** The kind's names: group, version, kind, plural, short names, scope, subresources. */
  ResourceType type();

  default String kind() {
    return type().kind();
  }

  /** API group, "" for the core group. */
  default String group() {
    return type().group();
  }

  /** Plural resource name, as in URLs and error messages ("pods", "deployments"). */
  default String plural() {
    return type().plural();
  }

  /** What the kind's names must be (DNS subdomains unless they become DNS labels). */
  default Validation.NameRule nameRule() {
    return Validation.NameRule.DNS_SUBDOMAIN;
  }

  /**
   * The OpenAPI v3 schema a kind without a record declares for {@code version} (a custom resource's,
   * from its definition), for the API's OpenAPI documents; empty for a kind with a record.
   */
  default java.util.Optional<com.fasterxml.jackson.databind.JsonNode> declaredSchema(String version) {
    return java.util.Optional.empty();
  }

  /** True when status is written only through the status subresource. */
  default boolean hasStatus() {
    return type().subresources().contains("status");
  }

  /**
   * Defaults then validates {@code candidate}: a new object when {@code current} is null, else a
   * replacement of {@code current} (immutable fields included). Neither tree is changed.
   */
  Admission admit(ObjectNode current, ObjectNode candidate);

  /**
   * The kinds whose objects this kind's admission reads, as Kubernetes' admission plugins read
   * theirs from informer caches (DefaultStorageClass, PersistentVolumeClaimResize). The registry
   * lists them from its member's index before a write and hands them to
   * {@link #admit(ObjectNode, ObjectNode, ObjectNode)}. None unless the kind says so.
   */
  default List<String> admissionReads() {
    return List.of();
  }

  /**
   * {@link #admit(ObjectNode, ObjectNode)} with the objects of {@link #admissionReads()}: {@code reads}
   * maps each kind to an array of its objects, or is null when they could not be read (a write sent
   * past the registry); the kind then decides what it can without them.
   */
  default Admission admit(ObjectNode current, ObjectNode candidate, ObjectNode reads) {
    return admit(current, candidate);
  }

  /** Defaults then validates a new object. */
  default Admission admitCreate(ObjectNode object) {
    return admit(null, object);
  }

  /** Defaults then validates a replacement of {@code current}, including immutable fields. */
  default Admission admitUpdate(ObjectNode current, ObjectNode candidate) {
    return admit(current, candidate);
  }

  /**
   * How the kind's lists merge in a server-side apply: by default the built-in kinds' merge keys
   * (the ones strategic merge patch uses); a custom kind's from its schema.
   */
  default FieldSchema fieldSchema() {
    return BuiltinSchema.INSTANCE;
  }

  /**
   * Applies a patch of the given media type to {@code current} without changing it.
   *
   * @throws IllegalArgumentException when the patch does not apply, saying why
   */
  default ObjectNode applyPatch(String patchType, ObjectNode current, JsonNode patch) {
    JsonNode result = Patches.apply(patchType, current, patch);
    if (!(result instanceof ObjectNode object)) throw new IllegalArgumentException("the patch does not leave an object");
    return object;
  }

  /**
   * How long a delete of {@code current} waits for whoever runs it to stop it (0: deleted at once).
   * {@code requested} is the client's gracePeriodSeconds, null when it gave none.
   */
  default long deletionGracePeriod(ObjectNode current, Long requested) {
    return 0;
  }

  /**
   * Why the object {@code namespace/name} of this kind may never be deleted (a 403 says so), or
   * null: most may.
   */
  default String undeletable(String namespace, String name) {
    return null;
  }

  /**
   * The finalizers a delete with this propagation policy puts on the object: Foreground and Orphan
   * hold it until the garbage collector has dealt with its dependents.
   */
  default List<String> finalizersOnDelete(String propagationPolicy) {
    if ("Foreground".equals(propagationPolicy)) return List.of(DeleteOptions.FOREGROUND_FINALIZER);
    if ("Orphan".equals(propagationPolicy)) return List.of(DeleteOptions.ORPHAN_FINALIZER);
    return List.of();
  }

  /**
   * False for kinds whose changes are mostly periodic status reports: their events are deleted once a snapshot
   * covers them, so the journal stays small.
   */
  default boolean keepsHistory() {
    return true;
  }

  /**
   * The object as its history subresource may show it. A kind whose content is secret says that it
   * changed, never what it holds.
   */
  default ObjectNode historyView(ObjectNode object) {
    return object;
  }

  /** The fields besides metadata.name and metadata.namespace a field selector may name. */
  default List<SelectableField> selectableFields() {
    return List.of();
  }

  /** Where the scale subresource reads and writes, for kinds that list {@code scale} among their subresources. */
  default Optional<ScaleSubresource> scale() {
    return Optional.empty();
  }

  /** The kind's protobuf messages; none (JSON and YAML only) unless the kind names them. */
  default Optional<ProtobufMessages> protobuf() {
    return Optional.empty();
  }

  /**
   * The versions the kind is served at besides {@link #type()}'s, converted to and from it (a
   * HorizontalPodAutoscaler's autoscaling/v1 beside its stored v2). None unless the kind says so.
   */
  default List<VersionConversion> otherVersions() {
    return List.of();
  }

  /** The columns of {@code kubectl get}; NAME and AGE unless the kind says more. */
  default Printer printer() {
    return Printer.DEFAULT;
  }

  /** The admitted object, or the Status that refuses it (exactly one is non-null). */
  record Admission(ObjectNode object, Status failure) {
    public static Admission ok(ObjectNode object) {
      return new Admission(object, null);
    }

    public static Admission refused(Status failure) {
      return new Admission(null, failure);
    }
  }
}
