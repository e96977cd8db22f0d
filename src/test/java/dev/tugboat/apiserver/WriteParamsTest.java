package dev.tugboat.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tugboat.registry.WriteOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteParamsTest {
  @Test
  void theManagerDefaultsToTheUserAgentsProgramExceptForAnApply() {
    assertEquals(new WriteOptions("kubectl", false, false),
        WriteParams.of(List.of(), null, null, "kubectl/v1.33.0 (linux/amd64) kubernetes/abc", false).options());
    assertEquals("unknown", WriteParams.of(List.of(), "", null, "", false).options().fieldManager());
    assertEquals("fieldManager: Required value: is required for apply patch",
        WriteParams.of(List.of(), null, null, "kubectl/v1.33.0", true).failure().message());
    assertEquals(new WriteOptions("mine", true, true),
        WriteParams.of(List.of("All"), "mine", "true", "x", true).options());
  }

  @Test
  void badValuesAre400sNamingTheParameter() {
    assertEquals("dryRun: Unsupported value: \"Yes\": supported values: \"All\"",
        WriteParams.of(List.of("Yes"), "m", null, "", false).failure().message());
    assertEquals(400, WriteParams.of(List.of(), "m", "true", "", false).failure().code());
    assertEquals("force: Invalid value: \"maybe\": must be true or false",
        WriteParams.of(List.of(), "m", "maybe", "", true).failure().message());
    assertEquals("fieldManager: Too long: may not be more than 128 bytes",
        WriteParams.of(List.of(), "m".repeat(129), null, "", false).failure().message());
    assertEquals(400, WriteParams.of(List.of(), "a\nb", null, "", false).failure().code());
    assertNull(WriteParams.of(List.of(), "m".repeat(128), null, "", false).failure());
  }
}
