package dev.tugboat.kinds.priorityclass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy.Admission;
import dev.tugboat.model.Codec;
import dev.tugboat.registry.PriorityClasses;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriorityClassStrategyTest {
  private final PriorityClassStrategy strategy = new PriorityClassStrategy();

  private static ObjectNode pc(String name, String rest) {
    return (ObjectNode) Codec.parseTree(("{\"apiVersion\":\"scheduling.k8s.io/v1\",\"kind\":\"PriorityClass\","
        + "\"metadata\":{\"name\":\"" + name + "\"}," + rest + "}").getBytes(), false);
  }

  private static List<String> causes(Admission a) {
    assertEquals(422, a.failure().code(), () -> String.valueOf(a.failure()));
    return a.failure().details().causes().stream().map(c -> c.field() + ": " + c.message()).toList();
  }

  @Test
  void theBuiltInClassesAreValidAndCannotBeDeleted() {
    for (String name : PriorityClass.BUILT_IN.keySet()) {
      Admission a = strategy.admitCreate(PriorityClasses.builtIn(name));
      assertNull(a.failure(), () -> name + ": " + a.failure());
      assertEquals("PreemptLowerPriority", a.object().path("preemptionPolicy").asText());
      assertNotNull(strategy.undeletable(null, name));
    }
    assertEquals(2_000_001_000, PriorityClasses.builtIn("system-node-critical").path("value").asInt());
    assertNull(strategy.undeletable(null, "high"));
  }

  @Test
  void refusesReservedNamesHighValuesAndChanges() {
    assertEquals(List.of("value: Required value"), causes(strategy.admitCreate(pc("high", "\"description\":\"x\""))));
    assertEquals(List.of("value: Forbidden: maximum allowed value of a user defined priority is 1000000000"),
        causes(strategy.admitCreate(pc("high", "\"value\":1000000001"))));
    assertEquals(1, causes(strategy.admitCreate(pc("system-mine", "\"value\":5"))).size());
    assertEquals(List.of("value: Forbidden: value of system-node-critical must be 2000001000"),
        causes(strategy.admitCreate(pc("system-node-critical", "\"value\":5"))));
    assertEquals(List.of("preemptionPolicy: Unsupported value: \"Sometimes\": supported values: "
        + "\"PreemptLowerPriority\", \"Never\""),
        causes(strategy.admitCreate(pc("high", "\"value\":5,\"preemptionPolicy\":\"Sometimes\""))));
    ObjectNode current = strategy.admitCreate(pc("high", "\"value\":5")).object();
    assertEquals(List.of("value: Forbidden: may not be changed in an update."),
        causes(strategy.admitUpdate(current, pc("high", "\"value\":6,\"preemptionPolicy\":\"PreemptLowerPriority\""))));
  }

  @Test
  void onlyOneClassIsTheGlobalDefault() {
    ObjectNode reads = JsonNodeFactory.instance.objectNode();
    ArrayNode classes = reads.putArray("PriorityClass");
    classes.add(pc("normal", "\"value\":100,\"globalDefault\":true"));
    Admission second = strategy.admit(null, pc("other", "\"value\":5,\"globalDefault\":true"), reads);
    assertEquals(403, second.failure().code());
    assertEquals("priorityclasses.scheduling.k8s.io \"other\" is forbidden: PriorityClass normal is already marked "
        + "as default. Only one default can exist", second.failure().message());
    assertNull(strategy.admit(null, pc("other", "\"value\":5"), reads).failure());
    // the default itself may be written again
    assertNull(strategy.admit(classes.get(0).deepCopy(), pc("normal", "\"value\":100,\"globalDefault\":true"), reads).failure());
  }
}
