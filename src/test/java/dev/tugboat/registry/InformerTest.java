package dev.tugboat.registry;

import static dev.tugboat.registry.InformerViewTest.describe;
import static dev.tugboat.registry.InformerViewTest.listing;
import static dev.tugboat.registry.InformerViewTest.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import dev.tugboat.model.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.apache.pekko.stream.typed.javadsl.ActorSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The informer as its owner sees it: against a source the test drives (lists it answers, watches it
 * feeds, fails or ends), and against a real index ({@link WatchCache}, which needs no cluster).
 */
class InformerTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Informer.Backoff FAST = new Informer.Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void listsThenWatchesFromTheListsVersion() throws Exception {
    Scripted source = new Scripted();
    TestProbe<Informer.Event> owner = testKit.createTestProbe();
    testKit.spawn(Informer.create(source, FAST, owner.getRef()));

    source.nextList().complete(listing(10, pod("a", 1), pod("b", 2)));
    assertEquals(List.of("Added a", "Added b", "Synced 2"), receive(owner, 3));
    Scripted.Watch watch = source.nextWatch();
    assertEquals(10, watch.fromVersion());

    watch.offer("ADDED", pod("c", 11));
    watch.offer("MODIFIED", pod("a", 12));
    watch.offer("DELETED", pod("b", 13));
    assertEquals(List.of("Added c", "Modified a", "Deleted b"), receive(owner, 3));
  }

  @Test
  void aFailedWatchListsAgainAfterABackoffAndTellsOnlyTheDifferences() throws Exception {
    Scripted source = new Scripted();
    TestProbe<Informer.Event> owner = testKit.createTestProbe();
    testKit.spawn(Informer.create(source, FAST, owner.getRef()));
    source.nextList().complete(listing(10, pod("a", 1), pod("b", 2)));
    receive(owner, 3);

    source.nextWatch().queue().fail(new IllegalStateException("buffer overflow"));
    source.nextList().complete(listing(20, pod("a", 15), pod("c", 16)));
    assertEquals(List.of("Deleted b", "Modified a", "Added c", "Relisted 2"), receive(owner, 4));
    assertEquals(20, source.nextWatch().fromVersion());
  }

  @Test
  void aWatchTooOldListsAgainAtOnceAndStopsTheOldWatch() throws Exception {
    Scripted source = new Scripted();
    TestProbe<Informer.Event> owner = testKit.createTestProbe();
    // A backoff far longer than the test waits: the relist after a 410 does not wait for it.
    testKit.spawn(Informer.create(source, new Informer.Backoff(Duration.ofMinutes(1), Duration.ofMinutes(1)),
        owner.getRef()));
    source.nextList().complete(listing(10, pod("a", 1)));
    receive(owner, 2);

    Scripted.Watch watch = source.nextWatch();
    watch.queue().offer(new WatchEvent("ERROR", Codec.toObjectNode(Status.expired("too old resource version: 10"))));
    source.nextList().complete(listing(30, pod("a", 1)));
    assertEquals(List.of("Relisted 1"), receive(owner, 1));
    watch.queue().watchCompletion().toCompletableFuture().get(3, TimeUnit.SECONDS);
    assertEquals(30, source.nextWatch().fromVersion());
  }

  @Test
  void aWatchThatEndsCleanlyResumesFromTheNewestVersionABookmarkTold() throws Exception {
    Scripted source = new Scripted();
    TestProbe<Informer.Event> owner = testKit.createTestProbe();
    testKit.spawn(Informer.create(source, FAST, owner.getRef()));
    source.nextList().complete(listing(10));
    receive(owner, 1);

    Scripted.Watch watch = source.nextWatch();
    ObjectNode bookmark = JsonNodeFactory.instance.objectNode();
    bookmark.putObject("metadata").put("resourceVersion", "50");
    watch.queue().offer(new WatchEvent("BOOKMARK", bookmark));
    watch.queue().complete();
    assertEquals(50, source.nextWatch().fromVersion());
    assertNull(source.lists.poll(300, TimeUnit.MILLISECONDS), "no list: nothing was missed");
    owner.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aFailedListIsTriedAgain() throws Exception {
    Scripted source = new Scripted();
    TestProbe<Informer.Event> owner = testKit.createTestProbe();
    testKit.spawn(Informer.create(source, FAST, owner.getRef()));
    source.nextList().completeExceptionally(new IllegalStateException("the Pod index is not available"));
    owner.expectNoMessage(Duration.ofMillis(50));
    source.nextList().complete(listing(10, pod("a", 1)));
    assertEquals(List.of("Added a", "Synced 1"), receive(owner, 2));
  }

  @Test
  void anInformerThatStopsStopsItsWatch() throws Exception {
    Scripted source = new Scripted();
    TestProbe<Informer.Event> owner = testKit.createTestProbe();
    ActorRef<Informer.Command> informer = testKit.spawn(Informer.create(source, FAST, owner.getRef()));
    source.nextList().complete(listing(10));
    Scripted.Watch watch = source.nextWatch();
    testKit.stop(informer);
    watch.queue().watchCompletion().toCompletableFuture().get(3, TimeUnit.SECONDS);
  }

  @Test
  void againstTheIndexASliceIsFollowedWithoutGapsOrRepeats() throws Exception {
    TestProbe<Topic.Command<ChangeFeed.Message>> topic = testKit.createTestProbe();
    ActorRef<WatchCache.Command> index = testKit.spawn(WatchCache.create("Pod", topic.getRef(), 100, Duration.ofHours(1)));
    apply(index, "a", "n1", false);
    apply(index, "b", "n2", false);
    index.tell(new WatchCache.Loaded());

    TestProbe<Informer.Event> owner = testKit.createTestProbe();
    Informer.Selection onN1 = Informer.Selection.of("Pod").inSlice(Indexed.node("n1"));
    testKit.spawn(Informer.create(indexed(index, onN1), FAST, owner.getRef()));
    assertEquals(List.of("Added a", "Synced 1"), receive(owner, 2));

    apply(index, "c", "n1", false);
    apply(index, "d", "n2", false);
    apply(index, "a", "n1", true);
    assertEquals(List.of("Added c", "Deleted a"), receive(owner, 2));
    owner.expectNoMessage(Duration.ofMillis(200));
  }

  private static void apply(ActorRef<WatchCache.Command> index, String name, String node, boolean deleted) {
    long version = ResourceVersionClock.next(0);
    ObjectNode pod = pod(name, version);
    pod.putObject("spec").put("nodeName", node);
    index.tell(new WatchCache.Apply(new Change("Pod", "default/" + name, pod, version, deleted)));
  }

  /** The index as a source, as the registry serves it ({@link ListWatch#of}), without a cluster. */
  private static ListWatch indexed(ActorRef<WatchCache.Command> index, Informer.Selection selection) {
    return new ListWatch() {
      @Override
      public String kind() {
        return selection.kind();
      }

      @Override
      public CompletionStage<Listing> list() {
        return AskPattern.<WatchCache.Command, WatchCache.ListResult>ask(index,
                reply -> new WatchCache.List_(selection.namespace(), selection.slice(), selection::test, 0, null, reply),
                Duration.ofSeconds(3), testKit.system().scheduler())
            .thenApply(list -> new Listing(list.items(), list.resourceVersion()));
      }

      @Override
      public Source<WatchEvent, NotUsed> watch(long fromVersion) {
        return ActorSource.<WatchEvent>actorRef(e -> false, e -> Optional.empty(), 100, OverflowStrategy.fail())
            .mapMaterializedValue(sink -> {
              index.tell(new WatchCache.Watch(selection.namespace(), selection.slice(), selection::test, fromVersion,
                  true, sink));
              return NotUsed.getInstance();
            });
      }
    };
  }

  private static List<String> receive(TestProbe<Informer.Event> owner, int n) {
    List<Informer.Event> events = new ArrayList<>();
    for (int i = 0; i < n; i++) events.add(owner.receiveMessage(Duration.ofSeconds(3)));
    return describe(events);
  }

  /** A source the test drives: each list is a future it completes, each watch a queue it feeds, fails or ends. */
  private static final class Scripted implements ListWatch {
    record Watch(long fromVersion, SourceQueueWithComplete<WatchEvent> queue) {
      void offer(String type, ObjectNode object) {
        queue.offer(new WatchEvent(type, object));
      }
    }

    final BlockingQueue<CompletableFuture<Listing>> lists = new LinkedBlockingQueue<>();
    final BlockingQueue<Watch> watches = new LinkedBlockingQueue<>();

    @Override
    public String kind() {
      return "Pod";
    }

    @Override
    public CompletionStage<Listing> list() {
      CompletableFuture<Listing> list = new CompletableFuture<>();
      lists.add(list);
      return list;
    }

    @Override
    public Source<WatchEvent, NotUsed> watch(long fromVersion) {
      return Source.<WatchEvent>queue(100, OverflowStrategy.fail()).mapMaterializedValue(queue -> {
        watches.add(new Watch(fromVersion, queue));
        return NotUsed.getInstance();
      });
    }

    CompletableFuture<Listing> nextList() throws InterruptedException {
      CompletableFuture<Listing> list = lists.poll(3, TimeUnit.SECONDS);
      assertNotNull(list, "the informer lists");
      return list;
    }

    Watch nextWatch() throws InterruptedException {
      Watch watch = watches.poll(3, TimeUnit.SECONDS);
      assertNotNull(watch, "the informer watches");
      return watch;
    }
  }
}
