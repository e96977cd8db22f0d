package dev.tugboat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationConverterTest {
  private final DurationConverter converter = new DurationConverter();

  @Test
  void readsTheConfigurationsUnits() {
    assertEquals(Duration.ofMillis(500), converter.convert("500ms"));
    assertEquals(Duration.ofSeconds(10), converter.convert("10s"));
    assertEquals(Duration.ofMinutes(5), converter.convert("5m"));
    assertEquals(Duration.ofHours(1), converter.convert("1h"));
    assertEquals(Duration.ofSeconds(10), converter.convert("PT10S"));
  }

  @Test
  void refusesOtherUnits() {
    assertThrows(IllegalArgumentException.class, () -> converter.convert("10d"));
  }
}
