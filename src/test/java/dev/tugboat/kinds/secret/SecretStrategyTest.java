package dev.tugboat.kinds.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy.Admission;
import dev.tugboat.model.Codec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretStrategyTest {
  private final SecretStrategy strategy = new SecretStrategy();

  private static ObjectNode yaml(String text) {
    return (ObjectNode) Codec.parseTree(text.getBytes(), true, false);
  }

  private static List<String> causes(Admission a) {
    assertNotNull(a.failure(), "refused");
    assertEquals(422, a.failure().code());
    return a.failure().details().causes().stream().map(c -> c.field() + ": " + c.message()).toList();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes());
  }

  @Test
  void stringDataIsMergedIntoDataAndNeverStored() {
    Admission a = strategy.admitCreate(yaml("""
        apiVersion: v1
        kind: Secret
        metadata: {name: db}
        data: {user: %s, password: %s}
        stringData: {password: s3cr3t}
        """.formatted(b64("admin"), b64("old"))));
    assertNull(a.failure());
    assertEquals("Opaque", a.object().path("type").asText());
    assertEquals(b64("admin"), a.object().path("data").path("user").asText());
    assertEquals(b64("s3cr3t"), a.object().path("data").path("password").asText(), "stringData wins");
    assertFalse(a.object().has("stringData"));
  }

  @Test
  void eachTypeRequiresItsKeys() {
    assertEquals(List.of("data[tls.crt]: Required value", "data[tls.key]: Required value"), causes(strategy.admitCreate(
        yaml("apiVersion: v1\nkind: Secret\nmetadata: {name: t}\ntype: kubernetes.io/tls\n"))));
    assertEquals(List.of("data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": must be valid JSON"),
        causes(strategy.admitCreate(yaml("apiVersion: v1\nkind: Secret\nmetadata: {name: d}\n"
            + "type: kubernetes.io/dockerconfigjson\nstringData: {.dockerconfigjson: 'not json'}\n"))));
    assertNull(strategy.admitCreate(yaml("apiVersion: v1\nkind: Secret\nmetadata: {name: d}\n"
        + "type: kubernetes.io/dockerconfigjson\nstringData: {.dockerconfigjson: '{\"auths\": {}}'}\n")).failure());
    assertEquals(List.of("metadata.annotations[kubernetes.io/service-account.name]: Required value"),
        causes(strategy.admitCreate(yaml("apiVersion: v1\nkind: Secret\nmetadata: {name: sa}\n"
            + "type: kubernetes.io/service-account-token\n"))));
  }

  @Test
  void refusesBadBase64AndMoreThanOneMebibyte() {
    assertEquals(List.of("data[k]: Invalid value: \"<value omitted>\": illegal base64 data: Illegal base64 character 21"),
        causes(strategy.admitCreate(yaml("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {k: 'a!b='}\n"))));
    ObjectNode big = yaml("apiVersion: v1\nkind: Secret\nmetadata: {name: big}\n");
    big.putObject("stringData").put("blob", "x".repeat(1024 * 1024 + 1));
    List<String> causes = causes(strategy.admitCreate(big));
    assertEquals(true, causes.get(0).startsWith("data: Too long: must have at most 1048576 bytes"), causes.toString());
  }

  @Test
  void typeNeverChanges() {
    ObjectNode current = strategy.admitCreate(yaml("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
        + "stringData: {a: b}\n")).object();
    ObjectNode retyped = current.deepCopy().put("type", "example.com/custom");
    assertEquals(List.of("type: Invalid value: \"example.com/custom\": field is immutable"),
        causes(strategy.admitUpdate(current, retyped)));
  }

  @Test
  void historyShowsThatDataChangedNeverTheValues() {
    ObjectNode before = yaml("metadata: {name: s, uid: u1}\ndata: {password: %s}\n".formatted(b64("hunter2")));
    ObjectNode after = yaml("metadata: {name: s, uid: u1}\ndata: {password: %s}\n".formatted(b64("hunter3")));
    String shownBefore = strategy.historyView(before).path("data").path("password").asText();
    String shownAfter = strategy.historyView(after).path("data").path("password").asText();
    assertNotEquals(shownBefore, shownAfter, "a change shows");
    for (String shown : List.of(shownBefore, shownAfter)) {
      assertEquals(true, shown.startsWith("<redacted sha256:"), shown);
      assertFalse(shown.contains(b64("hunter2")) || shown.contains(b64("hunter3")) || shown.contains("hunter"));
    }
    assertEquals(b64("hunter2"), before.path("data").path("password").asText(), "the stored object is not touched");
  }

  @Test
  void printsTypeAndDataCountAndToStringHidesValues() {
    ObjectNode s = yaml("metadata: {name: s, creationTimestamp: '2026-01-01T00:00:00Z'}\ntype: Opaque\n"
        + "data: {a: eA==, b: eA==}\n");
    assertEquals(List.of("s", "Opaque", 2, "60s"), strategy.printer().cells(s, java.time.Instant.parse("2026-01-01T00:01:00Z")));
    Secret typed = Codec.json().convertValue(s, Secret.class);
    assertFalse(typed.toString().contains("eA=="), typed.toString());
  }
}
