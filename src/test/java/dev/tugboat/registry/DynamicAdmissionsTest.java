package dev.tugboat.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Status;
import dev.tugboat.registry.DynamicAdmission.Outcome;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DynamicAdmissionsTest {
  private static final DynamicAdmission.Attributes CREATE = new DynamicAdmission.Attributes(
      DynamicAdmission.Operation.CREATE, ResourceType.byKind("ConfigMap").orElseThrow(), null, "default", "a", false,
      Requester.NONE);

  record Step(DynamicAdmission.Phase phase, boolean concerns, Function<ObjectNode, Outcome> answer,
      List<ObjectNode> seen) implements DynamicAdmission {
    Step(DynamicAdmission.Phase phase, boolean concerns, Function<ObjectNode, Outcome> answer) {
      this(phase, concerns, answer, new CopyOnWriteArrayList<>());
    }

    @Override
    public boolean concerns(Attributes attributes) {
      return concerns;
    }

    @Override
    public CompletionStage<Outcome> admit(Review review) {
      seen.add(review.object());
      return CompletableFuture.completedFuture(answer.apply(review.object()));
    }
  }

  private static ObjectNode object() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.putObject("metadata").put("name", "a");
    return o;
  }

  private static Function<ObjectNode, Outcome> label(String key) {
    return o -> {
      ObjectNode copy = o.deepCopy();
      ((ObjectNode) copy.get("metadata")).with("labels").put(key, "yes");
      return new Outcome.Admitted(copy, List.of("labelled " + key));
    };
  }

  @Test
  void nothingConcernsAnEmptyChainNorStepsThatSayNo() {
    DynamicAdmissions chain = new DynamicAdmissions();
    assertFalse(chain.concerns(CREATE));
    chain.add(new Step(DynamicAdmission.Phase.VALIDATING, false, o -> new Outcome.Refused(Status.forbidden("no"))));
    assertFalse(chain.concerns(CREATE));
  }

  @Test
  void mutatingStepsRunInOrderEachOnThePreviousObjectThenValidatingOnesSeeTheFinalObject() {
    DynamicAdmissions chain = new DynamicAdmissions();
    Step validating = new Step(DynamicAdmission.Phase.VALIDATING, true, o -> new Outcome.Admitted(o, List.of("ok")));
    Step first = new Step(DynamicAdmission.Phase.MUTATING, true, label("first"));
    Step second = new Step(DynamicAdmission.Phase.MUTATING, true, label("second"));
    chain.add(validating);
    chain.add(first);
    chain.add(second);

    Outcome outcome = chain.admit(new DynamicAdmission.Review(CREATE, null, object())).toCompletableFuture().join();

    assertInstanceOf(Outcome.Admitted.class, outcome);
    Outcome.Admitted admitted = (Outcome.Admitted) outcome;
    assertEquals("{\"first\":\"yes\",\"second\":\"yes\"}", admitted.object().at("/metadata/labels").toString());
    assertEquals("yes", second.seen().get(0).at("/metadata/labels/first").asText());
    assertEquals(admitted.object(), validating.seen().get(0));
    assertEquals(List.of("labelled first", "labelled second", "ok"), admitted.warnings());
  }

  @Test
  void aRefusalStopsTheChainAndAThrowingStepRefusesRatherThanFailingTheWrite() {
    DynamicAdmissions chain = new DynamicAdmissions();
    Step refusing = new Step(DynamicAdmission.Phase.MUTATING, true, o -> new Outcome.Refused(Status.forbidden("denied")));
    Step after = new Step(DynamicAdmission.Phase.VALIDATING, true, o -> new Outcome.Admitted(o, List.of()));
    chain.add(refusing);
    chain.add(after);
    Outcome outcome = chain.admit(new DynamicAdmission.Review(CREATE, null, object())).toCompletableFuture().join();
    assertEquals("denied", ((Outcome.Refused) outcome).status().message());
    assertTrue(after.seen().isEmpty());

    DynamicAdmissions broken = new DynamicAdmissions();
    broken.add(new Step(DynamicAdmission.Phase.VALIDATING, true, o -> {
      throw new IllegalStateException("bug");
    }));
    Outcome failed = broken.admit(new DynamicAdmission.Review(CREATE, null, object())).toCompletableFuture().join();
    assertEquals(500, ((Outcome.Refused) failed).status().code());
  }
}
