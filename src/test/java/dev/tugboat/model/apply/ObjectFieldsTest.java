package dev.tugboat.model.apply;

import static dev.tugboat.model.apply.FieldSetTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectFieldsTest {
  private static final FieldSchema BUILTIN = BuiltinSchema.INSTANCE;
  private static final String WEB = "k:{\"name\":\"web\"}";

  @Test
  void fieldsOfAnObjectFollowTheSchemaListTypes() {
    JsonNode pod = json("""
        {'metadata':{'labels':{'app':'a'},'finalizers':['x','y']},
         'spec':{'containers':[{'name':'web','image':'i','args':['a','b'],'resources':{}}],'nodeName':null}}""");
    FieldSet set = ObjectFields.of(pod, BUILTIN);
    assertEquals(FieldSet.of(
        List.of("f:metadata", "f:labels", "f:app"),
        List.of("f:metadata", "f:finalizers", "v:\"x\""),
        List.of("f:metadata", "f:finalizers", "v:\"y\""),
        List.of("f:spec", "f:containers", WEB),
        List.of("f:spec", "f:containers", WEB, "f:name"),
        List.of("f:spec", "f:containers", WEB, "f:image"),
        List.of("f:spec", "f:containers", WEB, "f:args"), // atomic: owned whole
        List.of("f:spec", "f:containers", WEB, "f:resources")), set); // an empty object is a leaf
  }

  @Test
  void aMapListWhoseItemsLackTheirKeyIsOwnedWhole() {
    FieldSet set = ObjectFields.of(json("{'spec':{'containers':[{'image':'i'}]}}"), BUILTIN);
    assertEquals(FieldSet.of(List.of("f:spec", "f:containers")), set);
    FieldSet dup = ObjectFields.of(json("{'spec':{'containers':[{'name':'a'},{'name':'a'}]}}"), BUILTIN);
    assertEquals(FieldSet.of(List.of("f:spec", "f:containers")), dup);
  }

  @Test
  void getAndRemoveByPath() {
    ObjectNode o = (ObjectNode) json("{'spec':{'containers':[{'name':'a','image':'1'},{'name':'web','image':'2'}]},"
        + "'metadata':{'finalizers':['x','y']}}");
    assertEquals("2", ObjectFields.get(o, List.of("f:spec", "f:containers", WEB, "f:image")).get().asText());
    assertTrue(ObjectFields.get(o, List.of("f:spec", "f:containers", "k:{\"name\":\"zz\"}")).isEmpty());
    ObjectFields.remove(o, List.of("f:spec", "f:containers", WEB));
    ObjectFields.remove(o, List.of("f:metadata", "f:finalizers", "v:\"x\""));
    ObjectFields.remove(o, List.of("f:nothing", "f:here")); // absent: nothing to do
    assertEquals(json("{'spec':{'containers':[{'name':'a','image':'1'}]},'metadata':{'finalizers':['y']}}"), o);
  }

  @Test
  void mergeFollowsListTypes() {
    ObjectNode live = (ObjectNode) json("""
        {'metadata':{'labels':{'a':'1'},'finalizers':['x']},
         'spec':{'replicas':1,'containers':[{'name':'a','image':'1','args':['p','q']},{'name':'b','image':'2'}]}}""");
    ObjectNode config = (ObjectNode) json("""
        {'metadata':{'labels':{'b':'2'},'finalizers':['y','x']},
         'spec':{'replicas':null,'containers':[{'name':'c','image':'3'},{'name':'a','args':['r']}]}}""");
    ObjectNode merged = ObjectFields.merge(live, config, BUILTIN);
    assertEquals(json("""
        {'metadata':{'labels':{'a':'1','b':'2'},'finalizers':['x','y']},
         'spec':{'containers':[{'name':'a','image':'1','args':['r']},{'name':'b','image':'2'},{'name':'c','image':'3'}]}}"""),
        merged);
    assertEquals(json("{'metadata':{'labels':{'a':'1'},'finalizers':['x']}}").get("metadata"), live.get("metadata"));
  }

  @Test
  void numbersAreTheSameByValue() {
    assertTrue(ObjectFields.sameValue(json("{'a':1}"), json("{'a':1.0}")));
  }
}
