package dev.tugboat.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.ObjectReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The recorder's pacing: a few writes at once, the rest queued in order, the overflow dropped with a 429. */
class EventRecorderTest {
  private final List<ObjectNode> written = new ArrayList<>();
  private final List<CompletableFuture<Result>> answers = new ArrayList<>();
  private final EventRecorder recorder = new EventRecorder((namespace, event) -> {
    written.add(event);
    CompletableFuture<Result> answer = new CompletableFuture<>();
    answers.add(answer);
    return answer;
  }, Runnable::run, "test-scheduler", "host-1");

  private CompletionStage<Result> record(int i) {
    return recorder.record(new ObjectReference("Pod", "ns", "p" + i, "uid-" + i, "v1", null, null),
        "Normal", "Scheduled", "pod " + i);
  }

  @Test
  void fourWritesAtOnceTheRestQueuedThenTheOverflowDropped() {
    List<CompletionStage<Result>> results = new ArrayList<>();
    int total = EventRecorder.MAX_IN_FLIGHT + EventRecorder.MAX_QUEUED + 2;
    for (int i = 0; i < total; i++) results.add(record(i));
    assertEquals(EventRecorder.MAX_IN_FLIGHT, written.size(), "only a few writes at once");
    for (int i = total - 2; i < total; i++) {
      Result dropped = results.get(i).toCompletableFuture().getNow(null);
      assertInstanceOf(Result.Failed.class, dropped);
      assertEquals(429, ((Result.Failed) dropped).status().code());
    }
    assertFalse(results.get(EventRecorder.MAX_IN_FLIGHT).toCompletableFuture().isDone(), "queued, not dropped");

    // each answered write sends the oldest queued event
    answers.get(0).complete(new Result.Ok(written.get(0), true));
    assertTrue(results.get(0).toCompletableFuture().isDone());
    assertEquals(EventRecorder.MAX_IN_FLIGHT + 1, written.size());
    assertEquals("p" + EventRecorder.MAX_IN_FLIGHT, written.get(EventRecorder.MAX_IN_FLIGHT).at("/involvedObject/name").asText());
    answers.get(1).completeExceptionally(new IllegalStateException("store down"));
    assertTrue(results.get(1).toCompletableFuture().isCompletedExceptionally());
    assertEquals(EventRecorder.MAX_IN_FLIGHT + 2, written.size(), "a failed write frees its place too");

    // drained: every queued event is written, and the recorder takes new ones again
    for (int i = 2; i < answers.size(); i++) answers.get(i).complete(new Result.Ok(written.get(i), true));
    assertEquals(EventRecorder.MAX_IN_FLIGHT + EventRecorder.MAX_QUEUED, written.size());
    CompletionStage<Result> later = record(total);
    assertEquals(EventRecorder.MAX_IN_FLIGHT + EventRecorder.MAX_QUEUED + 1, written.size(), "written at once");
    assertFalse(later.toCompletableFuture().isDone());
  }

  @Test
  void anEventNamesItsObjectSourceAndReason() {
    record(7);
    ObjectNode e = written.get(0);
    assertEquals("ns", e.at("/metadata/namespace").asText());
    assertTrue(e.at("/metadata/name").asText().startsWith("p7."), e.toString());
    assertEquals("Scheduled", e.path("reason").asText());
    assertEquals("test-scheduler", e.at("/source/component").asText());
    assertEquals("host-1", e.at("/source/host").asText());
  }
}
