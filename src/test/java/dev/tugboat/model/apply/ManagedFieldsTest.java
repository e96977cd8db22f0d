package dev.tugboat.model.apply;

import static dev.tugboat.model.apply.FieldSetTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.apply.ManagedFields.Scope;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManagedFieldsTest {
  private static final FieldSchema SCHEMA = BuiltinSchema.INSTANCE;
  private static final Instant NOW = Instant.parse("2026-12-04T08:00:00.123Z");

  private static ObjectNode obj(String s) {
    return (ObjectNode) json(s);
  }

  private static ManagedFields.Merged apply(List<ManagedFieldsEntry> managed, ObjectNode live, String config,
      String manager, boolean force) {
    return assertInstanceOf(ManagedFields.Merged.class, ManagedFields.apply(managed, live, obj(config), manager, "v1",
        force, FieldSet.EMPTY, NOW, SCHEMA, Scope.ALL));
  }

  private static FieldSet fieldsOf(List<ManagedFieldsEntry> managed, String manager) {
    return managed.stream().filter(e -> e.manager().equals(manager)).map(e -> FieldSet.fromFieldsV1(e.fieldsV1()))
        .findFirst().orElse(FieldSet.EMPTY);
  }

  @Test
  void aCreateOwnsWhatItSetsButNotTheSystemsFieldsNorStatus() {
    ObjectNode created = obj("""
        {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','uid':'u','labels':{'app':'web'}},
         'spec':{'replicas':2},'status':{'replicas':0}}""");
    List<ManagedFieldsEntry> managed = ManagedFields.afterUpdate(List.of(), null, created, "kubectl-create",
        "apps/v1", null, NOW, SCHEMA, Scope.MAIN);
    assertEquals(1, managed.size());
    ManagedFieldsEntry e = managed.get(0);
    assertEquals(new ManagedFieldsEntry("kubectl-create", "Update", "apps/v1", "2026-12-04T08:00:00Z", "FieldsV1",
        json("{'f:metadata':{'f:labels':{'f:app':{}}},'f:spec':{'f:replicas':{}}}"), null), e);
  }

  @Test
  void anUpdateTakesWhatItChangesAndRemovedFieldsLeaveEveryone() {
    ObjectNode v1 = obj("{'data':{'a':'1','b':'2','c':'3'}}");
    List<ManagedFieldsEntry> managed = ManagedFields.afterUpdate(List.of(), null, v1, "one", "v1", null, NOW, SCHEMA,
        Scope.ALL);
    ObjectNode v2 = obj("{'data':{'a':'1','b':'changed','d':'4'}}");
    managed = ManagedFields.afterUpdate(managed, v1, v2, "two", "v1", null, NOW, SCHEMA, Scope.ALL);
    assertEquals(FieldSet.of(List.of("f:data", "f:a")), fieldsOf(managed, "one"));
    assertEquals(FieldSet.of(List.of("f:data", "f:b"), List.of("f:data", "f:d")), fieldsOf(managed, "two"));
    // a write that changes nothing changes no ownership
    assertEquals(managed, ManagedFields.afterUpdate(managed, v2, v2, "three", "v1", null, NOW, SCHEMA, Scope.ALL));
  }

  @Test
  void twoAppliersShareEqualValuesAndConflictOnDifferentOnes() {
    ManagedFields.Merged first = apply(List.of(), null, "{'data':{'a':'1','b':'2'}}", "alice", false);
    ManagedFields.Merged second = apply(first.managed(), first.object(), "{'data':{'b':'2','c':'3'}}", "bob", false);
    assertEquals(obj("{'data':{'a':'1','b':'2','c':'3'}}"), second.object());
    assertTrue(fieldsOf(second.managed(), "alice").contains(List.of("f:data", "f:b")));
    assertTrue(fieldsOf(second.managed(), "bob").contains(List.of("f:data", "f:b")));

    var refused = ManagedFields.apply(second.managed(), second.object(), obj("{'data':{'a':'9','c':'8'}}"), "carol",
        "v1", false, FieldSet.EMPTY, NOW, SCHEMA, Scope.ALL);
    ManagedFields.Conflicts conflicts = assertInstanceOf(ManagedFields.Conflicts.class, refused);
    assertEquals(List.of(".data.a", ".data.c"), conflicts.conflicts().stream().map(ManagedFields.Conflict::field).toList());
    assertEquals("Apply failed with 2 conflicts: conflicts with\n\"alice\" using v1:\n- .data.a\n\"bob\" using v1:\n- .data.c",
        conflicts.message());
    ManagedFields.Conflicts one = assertInstanceOf(ManagedFields.Conflicts.class, ManagedFields.apply(second.managed(),
        second.object(), obj("{'data':{'a':'9'}}"), "carol", "v1", false, FieldSet.EMPTY, NOW, SCHEMA, Scope.ALL));
    assertEquals("Apply failed with 1 conflict: conflict with \"alice\" using v1: .data.a", one.message());

    ManagedFields.Merged forced = apply(second.managed(), second.object(), "{'data':{'a':'9'}}", "carol", true);
    assertEquals("9", forced.object().path("data").path("a").asText());
    assertEquals(FieldSet.of(List.of("f:data", "f:b")), fieldsOf(forced.managed(), "alice"));
    assertEquals(FieldSet.of(List.of("f:data", "f:a")), fieldsOf(forced.managed(), "carol"));
  }

  @Test
  void aFieldLeftOutOfAnAppliersConfigGoesOnceNoOneElseOwnsIt() {
    ManagedFields.Merged first = apply(List.of(), null,
        "{'metadata':{'labels':{'a':'1','b':'2'}},'spec':{'containers':[{'name':'web','image':'i'},{'name':'side','image':'s'}]}}",
        "alice", false);
    ManagedFields.Merged shared = apply(first.managed(), first.object(), "{'metadata':{'labels':{'b':'2'}}}", "bob", false);
    ManagedFields.Merged next = apply(shared.managed(), shared.object(),
        "{'spec':{'containers':[{'name':'web','image':'i'}]}}", "alice", false);
    assertEquals(obj("{'metadata':{'labels':{'b':'2'}},'spec':{'containers':[{'name':'web','image':'i'}]}}"), next.object());
    // bob still owns b; alice owns exactly its configuration
    assertEquals(FieldSet.of(List.of("f:metadata", "f:labels", "f:b")), fieldsOf(next.managed(), "bob"));
    assertEquals(ObjectFields.of(obj("{'spec':{'containers':[{'name':'web','image':'i'}]}}"), SCHEMA),
        fieldsOf(next.managed(), "alice"));
  }

  @Test
  void anUpdatersFieldsConflictWithAnApplyAndAnObjectWithoutOwnersIsSomeoneElses() {
    ObjectNode live = obj("{'spec':{'replicas':1}}");
    List<ManagedFieldsEntry> managed = ManagedFields.afterUpdate(List.of(), null, live, "kubectl-edit", "v1", null, NOW,
        SCHEMA, Scope.ALL);
    var c = assertInstanceOf(ManagedFields.Conflicts.class, ManagedFields.apply(managed, live,
        obj("{'spec':{'replicas':3}}"), "kubectl", "apps/v1", false, FieldSet.EMPTY, NOW, SCHEMA, Scope.ALL));
    assertEquals("conflict with \"kubectl-edit\" using v1", c.conflicts().get(0).message());
    var unowned = assertInstanceOf(ManagedFields.Conflicts.class, ManagedFields.apply(List.of(), live,
        obj("{'spec':{'replicas':3}}"), "kubectl", "v1", false, FieldSet.EMPTY, NOW, SCHEMA, Scope.ALL));
    assertEquals(ManagedFields.BEFORE_FIRST_APPLY, unowned.conflicts().get(0).manager());
  }

  @Test
  void kubectlTakesOverAClientSideApplyWithoutConflict() {
    ObjectNode live = obj("{'metadata':{'name':'c','annotations':{}},'data':{'a':'1'}}");
    ((ObjectNode) live.path("metadata").path("annotations")).put(ClientSideApply.LAST_APPLIED, "{\"data\":{\"a\":\"1\"}}");
    List<ManagedFieldsEntry> csa = ManagedFields.afterUpdate(List.of(), null, live, "kubectl-client-side-apply", "v1",
        null, NOW, SCHEMA, Scope.ALL);
    FieldSet allowed = ClientSideApply.allowedConflicts("kubectl", live, SCHEMA, Scope.ALL);
    assertEquals(FieldSet.of(List.of("f:data", "f:a")), allowed);
    assertTrue(ClientSideApply.allowedConflicts("someone", live, SCHEMA, Scope.ALL).isEmpty());
    var merged = assertInstanceOf(ManagedFields.Merged.class, ManagedFields.apply(csa, live,
        obj("{'data':{'a':'2'}}"), "kubectl", "v1", false, allowed, NOW, SCHEMA, Scope.ALL));
    assertEquals("2", merged.object().path("data").path("a").asText());
    ObjectNode followed = ClientSideApply.followApply("kubectl", merged.object(), obj("{'data':{'a':'2'}}"));
    assertEquals("{\"data\":{\"a\":\"2\"}}",
        followed.path("metadata").path("annotations").path(ClientSideApply.LAST_APPLIED).asText());
  }

  @Test
  void theStatusSubresourceOwnsOnlyStatus() {
    ObjectNode live = obj("{'spec':{'replicas':1},'status':{'replicas':1}}");
    ManagedFields.Merged m = assertInstanceOf(ManagedFields.Merged.class, ManagedFields.apply(List.of(), null,
        obj("{'spec':{'replicas':5},'status':{'replicas':2}}"), "ctl", "v1", false, FieldSet.EMPTY, NOW, SCHEMA,
        Scope.STATUS));
    assertEquals(obj("{'status':{'replicas':2}}"), m.object());
    List<ManagedFieldsEntry> managed = ManagedFields.afterUpdate(List.of(), live,
        obj("{'spec':{'replicas':1},'status':{'replicas':3}}"), "ctl", "v1", "status", NOW, SCHEMA, Scope.STATUS);
    assertEquals("status", managed.get(0).subresource());
    assertEquals(FieldSet.of(List.of("f:status", "f:replicas")), fieldsOf(managed, "ctl"));
  }

  /**
   * JOSDK applies its finalizer to the main resource and the status to the status subresource under
   * one field manager. They are two entries (the status one naming its subresource), and the status
   * apply, which does not carry the finalizer, must not take the finalizer from the manager.
   */
  @Test
  void oneManagerApplyingMainAndStatusHasAnEntryForEach() {
    ObjectNode live = obj("{'metadata':{'name':'hello','finalizers':['x/finalizer']},'spec':{'replicas':2}}");
    List<ManagedFieldsEntry> managed = List.of(new ManagedFieldsEntry("op", "Apply", "v1", null, "FieldsV1",
        json("{'f:metadata':{'f:finalizers':{'v:\\\"x/finalizer\\\"':{}}}}"), null));
    ManagedFields.Merged status = assertInstanceOf(ManagedFields.Merged.class, ManagedFields.apply(managed, live,
        obj("{'metadata':{'name':'hello'},'status':{'ready':0}}"), "op", "v1", false, FieldSet.EMPTY, NOW, SCHEMA,
        Scope.STATUS));
    assertEquals(2, status.managed().size(), status.managed().toString());
    assertEquals(managed.get(0), status.managed().get(0));
    assertEquals("status", status.managed().get(1).subresource());
    assertEquals(FieldSet.of(List.of("f:status", "f:ready")), FieldSet.fromFieldsV1(status.managed().get(1).fieldsV1()));
    // and back: a main apply that leaves status out keeps the status entry
    ObjectNode withStatus = obj("{'metadata':{'name':'hello','finalizers':['x/finalizer']},'spec':{'replicas':2},"
        + "'status':{'ready':0}}");
    ManagedFields.Merged main = assertInstanceOf(ManagedFields.Merged.class, ManagedFields.apply(status.managed(),
        withStatus, obj("{'metadata':{'name':'hello','finalizers':['x/finalizer']}}"), "op", "v1", false,
        FieldSet.EMPTY, NOW, SCHEMA, Scope.MAIN));
    assertEquals(status.managed().get(1), main.managed().get(1));
    assertEquals(obj("{'ready':0}"), main.object().get("status"));
  }

  @Test
  void entriesAClientSendsAreChecked() {
    ManagedFields.check(List.of(new ManagedFieldsEntry("m", "Apply", "v1", null, "FieldsV1", json("{'f:a':{}}"), null)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ManagedFields.check(List.of(
        new ManagedFieldsEntry("m", "Patch", "v1", null, "FieldsV1", json("{}"), null))));
    assertEquals("metadata.managedFields[0].operation: Unsupported value: \"Patch\": supported values: \"Apply\", \"Update\"",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ManagedFields.check(List.of(
        new ManagedFieldsEntry("m", "Apply", "v1", null, "FieldsV1", json("{'q':{}}"), null))));
    JsonNode ok = json("{}");
    assertTrue(ok.isEmpty());
  }
}
