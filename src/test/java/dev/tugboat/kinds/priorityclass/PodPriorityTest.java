package dev.tugboat.kinds.priorityclass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy.Admission;
import dev.tugboat.kinds.pod.PodStrategy;
import dev.tugboat.model.Codec;
import dev.tugboat.registry.PriorityClasses;
import org.junit.jupiter.api.Test;

/** A new pod's priority from its class, through the pod strategy's admission (Kubernetes' Priority plugin). */
class PodPriorityTest {
  private final PodStrategy pods = new PodStrategy();

  private static ObjectNode pod(String spec) {
    return (ObjectNode) Codec.parseTree(("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\","
        + "\"namespace\":\"default\"},\"spec\":{" + spec + "\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}")
        .getBytes(), false);
  }

  private static ObjectNode reads(boolean withDefault) {
    ObjectNode reads = JsonNodeFactory.instance.objectNode();
    ArrayNode classes = reads.putArray("PriorityClass");
    classes.add(PriorityClasses.builtIn("system-cluster-critical"));
    classes.add((ObjectNode) Codec.parseTree(("{\"metadata\":{\"name\":\"batch\"},\"value\":-10,"
        + "\"preemptionPolicy\":\"Never\"}").getBytes(), false));
    if (withDefault) {
      classes.add((ObjectNode) Codec.parseTree("{\"metadata\":{\"name\":\"normal\"},\"value\":100,\"globalDefault\":true}"
          .getBytes(), false));
    }
    return reads;
  }

  @Test
  void aNamedClassGivesItsPriorityAndPolicy() {
    Admission a = pods.admit(null, pod("\"priorityClassName\":\"batch\","), reads(true));
    assertNull(a.failure(), () -> String.valueOf(a.failure()));
    assertEquals(-10, a.object().path("spec").path("priority").asInt());
    assertEquals("Never", a.object().path("spec").path("preemptionPolicy").asText());
    Admission critical = pods.admit(null, pod("\"priorityClassName\":\"system-cluster-critical\","), reads(false));
    assertEquals(2_000_000_000, critical.object().path("spec").path("priority").asInt());
  }

  @Test
  void noClassMeansTheGlobalDefaultOrZero() {
    Admission d = pods.admit(null, pod(""), reads(true));
    assertEquals("normal", d.object().path("spec").path("priorityClassName").asText());
    assertEquals(100, d.object().path("spec").path("priority").asInt());
    Admission none = pods.admit(null, pod(""), reads(false));
    assertEquals(0, none.object().path("spec").path("priority").asInt());
    assertFalse(none.object().path("spec").has("priorityClassName"));
    assertEquals("PreemptLowerPriority", none.object().path("spec").path("preemptionPolicy").asText());
  }

  @Test
  void anUnknownClassOrAPriorityByHandIsForbidden() {
    Admission unknown = pods.admit(null, pod("\"priorityClassName\":\"gold\","), reads(true));
    assertEquals(403, unknown.failure().code());
    assertEquals("pods \"p\" is forbidden: no PriorityClass with name gold was found", unknown.failure().message());
    Admission byHand = pods.admit(null, pod("\"priorityClassName\":\"batch\",\"priority\":5,"), reads(true));
    assertEquals(403, byHand.failure().code());
    assertEquals("pods \"p\" is forbidden: the integer value of priority (5) must not be provided in pod spec; "
        + "priority admission controller computed -10 from the given PriorityClass name", byHand.failure().message());
    // the same value as the class's is no conflict (a pod written back as read)
    assertNull(pods.admit(null, pod("\"priorityClassName\":\"batch\",\"priority\":-10,"), reads(true)).failure());
  }
}
