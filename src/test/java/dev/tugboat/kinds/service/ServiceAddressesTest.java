package dev.tugboat.kinds.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceAddressesTest {
  @Test
  void clusterIpsComeFromTheRangeStableAndFree() {
    String ip = ServiceAddresses.clusterIp("default/web", Set.of(), ClusterIpRange.DEFAULT);
    assertEquals(ip, ServiceAddresses.clusterIp("default/web", Set.of(), ClusterIpRange.DEFAULT), "stable");
    assertTrue(ClusterIpRange.DEFAULT.contains(ip), "in 10.96.0.0/12: " + ip);
    assertNotEquals(ip, ServiceAddresses.clusterIp("default/web", Set.of(ip), ClusterIpRange.DEFAULT), "a taken one is skipped");
    String loopback = ServiceAddresses.clusterIp("default/web", Set.of(), ClusterIpRange.parse("127.16.0.0/12"));
    assertTrue(loopback.startsWith("127.") && ClusterIpRange.parse("127.16.0.0/12").contains(loopback), loopback);
  }

  @Test
  void aSmallRangeHandsOutEveryUsableAddressOnceThenRefuses() {
    ClusterIpRange range = ClusterIpRange.parse("10.0.0.0/30"); // .1 and .2: .0 names the block, .3 is its broadcast
    Set<String> taken = new java.util.HashSet<>();
    taken.add(ServiceAddresses.clusterIp("a", taken, range));
    taken.add(ServiceAddresses.clusterIp("b", taken, range));
    assertEquals(Set.of("10.0.0.1", "10.0.0.2"), taken);
    IllegalStateException full = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> ServiceAddresses.clusterIp("c", taken, range));
    assertTrue(full.getMessage().contains("10.0.0.0/30"), full.getMessage());
  }

  @Test
  void podsReachEveryClusterIpButLoopbackOnes() {
    assertTrue(ServiceAddresses.reachableFromPods("10.96.3.7"));
    assertFalse(ServiceAddresses.reachableFromPods("127.16.3.7"));
    assertFalse(ServiceAddresses.reachableFromPods("None"));
    assertFalse(ServiceAddresses.reachableFromPods(""));
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
