package dev.tugboat.kinds.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceAddressesTest {
  @Test
  void clusterIpsAreLoopbackAddressesOfTheirOwnStableAndFree() {
    String ip = ServiceAddresses.clusterIp("default/web", Set.of());
    assertEquals(ip, ServiceAddresses.clusterIp("default/web", Set.of()), "stable");
    String[] octets = ip.split("\\.");
    assertEquals("127", octets[0]);
    int second = Integer.parseInt(octets[1]);
    assertTrue(second >= 16 && second <= 31, "in 127.16.0.0/12: " + ip);
    assertNotEquals(ip, ServiceAddresses.clusterIp("default/web", Set.of(ip)), "a taken one is skipped");
  }

  @Test
  void portsComeFromTheRangeAndSkipTakenOnes() {
    int port = ServiceAddresses.port("x", 30000, 30001, Set.of());
    assertTrue(port == 30000 || port == 30001);
    assertEquals(port == 30000 ? 30001 : 30000, ServiceAddresses.port("x", 30000, 30001, Set.of(port)));
    assertEquals(-1, ServiceAddresses.port("x", 30000, 30001, Set.of(30000, 30001)));
  }

  @Test
  void podPortsRoundTripThroughTheirAnnotation() throws Exception {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("80/TCP", 20001);
    ports.put("443/TCP", 20002);
    String text = ServiceAddresses.podPortsText(ports);
    assertEquals("80/TCP=20001,443/TCP=20002", text);
    var service = new ObjectMapper().readTree("{\"metadata\":{\"annotations\":{\"" + ServiceAddresses.POD_PORTS
        + "\":\"" + text + ",junk\"}}}");
    assertEquals(ports, ServiceAddresses.podPorts(service));
  }
}
