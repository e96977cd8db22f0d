package dev.tugboat.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntOrStringTest {
  /** Kubernetes rounds maxSurge up and maxUnavailable down. */
  @ParameterizedTest(name = "{0} of {1}, up={2}: {3}")
  @CsvSource({
      "25%, 3, true, 1", "25%, 3, false, 0", "25%, 4, true, 1", "25%, 4, false, 1", "25%, 10, true, 3",
      "25%, 10, false, 2", "100%, 7, false, 7", "0%, 7, true, 0", "50%, 0, true, 0", "33%, 100, true, 33"})
  void percentagesScaleAgainstATotal(String percent, int total, boolean up, int expected) {
    assertEquals(expected, IntOrString.of(percent).scaled(total, up));
  }

  @Test
  void intsAreThemselvesAndOtherStringsAreNotScalable() {
    assertEquals(2, IntOrString.of(2).scaled(10, true));
    assertThrows(IllegalArgumentException.class, () -> IntOrString.of("http").scaled(10, true));
    assertThrows(IllegalArgumentException.class, () -> IntOrString.of("x%").scaled(10, true));
    assertThrows(IllegalArgumentException.class, () -> new IntOrString(null, null));
    assertThrows(IllegalArgumentException.class, () -> new IntOrString(1, "1"));
  }

  @Test
  void jsonNumbersAndStringsKeepTheirType() {
    Service.Port p = Codec.convert(Codec.parseTree("{\"port\":80,\"targetPort\":8080}".getBytes(), false), Service.Port.class);
    assertTrue(p.targetPort().isInt());
    assertEquals(8080, p.targetPort().intValue());
    Service.Port named = Codec.convert(Codec.parseTree("{\"port\":80,\"targetPort\":\"8080\"}".getBytes(), false),
        Service.Port.class);
    assertFalse(named.targetPort().isInt());
    assertEquals("8080", named.targetPort().strValue());
    assertEquals("{\"port\":80,\"targetPort\":\"8080\"}", Codec.toJson(named));
    assertEquals("{\"port\":80,\"targetPort\":8080}", Codec.toJson(p));
  }
}
