package dev.tugboat.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class DockerRuntimeTest {
  @Test
  void aBridgeWithoutAGatewayUsesItsSubnetsFirstAddress() {
    assertEquals("172.17.0.1", DockerRuntime.firstAddress("172.17.0.0/16"));
    assertEquals("10.1.2.1", DockerRuntime.firstAddress("10.1.2.0/24"));
    assertEquals("192.168.1.0", DockerRuntime.firstAddress("192.168.0.255/23"));
    assertNull(DockerRuntime.firstAddress("fd00::/64"));
    assertNull(DockerRuntime.firstAddress(null));
  }
}
