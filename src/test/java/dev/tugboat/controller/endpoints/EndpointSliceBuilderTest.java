package dev.tugboat.controller.endpoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.endpointslice.EndpointSliceStrategy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointSliceBuilderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode service() throws Exception {
    return (ObjectNode) JSON.readTree("""
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default","uid":"svc-uid","labels":{"team":"a"}},
         "spec":{"selector":{"app":"web"},"ports":[{"name":"http","port":80,"targetPort":"http","protocol":"TCP"}]}}
        """);
  }

  private static ObjectNode pod(String name, boolean ready, int hostPort, boolean terminating) throws Exception {
    ObjectNode pod = (ObjectNode) JSON.readTree("""
        {"metadata":{"name":"%s","namespace":"default","uid":"uid-%s","labels":{"app":"web"}},
         "spec":{"nodeName":"n1"},
         "status":{"phase":"Running","hostIP":"127.0.0.1",
           "conditions":[{"type":"Ready","status":"%s"}],
           "publishedPorts":[{"containerName":"c","name":"http","containerPort":8080,"protocol":"TCP","hostIP":"127.0.0.1","hostPort":%d}]}}
        """.formatted(name, name, ready ? "True" : "False", hostPort));
    if (terminating) ((ObjectNode) pod.path("metadata")).put("deletionTimestamp", "2026-11-23T12:00:00Z");
    return pod;
  }

  @Test
  void aSlicePerSetOfPortsWithConditionsLabelsAndOwner() throws Exception {
    List<EndpointSliceBuilder.Desired> slices = EndpointSliceBuilder.build(service(), List.of(
        pod("b", true, 40001, false), pod("a", false, 40001, false), pod("c", true, 40003, true)));
    assertEquals(2, slices.size(), "two sets of host ports");
    JsonNode first = slices.get(0).slice();
    assertEquals("web-", first.at("/metadata/generateName").asText());
    assertEquals("web", first.at("/metadata/labels/kubernetes.io~1service-name").asText());
    assertEquals("endpointslice-controller.k8s.io", first.at("/metadata/labels/endpointslice.kubernetes.io~1managed-by").asText());
    assertEquals("a", first.at("/metadata/labels/team").asText());
    assertEquals("svc-uid", first.at("/metadata/ownerReferences/0/uid").asText());
    assertEquals("Service", first.at("/metadata/ownerReferences/0/kind").asText());
    assertEquals("IPv4", first.path("addressType").asText());
    assertEquals("[{\"name\":\"http\",\"protocol\":\"TCP\",\"port\":40001}]", first.path("ports").toString());
    assertEquals("a", first.at("/endpoints/0/targetRef/name").asText(), "sorted by pod name");
    assertEquals("{\"ready\":false,\"serving\":false,\"terminating\":false}", first.at("/endpoints/0/conditions").toString());
    assertEquals("{\"ready\":true,\"serving\":true,\"terminating\":false}", first.at("/endpoints/1/conditions").toString());
    assertEquals("127.0.0.1", first.at("/endpoints/1/addresses/0").asText());
    assertEquals("n1", first.at("/endpoints/1/nodeName").asText());
    JsonNode terminating = slices.get(1).slice().at("/endpoints/0");
    assertEquals("{\"ready\":false,\"serving\":true,\"terminating\":true}", terminating.path("conditions").toString(),
        "a pod being deleted stays, terminating and serving while its readiness holds");
    // each is a valid EndpointSlice
    for (var s : slices) {
      ObjectNode named = s.slice().deepCopy();
      named.with("metadata").put("name", "web-x");
      assertTrue(new EndpointSliceStrategy().admitCreate(named).failure() == null, named.toString());
    }
  }

  @Test
  void aServiceWithoutEndpointsKeepsOneEmptySliceAndLargeOnesAreCutAtAHundred() throws Exception {
    List<EndpointSliceBuilder.Desired> none = EndpointSliceBuilder.build(service(), List.of());
    assertEquals(1, none.size());
    assertEquals(0, none.get(0).slice().path("endpoints").size());
    List<ObjectNode> pods = new ArrayList<>();
    for (int i = 0; i < 250; i++) pods.add(pod(String.format("p%03d", i), true, 40001, false));
    List<EndpointSliceBuilder.Desired> slices = EndpointSliceBuilder.build(service(), pods);
    assertEquals(List.of(100, 100, 50), slices.stream().map(s -> s.slice().path("endpoints").size()).toList());
    assertEquals(slices.get(0).portsKey(), slices.get(2).portsKey());
    assertTrue(EndpointSliceBuilder.managedFor(slices.get(0).slice(), "web"));
    assertFalse(EndpointSliceBuilder.managedFor(slices.get(0).slice(), "other"));
  }
}
