package dev.tugboat.controller.endpoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointsBuilderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode service(String targetPort) throws Exception {
    return (ObjectNode) JSON.readTree("""
        {"kind":"Service","metadata":{"name":"web","namespace":"default","labels":{"team":"a"}},
         "spec":{"selector":{"app":"web"},"ports":[{"name":"http","port":80,"targetPort":%s,"protocol":"TCP"}]}}
        """.formatted(targetPort));
  }

  private static ObjectNode pod(String name, String app, boolean ready, int hostPort, boolean terminating) throws Exception {
    ObjectNode pod = (ObjectNode) JSON.readTree("""
        {"metadata":{"name":"%s","namespace":"default","uid":"uid-%s","labels":{"app":"%s"}},
         "spec":{"nodeName":"n1"},
         "status":{"phase":"Running","hostIP":"127.0.0.1",
           "conditions":[{"type":"Ready","status":"%s"}],
           "publishedPorts":[{"containerName":"c","name":"http","containerPort":8080,"protocol":"TCP","hostIP":"127.0.0.1","hostPort":%d}]}}
        """.formatted(name, name, app, ready ? "True" : "False", hostPort));
    if (terminating) ((ObjectNode) pod.path("metadata")).put("deletionTimestamp", "2026-11-23T12:00:00Z");
    return pod;
  }

  @Test
  void readyPodsAreAddressesAtTheirHostPortsGroupedByPorts() throws Exception {
    ObjectNode endpoints = EndpointsBuilder.build(service("\"http\""), List.of(
        pod("b", "web", true, 40001, false), pod("a", "web", true, 40002, false), pod("c", "web", false, 40003, false)));
    assertEquals("web", endpoints.path("metadata").path("name").asText());
    assertEquals("a", endpoints.path("metadata").path("labels").path("team").asText());
    assertEquals(3, endpoints.path("subsets").size(), "each pod publishes another host port");
    ObjectNode first = (ObjectNode) endpoints.path("subsets").get(0);
    assertEquals("a", first.path("addresses").get(0).path("targetRef").path("name").asText(), "sorted by pod name");
    assertEquals(40002, first.path("ports").get(0).path("port").asInt());
    assertEquals("http", first.path("ports").get(0).path("name").asText());
    assertEquals("127.0.0.1", first.path("addresses").get(0).path("ip").asText());
    assertEquals("n1", first.path("addresses").get(0).path("nodeName").asText());
    assertTrue(endpoints.path("subsets").get(2).has("notReadyAddresses"), "c is not ready");
  }

  @Test
  void targetPortsByNumberAndPodsOutsideTheSelectorOrTerminating() throws Exception {
    ObjectNode endpoints = EndpointsBuilder.build(service("8080"), List.of(
        pod("a", "web", true, 40002, false), pod("other", "db", true, 40005, false), pod("gone", "web", true, 40006, true)));
    assertEquals(1, endpoints.path("subsets").size());
    assertEquals("a", endpoints.path("subsets").get(0).path("addresses").get(0).path("targetRef").path("name").asText());
  }

  /** A StatefulSet pod whose subdomain is the Service is named by its hostname; another subdomain is not. */
  @Test
  void podsOfTheServicesSubdomainCarryTheirHostname() throws Exception {
    ObjectNode named = pod("web-0", "web", true, 40002, false);
    ((ObjectNode) named.path("spec")).put("hostname", "web-0").put("subdomain", "web");
    ObjectNode elsewhere = pod("web-1", "web", true, 40003, false);
    ((ObjectNode) elsewhere.path("spec")).put("hostname", "web-1").put("subdomain", "other");
    ObjectNode endpoints = EndpointsBuilder.build(service("8080"), List.of(named, elsewhere));
    assertEquals("web-0", endpoints.at("/subsets/0/addresses/0/hostname").asText(), endpoints.toString());
    assertTrue(endpoints.at("/subsets/1/addresses/0/hostname").isMissingNode(), endpoints.toString());
  }

  @Test
  void aPodWithoutTheTargetPortIsLeftOut() throws Exception {
    ObjectNode endpoints = EndpointsBuilder.build(service("9999"), List.of(pod("a", "web", true, 40002, false)));
    assertTrue(endpoints.path("subsets").isEmpty());
  }

  @Test
  void anEmptySelectorSelectsNothing() throws Exception {
    ObjectNode service = service("8080");
    ((ObjectNode) service.path("spec")).putObject("selector");
    assertFalse(EndpointsBuilder.selects(service, pod("a", "web", true, 1, false)));
  }
}
