package dev.tugboat.registry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tugboat.kinds.Kinds;
import org.junit.jupiter.api.Test;

class NamesThatCanExistTest {
  @Test
  void onlyNamesACreateWouldAcceptReachAnEntity() {
    var configMaps = Kinds.strategies().stream().filter(s -> s.kind().equals("ConfigMap")).findFirst().orElseThrow();
    var namespaces = Kinds.strategies().stream().filter(s -> s.kind().equals("Namespace")).findFirst().orElseThrow();
    assertTrue(Registry.canExist(configMaps, "default", "web.config-1"));
    assertFalse(Registry.canExist(configMaps, "default", "Web"));
    assertFalse(Registry.canExist(configMaps, "default", "x".repeat(254)));
    assertFalse(Registry.canExist(configMaps, "default", null));
    assertFalse(Registry.canExist(configMaps, "Default", "web"), "a namespace is a DNS label");
    assertFalse(Registry.canExist(configMaps, null, "web"));
    assertTrue(Registry.canExist(namespaces, null, "team-a"));
    assertFalse(Registry.canExist(namespaces, null, "team.a"), "namespaces are DNS labels");
  }
}
