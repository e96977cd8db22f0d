package dev.tugboat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceEnvTest {
  private static ObjectNode service(String name, String clusterIp, String ports, String podPorts) throws Exception {
    return (ObjectNode) new ObjectMapper().readTree("""
        {"metadata":{"name":"%s","annotations":{"service.tugboat.dev/pod-ports":"%s"}},
         "spec":{"clusterIP":"%s","ports":%s}}""".formatted(name, podPorts, clusterIp, ports));
  }

  @Test
  void kubernetesVariablesPointAtTheGatewayAndThePodPorts() throws Exception {
    Map<String, String> env = ServiceEnv.of(List.of(service("my-web", "127.16.0.9",
        "[{\"name\":\"http\",\"port\":80,\"protocol\":\"TCP\"},{\"name\":\"admin-ui\",\"port\":9000,\"protocol\":\"TCP\"}]",
        "80/TCP=20001,9000/TCP=20002")), "172.17.0.1");
    assertEquals("172.17.0.1", env.get("MY_WEB_SERVICE_HOST"));
    assertEquals("20001", env.get("MY_WEB_SERVICE_PORT"));
    assertEquals("20001", env.get("MY_WEB_SERVICE_PORT_HTTP"));
    assertEquals("20002", env.get("MY_WEB_SERVICE_PORT_ADMIN_UI"));
    assertEquals("tcp://172.17.0.1:20001", env.get("MY_WEB_PORT"));
    assertEquals("tcp://172.17.0.1:20002", env.get("MY_WEB_PORT_9000_TCP"));
    assertEquals("20002", env.get("MY_WEB_PORT_9000_TCP_PORT"));
  }

  @Test
  void headlessServicesAndServicesNotYetAllocatedGiveNothing() throws Exception {
    assertTrue(ServiceEnv.of(List.of(service("headless", "None", "[{\"port\":80}]", "80/TCP=20001")), "172.17.0.1").isEmpty());
    assertTrue(ServiceEnv.of(List.of(service("fresh", "", "[{\"port\":80}]", "")), "172.17.0.1").isEmpty());
    assertTrue(ServiceEnv.of(List.of(service("web", "127.16.0.9", "[{\"port\":80}]", "80/TCP=20001")), null).isEmpty());
  }
}
