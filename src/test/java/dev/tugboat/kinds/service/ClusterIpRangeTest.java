package dev.tugboat.kinds.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ClusterIpRangeTest {
  @Test
  void aBlockKnowsItsAddresses() {
    ClusterIpRange range = ClusterIpRange.parse("10.96.0.0/12");
    assertEquals("10.96.0.0/12", range.toString());
    assertEquals(1 << 20, range.size());
    assertEquals("10.96.0.1", range.address(1));
    assertEquals("10.111.255.255", range.address(range.size() - 1));
    assertTrue(range.contains("10.96.0.10"));
    assertTrue(range.contains("10.111.255.254"));
    assertFalse(range.contains("10.112.0.1"));
    assertFalse(range.contains("10.95.255.255"));
    assertFalse(range.contains("None"));
    assertFalse(range.contains("10.96.0.300"));
    assertFalse(range.isLoopback());
    assertTrue(ClusterIpRange.parse("127.16.0.0/12").isLoopback());
    assertThrows(IllegalArgumentException.class, () -> range.address(range.size()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.96.0.0", "10.96.0.1/12", "10.96.0.0/33", "10.96.0.0/4", "10.96.0/12", "ten/12", "10.96.0.0/x",
      "10.96.0.256/24", "010.96.0.0/12"})
  void whatIsNoBlockIsRefusedSayingWhy(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterIpRange.parse(text));
    assertFalse(e.getMessage().isBlank());
  }
}
