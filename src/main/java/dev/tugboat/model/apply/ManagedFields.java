package dev.tugboat.model.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who owns which fields of an object ({@code metadata.managedFields}), and how each write changes
 * that, as Kubernetes' field manager does:
 *
 * <ul>
 *   <li>a create, update or patch ({@code Update}) gives its manager the fields it added or changed,
 *       takes them from every other manager, and takes removed fields from everyone;
 *   <li>an apply ({@code Apply}) merges its configuration into the object; a field it changes that
 *       another manager owns is a conflict unless forced (then the applier takes it); a field the
 *       applier owned before and no longer sets is removed from the object unless another manager
 *       owns it too; afterwards the applier owns exactly the fields of its configuration.
 * </ul>
 *
 * <p>The system's fields (apiVersion, kind, name, namespace, uid, resourceVersion, generation,
 * timestamps, managedFields) are no one's, and a kind with a status subresource keeps status
 * ownership to writes through {@code /status} (and the rest to the main resource).
 */
public final class ManagedFields {
  private ManagedFields() {}

  /** Which part of an object a write may touch. */
  public enum Scope {
    /** The whole object: a kind without a status subresource. */
    ALL,
    /** Everything but status: the main resource of a kind with a status subresource. */
    MAIN,
    /** Only status: the status subresource. */
    STATUS
  }

  /** The manager that owns the fields of an object that had none when it was first applied to. */
  public static final String BEFORE_FIRST_APPLY = "before-first-apply";

  private static final Set<String> SYSTEM_METADATA = Set.of("name", "namespace", "uid", "resourceVersion",
      "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields",
      "selfLink");

  /** A field another manager owns, which an apply would change. */
  public record Conflict(String manager, String operation, String apiVersion, String subresource, List<String> path) {
    /** {@code conflict with "mgr" using apps/v1}, as Kubernetes words a cause. */
    public String message() {
      return "conflict with \"" + manager + "\"" + (apiVersion == null ? "" : " using " + apiVersion)
          + (subresource == null ? "" : " with subresource \"" + subresource + "\"");
    }

    public String field() {
      return FieldSet.display(path);
    }
  }

  /** What an apply comes to: the merged object and its managed fields, or the conflicts. */
  public sealed interface Applied permits Merged, Conflicts {}

  public record Merged(ObjectNode object, List<ManagedFieldsEntry> managed) implements Applied {}

  public record Conflicts(List<Conflict> conflicts) implements Applied {
    /**
     * Kubernetes' message: {@code Apply failed with 1 conflict: conflict with "a" using v1: .data.x},
     * or with several, each manager's fields on lines of their own.
     */
    public String message() {
      String head = "Apply failed with " + conflicts.size() + " conflict" + (conflicts.size() == 1 ? "" : "s") + ": ";
      if (conflicts.size() == 1) return head + conflicts.get(0).message() + ": " + conflicts.get(0).field();
      Map<String, List<String>> byManager = new LinkedHashMap<>();
      for (Conflict c : conflicts) byManager.computeIfAbsent(c.message(), k -> new ArrayList<>()).add(c.field());
      StringBuilder b = new StringBuilder(head).append("conflicts with");
      if (byManager.size() == 1) {
        Map.Entry<String, List<String>> only = byManager.entrySet().iterator().next();
        b.append(' ').append(only.getKey().substring("conflict with ".length())).append(':');
        only.getValue().forEach(f -> b.append("\n- ").append(f));
      } else {
        byManager.forEach((m, fields) -> {
          b.append('\n').append(m.substring("conflict with ".length())).append(':');
          fields.forEach(f -> b.append("\n- ").append(f));
        });
      }
      return b.toString();
    }
  }

  /** An entry with its fields decoded. */
  private record Owner(String manager, String operation, String apiVersion, String time, String subresource,
      FieldSet fields) {
    static Owner of(ManagedFieldsEntry e) {
      return new Owner(e.manager(), e.operation(), e.apiVersion(), e.time(), e.subresource(),
          FieldSet.fromFieldsV1(e.fieldsV1()));
    }

    boolean is(String manager, String operation, String subresource) {
      return this.manager.equals(manager) && this.operation.equals(operation)
          && Objects.equals(this.subresource, subresource);
    }

    Owner with(FieldSet fields) {
      return new Owner(manager, operation, apiVersion, time, subresource, fields);
    }

    ManagedFieldsEntry entry() {
      return new ManagedFieldsEntry(manager, operation, apiVersion, time, ManagedFieldsEntry.FIELDS_V1,
          fields.toFieldsV1(), subresource);
    }
  }

  /**
   * Checks entries a client sent: each names a manager, an operation of {@code Apply} or
   * {@code Update}, and FieldsV1.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static void check(List<ManagedFieldsEntry> entries) {
    for (int i = 0; i < entries.size(); i++) {
      ManagedFieldsEntry e = entries.get(i);
      String at = "metadata.managedFields[" + i + "]";
      if (e == null) throw new IllegalArgumentException(at + ": must be an object");
      if (e.manager() == null) throw new IllegalArgumentException(at + ".manager: Required value");
      if (!ManagedFieldsEntry.APPLY.equals(e.operation()) && !ManagedFieldsEntry.UPDATE.equals(e.operation())) {
        throw new IllegalArgumentException(at + ".operation: Unsupported value: \"" + e.operation()
            + "\": supported values: \"Apply\", \"Update\"");
      }
      if (e.fieldsType() != null && !ManagedFieldsEntry.FIELDS_V1.equals(e.fieldsType())) {
        throw new IllegalArgumentException(at + ".fieldsType: Unsupported value: \"" + e.fieldsType()
            + "\": supported values: \"FieldsV1\"");
      }
      try {
        FieldSet.fromFieldsV1(e.fieldsV1());
      } catch (IllegalArgumentException bad) {
        throw new IllegalArgumentException(at + ".fieldsV1: Invalid value: " + bad.getMessage());
      }
    }
  }

  /** The fields of {@code object} a write in {@code scope} may own (the system's left out). */
  public static FieldSet owned(JsonNode object, FieldSchema schema, Scope scope) {
    return ObjectFields.of(object, schema).filter(p -> ownable(p, scope));
  }

  private static boolean ownable(List<String> p, Scope scope) {
    String top = p.get(0);
    if (top.equals("f:apiVersion") || top.equals("f:kind")) return false;
    if (top.equals("f:metadata") && p.size() > 1 && SYSTEM_METADATA.contains(p.get(1).substring(2))) return false;
    boolean status = top.equals("f:status");
    return switch (scope) {
      case ALL -> true;
      case MAIN -> !status;
      case STATUS -> status;
    };
  }

  /**
   * The managed fields after a create, update or patch by {@code manager} that turned {@code live}
   * (null for a create) into {@code next}.
   */
  public static List<ManagedFieldsEntry> afterUpdate(List<ManagedFieldsEntry> managed, JsonNode live, JsonNode next,
      String manager, String apiVersion, String subresource, Instant now, FieldSchema schema, Scope scope) {
    List<Owner> owners = new ArrayList<>(managed.stream().map(Owner::of).toList());
    FieldSet nextFields = owned(next, schema, scope);
    FieldSet liveFields = live == null ? FieldSet.EMPTY : owned(live, schema, scope);
    FieldSet removed = liveFields.difference(nextFields);
    FieldSet changed = live == null ? nextFields : changed(nextFields, live, next);
    Owner mine = null;
    for (int i = 0; i < owners.size(); i++) {
      Owner o = owners.get(i);
      FieldSet kept = o.fields().difference(removed);
      if (o.is(manager, ManagedFieldsEntry.UPDATE, subresource)) {
        mine = o.with(kept.union(changed));
        owners.set(i, changed.isEmpty() ? mine : new Owner(manager, ManagedFieldsEntry.UPDATE, apiVersion,
            time(now), subresource, mine.fields()));
      } else {
        owners.set(i, o.with(kept.difference(changed)));
      }
    }
    if (mine == null && !changed.isEmpty()) {
      owners.add(new Owner(manager, ManagedFieldsEntry.UPDATE, apiVersion, time(now), subresource, changed));
    }
    return entries(owners);
  }

  /** The fields of {@code fields} whose value in {@code after} is not the one in {@code before}. */
  static FieldSet changed(FieldSet fields, JsonNode before, JsonNode after) {
    return fields.filter(p -> {
      Optional<JsonNode> b = ObjectFields.get(before, p);
      if (b.isEmpty()) return true;
      String last = p.get(p.size() - 1);
      // an item of a list is the same item while its keys are: its fields are compared one by one
      if (last.startsWith("k:") || last.startsWith("v:")) return false;
      return !ObjectFields.sameValue(b.get(), ObjectFields.get(after, p).orElse(null));
    });
  }

  /**
   * Applies {@code config} for {@code manager} to {@code live} (null: the object does not exist
   * yet). {@code allowedConflicts} are fields the applier may take without {@code force} (those of
   * a client-side apply it takes over, see {@link ClientSideApply}).
   */
  public static Applied apply(List<ManagedFieldsEntry> managed, ObjectNode live, ObjectNode config, String manager,
      String apiVersion, boolean force, FieldSet allowedConflicts, Instant now, FieldSchema schema, Scope scope) {
    ObjectNode scoped = scoped(config, scope);
    FieldSet configFields = owned(scoped, schema, scope);
    // An apply to the status subresource is an applier of its own, as in Kubernetes: a controller
    // applying status and (a finalizer, say) the main resource under one field manager has two
    // entries, and neither apply drops what the other owns.
    String subresource = scope == Scope.STATUS ? "status" : null;
    if (live == null) {
      return new Merged(scoped, List.of(new Owner(manager, ManagedFieldsEntry.APPLY, apiVersion, time(now), subresource,
          configFields).entry()));
    }
    List<Owner> owners = new ArrayList<>(managed.stream().map(Owner::of).toList());
    if (owners.isEmpty()) {
      // An object nobody has claimed yet (written before fields were tracked): what is there is
      // someone else's, so that an apply does not silently take it.
      FieldSet existing = owned(live, schema, scope);
      if (!existing.isEmpty()) {
        owners.add(new Owner(BEFORE_FIRST_APPLY, ManagedFieldsEntry.UPDATE, apiVersion, time(now), null, existing));
      }
    }
    ObjectNode merged = ObjectFields.merge(live, scoped, schema);
    FieldSet changed = changed(configFields, live, merged);
    List<Conflict> conflicts = new ArrayList<>();
    for (Owner o : owners) {
      if (o.is(manager, ManagedFieldsEntry.APPLY, subresource)) continue;
      for (List<String> p : o.fields().intersection(changed).sorted()) {
        conflicts.add(new Conflict(o.manager(), o.operation(), o.apiVersion(), o.subresource(), p));
      }
    }
    if (!conflicts.isEmpty() && !force) {
      List<Conflict> left = conflicts.stream().filter(c -> !allowedConflicts.contains(c.path())).toList();
      if (!left.isEmpty()) return new Conflicts(left);
    }
    Owner previous = null;
    for (int i = 0; i < owners.size(); i++) {
      Owner o = owners.get(i);
      if (o.is(manager, ManagedFieldsEntry.APPLY, subresource)) previous = o;
      else owners.set(i, o.with(o.fields().difference(changed)));
    }
    if (previous != null) {
      FieldSet dropped = previous.fields().difference(configFields);
      for (List<String> p : dropped.sorted()) {
        boolean ownedByOthers = false;
        for (Owner o : owners) ownedByOthers |= o != previous && o.fields().hasAtOrBelow(p);
        if (!ownedByOthers && !configFields.hasAtOrBelow(p)) ObjectFields.remove(merged, p);
      }
    }
    Owner mine = new Owner(manager, ManagedFieldsEntry.APPLY, apiVersion, time(now), subresource, configFields);
    if (previous != null) owners.set(owners.indexOf(previous), mine);
    else owners.add(mine);
    return new Merged(merged, entries(owners));
  }

  /** The configuration without what {@code scope} does not let a write set. */
  private static ObjectNode scoped(ObjectNode config, Scope scope) {
    if (scope == Scope.STATUS) {
      ObjectNode status = config.objectNode();
      if (config.has("status")) status.set("status", config.get("status").deepCopy());
      return status;
    }
    ObjectNode copy = config.deepCopy();
    if (scope == Scope.MAIN) copy.remove("status");
    return copy;
  }

  private static List<ManagedFieldsEntry> entries(List<Owner> owners) {
    return owners.stream().filter(o -> !o.fields().isEmpty()).map(Owner::entry).toList();
  }

  private static String time(Instant now) {
    return now.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
