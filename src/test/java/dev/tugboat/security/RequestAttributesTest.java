package dev.tugboat.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Requests read as Kubernetes' RequestInfo reads them: one row per method, path and query. */
class RequestAttributesTest {

  @ParameterizedTest(name = "{0} {1}?{2}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      // method | path                                              | query                        | resource? | verb             | group | resource    | sub    | namespace | name
      "GET    | /api/v1/namespaces/ns/pods                          | -                            | true  | list             | -     | pods        | -      | ns  | -",
      "GET    | /api/v1/namespaces/ns/pods                          | watch=true                   | true  | watch            | -     | pods        | -      | ns  | -",
      "GET    | /api/v1/namespaces/ns/pods                          | watch=1&fieldSelector=metadata.name%3Dweb | true | watch | - | pods | - | ns | web",
      "GET    | /api/v1/watch/namespaces/ns/pods                    | -                            | true  | watch            | -     | pods        | -      | ns  | -",
      "GET    | /api/v1/namespaces/ns/pods/web                      | -                            | true  | get              | -     | pods        | -      | ns  | web",
      "HEAD   | /api/v1/namespaces/ns/pods/web                      | -                            | true  | get              | -     | pods        | -      | ns  | web",
      "GET    | /api/v1/namespaces/ns/pods/web/log                  | -                            | true  | get              | -     | pods        | log    | ns  | web",
      "GET    | /api/v1/namespaces/ns/pods/web/exec                 | -                            | true  | create           | -     | pods        | exec   | ns  | web",
      "POST   | /api/v1/namespaces/ns/pods/web/exec                 | -                            | true  | create           | -     | pods        | exec   | ns  | web",
      "POST   | /api/v1/namespaces/ns/pods                          | -                            | true  | create           | -     | pods        | -      | ns  | -",
      "PUT    | /apis/apps/v1/namespaces/ns/deployments/web/scale   | -                            | true  | update           | apps  | deployments | scale  | ns  | web",
      "PATCH  | /apis/apps/v1/namespaces/ns/deployments/web         | -                            | true  | patch            | apps  | deployments | -      | ns  | web",
      "DELETE | /apis/apps/v1/namespaces/ns/deployments/web         | -                            | true  | delete           | apps  | deployments | -      | ns  | web",
      "DELETE | /apis/apps/v1/namespaces/ns/deployments             | -                            | true  | deletecollection | apps  | deployments | -      | ns  | -",
      "GET    | /api/v1/pods                                        | -                            | true  | list             | -     | pods        | -      | -   | -",
      "GET    | /api/v1/nodes/n1                                    | -                            | true  | get              | -     | nodes       | -      | -   | n1",
      "GET    | /api/v1/namespaces/ns                               | -                            | true  | get              | -     | namespaces  | -      | ns  | ns",
      "PUT    | /api/v1/namespaces/ns/finalize                      | -                            | true  | update           | -     | namespaces  | finalize | ns | ns",
      "GET    | /api/v1/namespaces                                  | -                            | true  | list             | -     | namespaces  | -      | -   | -",
      "POST   | /apis/authorization.k8s.io/v1/selfsubjectaccessreviews | -                         | true  | create           | authorization.k8s.io | selfsubjectaccessreviews | - | - | -",
      "GET    | /api                                                | -                            | false | get              | -     | -           | -      | -   | -",
      "GET    | /apis                                               | -                            | false | get              | -     | -           | -      | -   | -",
      "GET    | /apis/apps                                          | -                            | false | get              | -     | -           | -      | -   | -",
      "GET    | /apis/apps/v1                                       | -                            | false | get              | -     | -           | -      | -   | -",
      "GET    | /version                                            | -                            | false | get              | -     | -           | -      | -   | -",
      "POST   | /openapi/v2                                         | -                            | false | post             | -     | -           | -      | -   | -",
  })
  void reads(String method, String path, String query, boolean resource, String verb, String group, String plural,
      String sub, String namespace, String name) {
    List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    Map<String, String> params = new java.util.HashMap<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        String[] kv = pair.split("=", 2);
        params.put(kv[0], java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    RequestAttributes a = RequestAttributes.of(method, segments, params);
    assertEquals(resource, a.resourceRequest(), "resource request");
    assertEquals(verb, a.verb(), "verb");
    assertEquals(group == null ? "" : group, a.apiGroup(), "group");
    assertEquals(plural == null ? "" : plural, a.resource(), "resource");
    assertEquals(sub == null ? "" : sub, a.subresource(), "subresource");
    assertEquals(namespace == null ? "" : namespace, a.namespace(), "namespace");
    assertEquals(name == null ? "" : name, a.name(), "name");
    if (!resource) assertEquals(path, a.path());
  }
}
