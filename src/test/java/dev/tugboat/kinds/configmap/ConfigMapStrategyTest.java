package dev.tugboat.kinds.configmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy.Admission;
import dev.tugboat.model.Codec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigMapStrategyTest {
  private final ConfigMapStrategy strategy = new ConfigMapStrategy();

  private static ObjectNode yaml(String text) {
    return (ObjectNode) Codec.parseTree(text.getBytes(), true, false);
  }

  private static List<String> causes(Admission a) {
    assertNotNull(a.failure(), "refused");
    assertEquals(422, a.failure().code());
    return a.failure().details().causes().stream().map(c -> c.field() + ": " + c.message()).toList();
  }

  @Test
  void acceptsDataAndBinaryData() {
    Admission a = strategy.admitCreate(yaml("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: app-config, namespace: default}
        data: {LOG_LEVEL: debug, app.properties: "a=1\\nb=2\\n"}
        binaryData: {logo.png: iVBORw0KGgo=}
        """));
    assertNull(a.failure());
    assertEquals("debug", a.object().path("data").path("LOG_LEVEL").asText());
    assertEquals("iVBORw0KGgo=", a.object().path("binaryData").path("logo.png").asText());
  }

  @Test
  void refusesBadKeysDuplicatesAndBadBase64NamingEachField() {
    List<String> causes = causes(strategy.admitCreate(yaml("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: c}
        data: {"bad key": x, "..hidden": y, same: z}
        binaryData: {same: eA==, raw: "not base64!"}
        """)));
    assertEquals(List.of(
        "data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', "
            + "'_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
        "data[..hidden]: Invalid value: \"..hidden\": must not start with '..'",
        "binaryData[raw]: Invalid value: \"<value omitted>\": illegal base64 data: Illegal base64 character 20",
        "binaryData[same]: Invalid value: \"same\": duplicate of key present in data"), causes);
  }

  @Test
  void refusesMoreThanOneMebibyte() {
    ObjectNode cm = yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\n");
    cm.putObject("data").put("blob", "x".repeat(ConfigData.MAX_SIZE)).put("more", "y");
    List<String> causes = causes(strategy.admitCreate(cm));
    assertEquals(1, causes.size());
    assertEquals(true, causes.get(0).startsWith("data: Too long: must have at most 1048576 bytes"), causes.get(0));
  }

  @Test
  void anImmutableConfigMapKeepsItsDataAndStaysImmutable() {
    ObjectNode current = strategy.admitCreate(yaml("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: c}
        data: {k: v}
        immutable: true
        """)).object();
    ObjectNode changed = current.deepCopy();
    ((ObjectNode) changed.get("data")).put("k", "w");
    assertEquals(List.of("data: Forbidden: field is immutable when `immutable` is set"),
        causes(strategy.admitUpdate(current, changed)));
    ObjectNode mutable = current.deepCopy().put("immutable", false);
    assertEquals(List.of("immutable: Forbidden: field is immutable when `immutable` is set"),
        causes(strategy.admitUpdate(current, mutable)));
    ObjectNode labelled = current.deepCopy();
    ((ObjectNode) labelled.get("metadata")).putObject("labels").put("team", "a");
    assertNull(strategy.admitUpdate(current, labelled).failure(), "metadata may still change");
  }

  @Test
  void printsDataCount() {
    ObjectNode cm = yaml("metadata: {name: c, creationTimestamp: '2026-01-01T00:00:00Z'}\ndata: {a: '1', b: '2'}\n"
        + "binaryData: {c: eA==}\n");
    assertEquals(List.of("c", 3, "5m"), strategy.printer().cells(cm, java.time.Instant.parse("2026-01-01T00:05:00Z")));
  }
}
