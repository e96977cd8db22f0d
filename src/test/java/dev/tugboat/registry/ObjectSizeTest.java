package dev.tugboat.registry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ObjectSizeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode configMap(String value) {
    ObjectNode o = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
    o.putObject("metadata").put("name", "big").put("namespace", "default").putObject("labels").put("app", "x");
    o.putObject("data").put("blob", value);
    o.putArray("list").add(1).add(true).add(2.5).addNull().add("ü€𝄞");
    return o;
  }

  @Test
  void theCountIsCloseToTheSerializedSizeAndNeverBelowIt() throws Exception {
    for (String value : new String[] {"", "short", "x".repeat(10_000), "ü€𝄞".repeat(3_000)}) {
      ObjectNode o = configMap(value);
      long actual = JSON.writeValueAsBytes(o).length;
      long counted = ObjectSize.bytes(o, Long.MAX_VALUE);
      assertTrue(counted >= actual, "counted " + counted + " < serialized " + actual);
      assertTrue(counted <= actual * 1.1 + 64, "counted " + counted + " far above serialized " + actual);
    }
  }

  @Test
  void anObjectOverOneAndAHalfMiBIsOverTheLimitAndOneUnderItIsNot() {
    assertFalse(ObjectSize.exceeds(configMap("x".repeat(1_400 * 1024)), ObjectSize.LIMIT));
    assertTrue(ObjectSize.exceeds(configMap("x".repeat(1_600 * 1024)), ObjectSize.LIMIT));
    // multi-byte characters count as their UTF-8 bytes: 600 Ki of 3-byte characters is 1.8 MiB
    assertTrue(ObjectSize.exceeds(configMap("€".repeat(600 * 1024)), ObjectSize.LIMIT));
    assertTrue(new String("€").getBytes(StandardCharsets.UTF_8).length == 3);
  }
}
