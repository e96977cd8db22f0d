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
  void kubernetesVariablesNameTheClusterIpAndTheServicePorts() throws Exception {
    Map<String, String> env = ServiceEnv.of(List.of(service("my-web", "10.96.0.9",
        "[{\"name\":\"http\",\"port\":80,\"protocol\":\"TCP\"},{\"name\":\"dns\",\"port\":53,\"protocol\":\"UDP\"}]",
        "80/TCP=20001,53/UDP=20002")), "172.17.0.1");
    assertEquals("10.96.0.9", env.get("MY_WEB_SERVICE_HOST"));
    assertEquals("80", env.get("MY_WEB_SERVICE_PORT"));
    assertEquals("80", env.get("MY_WEB_SERVICE_PORT_HTTP"));
    assertEquals("53", env.get("MY_WEB_SERVICE_PORT_DNS"));
    assertEquals("tcp://10.96.0.9:80", env.get("MY_WEB_PORT"));
    assertEquals("udp://10.96.0.9:53", env.get("MY_WEB_PORT_53_UDP"));
    assertEquals("10.96.0.9", env.get("MY_WEB_PORT_53_UDP_ADDR"));
    assertEquals(env, ServiceEnv.of(List.of(service("my-web", "10.96.0.9",
        "[{\"name\":\"http\",\"port\":80,\"protocol\":\"TCP\"},{\"name\":\"dns\",\"port\":53,\"protocol\":\"UDP\"}]",
        "")), null), "no pod gateway or pod ports needed");
  }

  @Test
  void loopbackClusterIpsAreReachedAtTheGatewayAndThePodPorts() throws Exception {
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
    assertTrue(ServiceEnv.of(List.of(service("web", "127.16.0.9", "[{\"port\":80}]", "80/TCP=20001")), null).isEmpty(),
        "a loopback cluster IP without a pod gateway");
  }
}
