package dev.tugboat.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.ObjectMeta.OwnerReference;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FencingTest {
  @Test
  void onlyPodsControlledByAStatefulSetAreFenced() {
    assertTrue(Fencing.fenced(List.of(new OwnerReference("apps/v1", "StatefulSet", "db", "u", true, true))));
    assertFalse(Fencing.fenced(List.of(new OwnerReference("apps/v1", "StatefulSet", "db", "u", null, null))),
        "an owner that is not the controller");
    assertFalse(Fencing.fenced(List.of(new OwnerReference("apps/v1", "ReplicaSet", "web", "u", true, true))));
    assertFalse(Fencing.fenced((List<OwnerReference>) null));

    ObjectNode pod = JsonNodeFactory.instance.objectNode();
    assertFalse(Fencing.fenced(pod));
    pod.putObject("metadata").putArray("ownerReferences").addObject().put("kind", "StatefulSet").put("controller", true);
    assertTrue(Fencing.fenced(pod));
  }

  @Test
  void aMemberIsInTheMajorityWithMoreThanHalfReachable() {
    List<String> three = List.of("a", "b", "c");
    assertTrue(Fencing.inMajority("a", three, Set.of()));
    assertTrue(Fencing.inMajority("a", three, Set.of("c")), "a control-plane member died: the workers stay fenced in");
    assertFalse(Fencing.inMajority("a", three, Set.of("b", "c")), "cut off alone");
    assertFalse(Fencing.inMajority("a", List.of("a", "b", "c", "d"), Set.of("c", "d")), "a tie counts as losing");
    assertFalse(Fencing.inMajority("a", List.of("b", "c"), Set.of()), "not Up (joining, downed, removed)");
    assertFalse(Fencing.inMajority("a", three, Set.of("a")), "others see it unreachable");
    assertTrue(Fencing.inMajority("a", List.of("a"), Set.of()), "a one-member cluster");
  }
}
