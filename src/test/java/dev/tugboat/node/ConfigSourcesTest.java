package dev.tugboat.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Codec;
import dev.tugboat.model.Pod;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigSourcesTest {
  private static final Map<String, JsonNode> OBJECTS = Map.of(
      "ConfigMap/app", yaml("data: {LOG_LEVEL: debug, MODE: fast}\nbinaryData: {logo: AAEC}\n"),
      "Secret/db", yaml("data: {password: aHVudGVyMg==, user: YWRtaW4=}\n"));
  private static final ConfigSources.Lookup LOOKUP = (kind, name) -> Optional.ofNullable(OBJECTS.get(kind + "/" + name));

  private static JsonNode yaml(String text) {
    return Codec.parseTree(text.getBytes(StandardCharsets.UTF_8), true);
  }

  private static Pod.Container container(String yaml) {
    return Codec.json().convertValue(yaml(yaml), Pod.Container.class);
  }

  private static Pod.Volume volume(String yaml) {
    return Codec.json().convertValue(yaml(yaml), Pod.Volume.class);
  }

  @Test
  void envFromTakesEveryKeyWithItsPrefixAndKeyRefsOneKeyDecoded() {
    Pod.Container c = container("""
        name: c
        envFrom: [{configMapRef: {name: app}}, {prefix: DB_, secretRef: {name: db}}, {configMapRef: {name: nope, optional: true}}]
        env:
          - {name: PASS, valueFrom: {secretKeyRef: {name: db, key: password}}}
          - {name: LEVEL, valueFrom: {configMapKeyRef: {name: app, key: LOG_LEVEL}}}
          - {name: GONE, valueFrom: {configMapKeyRef: {name: app, key: missing, optional: true}}}
        """);
    Map<String, String> env = new LinkedHashMap<>(ConfigSources.envFrom(c, "default", LOOKUP));
    assertEquals(Map.of("LOG_LEVEL", "debug", "MODE", "fast", "logo", "\u0000\u0001\u0002", "DB_password", "hunter2",
        "DB_user", "admin"), env);
    assertEquals(Optional.of("hunter2"), ConfigSources.keyRef(c.env().get(0), "default", LOOKUP));
    assertEquals(Optional.of("debug"), ConfigSources.keyRef(c.env().get(1), "default", LOOKUP));
    assertEquals(Optional.empty(), ConfigSources.keyRef(c.env().get(2), "default", LOOKUP));
  }

  @Test
  void aMissingSourceOrKeySaysWhichAsTheKubeletDoes() {
    Pod.Container missing = container("name: c\nenvFrom: [{configMapRef: {name: app-config}}]\n");
    assertEquals("configmap \"app-config\" not found", assertThrows(ConfigSources.Missing.class,
        () -> ConfigSources.envFrom(missing, "default", LOOKUP)).getMessage());
    Pod.Container key = container("name: c\nenv: [{name: X, valueFrom: {secretKeyRef: {name: db, key: token}}}]\n");
    assertEquals("couldn't find key token in Secret default/db", assertThrows(ConfigSources.Missing.class,
        () -> ConfigSources.keyRef(key.env().get(0), "default", LOOKUP)).getMessage());
    assertEquals("secret \"tls\" not found", assertThrows(ConfigSources.Missing.class,
        () -> ConfigSources.files(volume("name: v\nsecret: {secretName: tls}\n"), "default", LOOKUP)).getMessage());
  }

  @Test
  void volumesProjectEveryKeyOrTheItemsAtTheirPathsAndModes() {
    Map<String, ConfigSources.File> all = ConfigSources.files(volume("name: v\nconfigMap: {name: app}\n"), "default", LOOKUP);
    assertEquals(java.util.Set.of("LOG_LEVEL", "MODE", "logo"), all.keySet());
    assertEquals(0644, all.get("MODE").mode());
    Map<String, ConfigSources.File> items = ConfigSources.files(volume("""
        name: v
        secret: {secretName: db, defaultMode: 0400, items: [{key: password, path: creds/pass}, {key: user, path: u, mode: 0444}]}
        """), "default", LOOKUP);
    assertEquals(java.util.List.of("creds/pass", "u"), java.util.List.copyOf(items.keySet()));
    assertArrayEquals("hunter2".getBytes(), items.get("creds/pass").content());
    assertEquals(0400, items.get("creds/pass").mode());
    assertEquals(0444, items.get("u").mode());
    assertEquals(Map.of(), ConfigSources.files(volume("name: v\nconfigMap: {name: nope, optional: true}\n"), "default", LOOKUP));
  }
}
