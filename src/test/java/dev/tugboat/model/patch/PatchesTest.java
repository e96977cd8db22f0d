package dev.tugboat.model.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PatchesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String s) {
    try {
      return JSON.readTree(s.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(s, e);
    }
  }

  /** RFC 7386, appendix A. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      {'a':'b'}                 | {'a':'c'}                | {'a':'c'}
      {'a':'b'}                 | {'b':'c'}                | {'a':'b','b':'c'}
      {'a':'b'}                 | {'a':null}               | {}
      {'a':'b','b':'c'}         | {'a':null}               | {'b':'c'}
      {'a':['b']}               | {'a':'c'}                | {'a':'c'}
      {'a':'c'}                 | {'a':['b']}              | {'a':['b']}
      {'a':{'b':'c'}}           | {'a':{'b':'d','c':null}} | {'a':{'b':'d'}}
      {'a':[{'b':'c'}]}         | {'a':[1]}                | {'a':[1]}
      ['a','b']                 | ['c','d']                | ['c','d']
      {'a':'b'}                 | ['c']                    | ['c']
      {'a':'foo'}               | null                     | null
      {'a':'foo'}               | 'bar'                    | 'bar'
      {'e':null}                | {'a':1}                  | {'e':null,'a':1}
      [1,2]                     | {'a':'b','c':null}       | {'a':'b'}
      {}                        | {'a':{'bb':{'ccc':null}}} | {'a':{'bb':{}}}
      """)
  void mergePatchFollowsRfc7386(String target, String patch, String result) {
    assertEquals(json(result), MergePatch.apply(json(target), json(patch)));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      {'foo':'bar'}             | [{'op':'add','path':'/baz','value':'qux'}]                | {'baz':'qux','foo':'bar'}
      {'foo':['bar','baz']}     | [{'op':'add','path':'/foo/1','value':'qux'}]              | {'foo':['bar','qux','baz']}
      {'baz':'qux','foo':'bar'} | [{'op':'remove','path':'/baz'}]                           | {'foo':'bar'}
      {'foo':['bar','qux','baz']} | [{'op':'remove','path':'/foo/1'}]                       | {'foo':['bar','baz']}
      {'baz':'qux','foo':'bar'} | [{'op':'replace','path':'/baz','value':'boo'}]            | {'baz':'boo','foo':'bar'}
      {'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}} | [{'op':'move','from':'/foo/waldo','path':'/qux/thud'}] | {'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}
      {'foo':['all','grass','cows','eat']} | [{'op':'move','from':'/foo/1','path':'/foo/3'}] | {'foo':['all','cows','eat','grass']}
      {'baz':'qux','foo':['a',2,'c']} | [{'op':'test','path':'/baz','value':'qux'},{'op':'test','path':'/foo/1','value':2}] | {'baz':'qux','foo':['a',2,'c']}
      {'foo':'bar'}             | [{'op':'add','path':'/child','value':{'grandchild':{}}}]   | {'foo':'bar','child':{'grandchild':{}}}
      {'foo':['bar']}           | [{'op':'add','path':'/foo/-','value':['abc','def']}]      | {'foo':['bar',['abc','def']]}
      {'a/b':1,'m~n':2}         | [{'op':'remove','path':'/a~1b'},{'op':'copy','from':'/m~0n','path':'/c'}] | {'m~n':2,'c':2}
      """)
  void jsonPatchFollowsRfc6902(String target, String patch, String result) {
    assertEquals(json(result), JsonPatch.apply(json(target), json(patch)));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      {'baz':'qux'}             | [{'op':'test','path':'/baz','value':'bar'}]               | testing value /baz failed
      {'foo':'bar'}             | [{'op':'add','path':'/baz/bat','value':'qux'}]            | doc is missing path: /baz/bat
      {'foo':'bar'}             | [{'op':'replace','path':'/spec/foo','value':1}]           | doc is missing path: /spec/foo
      {'foo':[1]}               | [{'op':'remove','path':'/foo/5'}]                         | out of range
      {'foo':1}                 | [{'op':'frob','path':'/foo'}]                             | unexpected kind of operation
      {'foo':1}                 | {'op':'add'}                                              | must be an array
      """)
  void jsonPatchErrorsSayWhy(String target, String patch, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonPatch.apply(json(target), json(patch)));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  private static final String DEPLOYMENT = """
      {'metadata':{'name':'web','labels':{'app':'web'},'finalizers':['a']},
       'spec':{'replicas':2,'template':{'metadata':{'labels':{'app':'web'}},'spec':{
         'tolerations':[{'key':'x','operator':'Exists'}],
         'volumes':[{'name':'v1','emptyDir':{}}],
         'containers':[
           {'name':'nginx','image':'nginx:1.14','ports':[{'containerPort':80,'protocol':'TCP'}],
            'env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]},
           {'name':'sidecar','image':'busybox:1'}]}}}}""";

  /** Strategic merge patches as kubectl sends them, and what the object becomes. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      apply: new image, setElementOrder | {'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'nginx'},{'name':'sidecar'}],'containers':[{'image':'nginx:1.25','name':'nginx'}]}}}} | /spec/template/spec/containers/0/image | 'nginx:1.25'
      image change keeps other fields   | {'spec':{'template':{'spec':{'containers':[{'name':'nginx','image':'nginx:1.25'}]}}}} | /spec/template/spec/containers/0/ports/0/containerPort | 80
      second container untouched        | {'spec':{'template':{'spec':{'containers':[{'name':'nginx','image':'nginx:1.25'}]}}}} | /spec/template/spec/containers/1/image | 'busybox:1'
      rollout restart annotation        | {'spec':{'template':{'metadata':{'annotations':{'kubectl.kubernetes.io/restartedAt':'2026-11-23T01:00:00Z'}}}}} | /spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt | '2026-11-23T01:00:00Z'
      label                             | {'metadata':{'labels':{'tier':'front'}}} | /metadata/labels/app | 'web'
      add a container                   | {'spec':{'template':{'spec':{'containers':[{'name':'log','image':'log:1'}]}}}} | /spec/template/spec/containers/2/name | 'log'
      delete a container                | {'spec':{'template':{'spec':{'containers':[{'name':'sidecar','$patch':'delete'}]}}}} | /spec/template/spec/containers/1 | MISSING
      update env by name                | {'spec':{'template':{'spec':{'containers':[{'name':'nginx','env':[{'name':'B','value':'3'}]}]}}}} | /spec/template/spec/containers/0/env/1/value | '3'
      env kept when not named           | {'spec':{'template':{'spec':{'containers':[{'name':'nginx','env':[{'name':'B','value':'3'}]}]}}}} | /spec/template/spec/containers/0/env/0/value | '1'
      delete env by name                | {'spec':{'template':{'spec':{'containers':[{'name':'nginx','env':[{'name':'A','$patch':'delete'}]}]}}}} | /spec/template/spec/containers/0/env/0/name | 'B'
      ports merge by containerPort      | {'spec':{'template':{'spec':{'containers':[{'name':'nginx','ports':[{'containerPort':443}]}]}}}} | /spec/template/spec/containers/0/ports/1/containerPort | 443
      replace a list                    | {'spec':{'template':{'spec':{'containers':[{'name':'only','image':'x:1'},{'$patch':'replace'}]}}}} | /spec/template/spec/containers/1 | MISSING
      replace a map                     | {'metadata':{'labels':{'$patch':'replace','tier':'x'}}} | /metadata/labels/app | MISSING
      tolerations are replaced          | {'spec':{'template':{'spec':{'tolerations':[{'key':'y','operator':'Exists'}]}}}} | /spec/template/spec/tolerations/1 | MISSING
      null deletes a field              | {'spec':{'replicas':null}} | /spec/replicas | MISSING
      finalizers merge as a set         | {'metadata':{'finalizers':['b','a']}} | /metadata/finalizers/1 | 'b'
      deleteFromPrimitiveList           | {'metadata':{'$deleteFromPrimitiveList/finalizers':['a']}} | /metadata/finalizers/0 | MISSING
      retainKeys                        | {'spec':{'$retainKeys':['template'],'replicas':5}} | /spec/replicas | MISSING
      volumes merge by name             | {'spec':{'template':{'spec':{'volumes':[{'name':'v2','emptyDir':{}}]}}}} | /spec/template/spec/volumes/1/name | 'v2'
      setElementOrder reorders          | {'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'sidecar'},{'name':'nginx'}]}}}} | /spec/template/spec/containers/0/name | 'sidecar'
      no directive survives             | {'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'nginx'},{'name':'sidecar'}],'containers':[{'name':'nginx','image':'n:2'}]}}}} | /spec/template/spec/$setElementOrder~1containers | MISSING
      service ports merge by port       | {'spec':{'ports':[{'port':443,'name':'https'}]}} | /spec/ports/1/port | 443
      """)
  void strategicMergePatchAsKubectlSendsIt(String name, String patch, String pointer, String expected) {
    String target = name.startsWith("service") ? "{'spec':{'ports':[{'port':80,'name':'http'}]}}" : DEPLOYMENT;
    JsonNode result = StrategicMergePatch.apply(json(target), json(patch));
    JsonNode at = result.at(pointer);
    if (expected.equals("MISSING")) assertTrue(at.isMissingNode(), name + ": " + pointer + " should be gone in " + result);
    else assertEquals(json(expected), at, name + ": " + result);
    assertTrue(!result.toString().contains("$"), "no directive is stored: " + result);
  }

  @Test
  void strategicMergeErrorsSayWhy() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrategicMergePatch.apply(
        json(DEPLOYMENT), json("{'spec':{'template':{'spec':{'containers':[{'image':'x:1'}]}}}}")));
    assertTrue(e.getMessage().contains("does not contain declared merge key: name"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> StrategicMergePatch.apply(json(DEPLOYMENT), json("[1]")));
    assertThrows(IllegalArgumentException.class, () -> StrategicMergePatch.apply(json(DEPLOYMENT),
        json("{'metadata':{'$patch':'explode'}}")));
  }

  @Test
  void mediaTypesChooseTheEngine() {
    assertEquals(json("{'a':[2]}"), Patches.apply(Patches.MERGE_PATCH, json("{'a':[1]}"), json("{'a':[2]}")));
    assertEquals(json("{'a':2}"), Patches.apply(Patches.JSON_PATCH, json("{'a':1}"), json("[{'op':'replace','path':'/a','value':2}]")));
    assertThrows(IllegalArgumentException.class, () -> Patches.apply("application/apply-patch+yaml", json("{}"), json("{}")));
  }
}
