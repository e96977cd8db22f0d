package dev.tugboat.model.apply;

import static dev.tugboat.model.apply.FieldSetTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenApiListTypesTest {
  private static final OpenApiListTypes SCHEMA = new OpenApiListTypes(json("""
      {'type':'object','properties':{'spec':{'type':'object','properties':{
        'ports':{'type':'array','x-kubernetes-list-type':'map','x-kubernetes-list-map-keys':['port','protocol'],
                 'items':{'type':'object','properties':{'port':{'type':'integer'},'protocol':{'type':'string'},
                   'hosts':{'type':'array','x-kubernetes-list-type':'set','items':{'type':'string'}}}}},
        'args':{'type':'array','items':{'type':'string'}},
        'byName':{'type':'object','additionalProperties':{'type':'array','x-kubernetes-list-type':'set',
                  'items':{'type':'string'}}}}}}}"""));

  @Test
  void listTypesComeFromTheSchemaAndDefaultToAtomic() {
    assertEquals(ListType.map(List.of("port", "protocol")), SCHEMA.listType(List.of("spec", "ports")));
    assertEquals(ListType.SET, SCHEMA.listType(List.of("spec", "ports", "hosts")));
    assertEquals(ListType.ATOMIC, SCHEMA.listType(List.of("spec", "args")));
    assertEquals(ListType.SET, SCHEMA.listType(List.of("spec", "byName", "anything")));
    assertEquals(ListType.ATOMIC, SCHEMA.listType(List.of("spec", "unknown")));
    assertEquals(ListType.SET, SCHEMA.listType(List.of("metadata", "finalizers")));
  }

  @Test
  void twoAppliersOfAMapListWithCompoundKeysShareIt() {
    ManagedFields.Merged a = (ManagedFields.Merged) ManagedFields.apply(List.of(), null,
        (ObjectNode) json("{'spec':{'ports':[{'port':80,'protocol':'TCP','hosts':['a']}]}}"), "a", "x/v1", false,
        FieldSet.EMPTY, java.time.Instant.EPOCH, SCHEMA, ManagedFields.Scope.ALL);
    ManagedFields.Merged b = (ManagedFields.Merged) ManagedFields.apply(a.managed(), a.object(),
        (ObjectNode) json("{'spec':{'ports':[{'port':80,'protocol':'UDP'},{'port':80,'protocol':'TCP','hosts':['b']}]}}"),
        "b", "x/v1", false, FieldSet.EMPTY, java.time.Instant.EPOCH, SCHEMA, ManagedFields.Scope.ALL);
    assertEquals(json("{'spec':{'ports':[{'port':80,'protocol':'TCP','hosts':['a','b']},{'port':80,'protocol':'UDP'}]}}"),
        b.object());
  }
}
