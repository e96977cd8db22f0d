package dev.tugboat.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The index of one kind: how journal replays and live changes combine into lists and watch events. */
class WatchCacheTest {
  private static final ActorTestKit testKit = ActorTestKit.create();

  private ActorRef<WatchCache.Command> index;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void setUp() {
    TestProbe<Topic.Command<ChangeFeed.Message>> topic = testKit.createTestProbe();
    index = testKit.spawn(WatchCache.create("Pod", topic.getRef(), 100, Duration.ofHours(1)));
  }

  @Test
  void answersOnlyOnceTheJournalIsReadAndKeepsTheLastStateOfEachObject() {
    TestProbe<WatchCache.ListResult> reply = testKit.createTestProbe();
    index.tell(list(reply));
    apply("a", 1, false);
    apply("b", 2, false);
    apply("b", 3, true);
    reply.expectNoMessage(Duration.ofMillis(100)); // stashed: a half-read journal is not an answer
    index.tell(new WatchCache.Loaded());
    assertEquals(List.of("a"), names(reply.receiveMessage()));
  }

  @Test
  void aCatchUpReplayDeliversWhatTheTopicMissedAndNothingElse() {
    apply("a", 1, false);
    apply("b", 2, false);
    apply("b", 3, true);
    index.tell(new WatchCache.Loaded());
    TestProbe<WatchEvent> watcher = testKit.createTestProbe();
    index.tell(new WatchCache.Watch(null, null, o -> true, -1, false, watcher.getRef()));
    assertEquals("ADDED a", describe(watcher.receiveMessage()));

    index.tell(new WatchCache.ReplayStarted());
    apply("a", 1, false); // already known
    apply("b", 3, true); // deleted before this index ever held it: no DELETED for watchers
    apply("c", 5, false); // created while the topic did not reach this member
    index.tell(new WatchCache.Loaded());

    assertEquals("ADDED c", describe(watcher.receiveMessage()));
    watcher.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aReplaysOlderReadDoesNotBringBackAnObjectDeletedMeanwhile() {
    apply("d", 6, false);
    index.tell(new WatchCache.Loaded());
    index.tell(new WatchCache.ReplayStarted());
    apply("d", 7, true); // live: deleted
    apply("d", 6, false); // the replay read the journal before the deletion
    index.tell(new WatchCache.Loaded());
    TestProbe<WatchCache.ListResult> reply = testKit.createTestProbe();
    index.tell(list(reply));
    assertEquals(List.of(), names(reply.receiveMessage()));
  }

  @Test
  void aFailedRebuildAnswers503UntilARetrySucceeds() {
    index.tell(new WatchCache.LoadFailed("All host(s) tried for query failed"));
    TestProbe<WatchCache.ListResult> reply = testKit.createTestProbe();
    index.tell(list(reply));
    WatchCache.ListResult refused = reply.receiveMessage();
    assertEquals(503, refused.failure().code());

    apply("a", 1, false);
    index.tell(new WatchCache.Loaded());
    index.tell(list(reply));
    WatchCache.ListResult listed = reply.receiveMessage();
    assertNull(listed.failure());
    assertEquals(List.of("a"), names(listed));
  }

  @Test
  void aListOrWatchScopedToANodeSeesOnlyThePodsBoundToIt() {
    apply("a", 1, false, null);
    apply("b", 2, false, "n1");
    apply("c", 3, false, "n2");
    index.tell(new WatchCache.Loaded());
    TestProbe<WatchEvent> onN1 = testKit.createTestProbe();
    TestProbe<WatchEvent> onN2 = testKit.createTestProbe();
    index.tell(new WatchCache.Watch(null, Indexed.node("n1"), Indexed.node("n1")::contains, -1, false, onN1.getRef()));
    index.tell(new WatchCache.Watch(null, Indexed.node("n2"), Indexed.node("n2")::contains, -1, false, onN2.getRef()));
    assertEquals("ADDED b", describe(onN1.receiveMessage()));
    assertEquals("ADDED c", describe(onN2.receiveMessage()));

    apply("a", 4, false, "n1"); // bound
    apply("b", 5, true, "n1"); // deleted
    apply("c", 6, false, "n2");
    assertEquals("ADDED a", describe(onN1.receiveMessage()));
    assertEquals("DELETED b", describe(onN1.receiveMessage()));
    assertEquals("MODIFIED c", describe(onN2.receiveMessage()));
    onN1.expectNoMessage(Duration.ofMillis(100));
    onN2.expectNoMessage(Duration.ofMillis(100));

    assertEquals(List.of("a"), names(listOn("n1")));
    assertEquals(List.of("c"), names(listOn("n2")));
    assertEquals(List.of(), names(listOn("n3")));
  }

  @Test
  void aListScopedToAControllerSeesItsObjectsAndOrphansSeeTheRest() {
    apply("a", 1, false, null, "rs-1");
    apply("b", 2, false, null, "rs-2");
    apply("c", 3, false, null, null);
    index.tell(new WatchCache.Loaded());
    assertEquals(List.of("a"), names(listIn(Indexed.controlledBy("rs-1"))));
    assertEquals(List.of("c"), names(listIn(Indexed.orphans())));

    apply("c", 4, false, null, "rs-1"); // adopted
    apply("a", 5, true, null, "rs-1"); // deleted
    assertEquals(List.of("c"), names(listIn(Indexed.controlledBy("rs-1"))));
    assertEquals(List.of(), names(listIn(Indexed.orphans())));
    assertEquals(List.of("b"), names(listIn(Indexed.controlledBy("rs-2"))));
  }

  @Test
  void aWatchFromAVersionGetsWhatCameAfterItAndAChangeThatWasOvertaken() {
    index.tell(new WatchCache.Loaded());
    TestProbe<WatchCache.ListResult> loaded = testKit.createTestProbe();
    index.tell(list(loaded));
    loaded.receiveMessage(); // the index answers: versions from now on are past its horizon
    long v1 = ResourceVersionClock.next(0);
    long v2 = ResourceVersionClock.next(0);
    long v3 = ResourceVersionClock.next(0);
    long v4 = ResourceVersionClock.next(0);
    apply("a", v1, false);
    apply("b", v3, false);
    apply("c", v2, false); // from a member whose message was overtaken: it arrives after the index passed v3
    apply("d", v4, false);
    TestProbe<WatchEvent> watcher = testKit.createTestProbe();
    index.tell(new WatchCache.Watch(null, null, o -> true, v3, false, watcher.getRef()));
    assertEquals("ADDED c", describe(watcher.receiveMessage()));
    assertEquals("ADDED d", describe(watcher.receiveMessage()));
    watcher.expectNoMessage(Duration.ofMillis(100));

    TestProbe<WatchEvent> fromStart = testKit.createTestProbe();
    index.tell(new WatchCache.Watch(null, null, o -> true, v1, false, fromStart.getRef()));
    assertEquals(List.of("ADDED b", "ADDED c", "ADDED d"),
        List.of(describe(fromStart.receiveMessage()), describe(fromStart.receiveMessage()),
            describe(fromStart.receiveMessage())));
  }

  @Test
  void theWindowIsBoundedByBytesAsWellAsByCountAndAWatchFromBeyondItIsToldToRelist() {
    TestProbe<Topic.Command<ChangeFeed.Message>> topic = testKit.createTestProbe();
    // room for two changes of ~1 KiB pods (and nothing before them: each is a create), not three
    index = testKit.spawn(WatchCache.create("Pod", topic.getRef(), new WatchCache.Window(100, 2_600), Duration.ofHours(1),
        () -> { }));
    index.tell(new WatchCache.Loaded());
    TestProbe<WatchCache.ListResult> loaded = testKit.createTestProbe();
    index.tell(list(loaded));
    loaded.receiveMessage();
    long[] v = new long[4];
    for (int i = 0; i < v.length; i++) {
      v[i] = ResourceVersionClock.next(0);
      ObjectNode pod = JsonNodeFactory.instance.objectNode();
      pod.putObject("metadata").put("name", "p" + i).put("namespace", "default").put("resourceVersion", Long.toString(v[i]));
      pod.putObject("spec").put("padding", "x".repeat(1_000));
      index.tell(new WatchCache.Apply(new Change("Pod", "default/p" + i, pod, v[i], false)));
    }
    // from v[1]: owed p2 and p3, both still in the window
    TestProbe<WatchEvent> recent = testKit.createTestProbe();
    index.tell(new WatchCache.Watch(null, null, o -> true, v[1], false, recent.getRef()));
    assertEquals(List.of("ADDED p2", "ADDED p3"), List.of(describe(recent.receiveMessage()), describe(recent.receiveMessage())));
    // from v[0]: owed p1, which the byte bound dropped although the count bound had room
    TestProbe<WatchEvent> old = testKit.createTestProbe();
    index.tell(new WatchCache.Watch(null, null, o -> true, v[0], false, old.getRef()));
    WatchEvent expired = old.receiveMessage();
    assertEquals("ERROR", expired.type());
    assertEquals(410, expired.object().path("code").asInt(), expired.object().toString());
  }

  @Test
  void aGapInAPublishersNumbersOrAHeartbeatBeyondTheLastChangeAsksForAReadOfTheJournal() {
    java.util.concurrent.atomic.AtomicInteger gaps = new java.util.concurrent.atomic.AtomicInteger();
    index = countingReplays(gaps);
    index.tell(new WatchCache.Loaded());
    publish("a", 7, "member-1"); // the first number seen from a publisher is its baseline
    publish("b", 8, "member-1");
    index.tell(new WatchCache.Published(new ChangeFeed.Heartbeat("member-1", 8)));
    assertEquals(List.of("a", "b"), names(listAll()), "in order, nothing missing");
    assertEquals(0, gaps.get());
    publish("d", 10, "member-1"); // 9 never came
    assertEquals(List.of("a", "b", "d"), names(listAll()), "the change after the gap is applied all the same");
    assertEquals(1, gaps.get());
    publish("x", 1, "member-2"); // another publisher counts on its own
    index.tell(new WatchCache.Published(new ChangeFeed.Heartbeat("member-2", 1)));
    listAll();
    assertEquals(1, gaps.get());
    index.tell(new WatchCache.Published(new ChangeFeed.Heartbeat("member-1", 11))); // its last change was lost
    listAll();
    assertEquals(2, gaps.get());
  }

  @Test
  void aConsistentListWaitsUntilTheIndexHoldsEveryChangeThePublishersHadNumbered() {
    index.tell(new WatchCache.Loaded());
    publish("a", 1, "member-1"); // number 1: nothing of member-1 came before it
    TestProbe<WatchCache.ListResult> reply = testKit.createTestProbe();
    index.tell(fresh(Map.of("member-1", 2L), 0, -1, Duration.ofSeconds(5), reply));
    reply.expectNoMessage(Duration.ofMillis(200)); // member-1's second change is acknowledged but not here yet
    publish("b", 2, "member-1");
    assertEquals(List.of("a", "b"), names(reply.receiveMessage()));

    index.tell(fresh(Map.of("member-1", 2L), 0, -1, Duration.ofSeconds(5), reply));
    assertEquals(List.of("a", "b"), names(reply.receiveMessage()), "already fresh: answered at once");
  }

  @Test
  void aPublisherSeenFirstInTheMiddleOfItsNumbersIsTrustedOnlyAfterAReadOfTheJournalThatBeganLater() {
    java.util.concurrent.atomic.AtomicInteger replays = new java.util.concurrent.atomic.AtomicInteger();
    index = countingReplays(replays);
    index.tell(new WatchCache.Loaded());
    publish("c", 5, "member-1"); // 1 to 4 came before this index subscribed: the first fill may not have them
    TestProbe<WatchCache.ListResult> reply = testKit.createTestProbe();
    index.tell(fresh(Map.of("member-1", 5L), 0, -1, Duration.ofSeconds(10), reply));
    reply.expectNoMessage(Duration.ofMillis(300));
    // after a second of waiting the index asks for a read of the journal
    dev.tugboat.testing.Await.until("a read of the journal asked for", Duration.ofSeconds(5), () -> replays.get() >= 1);
    TestProbe<org.apache.pekko.Done> ack = testKit.createTestProbe();
    index.tell(new WatchCache.ReplayStarted(ack.getRef()));
    ack.receiveMessage();
    apply("a", 1, false); // the read finds what came before
    index.tell(new WatchCache.Loaded());
    assertEquals(List.of("a", "c"), names(reply.receiveMessage()));
  }

  @Test
  void aLostLastChangeThatAConsistentListWaitsForIsFoundByAReadOfTheJournal() {
    java.util.concurrent.atomic.AtomicInteger replays = new java.util.concurrent.atomic.AtomicInteger();
    index = countingReplays(replays);
    index.tell(new WatchCache.Loaded());
    publish("a", 1, "member-1");
    // number 2 was published and lost; nothing else comes from member-1
    TestProbe<WatchCache.ListResult> reply = testKit.createTestProbe();
    index.tell(fresh(Map.of("member-1", 2L), 0, -1, Duration.ofSeconds(10), reply));
    dev.tugboat.testing.Await.until("a read of the journal asked for", Duration.ofSeconds(5), () -> replays.get() >= 1);
    TestProbe<org.apache.pekko.Done> ack = testKit.createTestProbe();
    index.tell(new WatchCache.ReplayStarted(ack.getRef()));
    ack.receiveMessage();
    apply("b", ResourceVersionClock.next(0), false); // the read finds the lost change
    index.tell(new WatchCache.Loaded());
    assertEquals(List.of("a", "b"), names(reply.receiveMessage()));
  }

  @Test
  void aListNotFreshEnoughInTimeIsA504AndTheIndexServesOn() {
    apply("a", 1, false);
    index.tell(new WatchCache.Loaded());
    TestProbe<WatchCache.ListResult> reply = testKit.createTestProbe();
    long future = ResourceVersionClock.now() + 3_600_000_000L;
    index.tell(fresh(Map.of(), future, -1, Duration.ofMillis(300), reply));
    WatchCache.ListResult late = reply.receiveMessage(Duration.ofSeconds(3));
    assertEquals(504, late.failure().code());
    assertTrue(late.failure().message().startsWith("Too large resource version: " + future), late.failure().message());
    assertEquals(List.of("a"), names(listAll()));
  }

  @Test
  void anExactListShowsTheObjectsAsTheyWereAndOneOlderThanTheWindowIsExpired() {
    index = testKit.spawn(WatchCache.create("Pod", testKit.<Topic.Command<ChangeFeed.Message>>createTestProbe().getRef(),
        3, Duration.ofHours(1)));
    apply("a", 10, false);
    apply("b", 11, false);
    index.tell(new WatchCache.Loaded());
    long v1 = listAll().resourceVersion();
    apply("a", v1 + 1, false, "node-2"); // modified
    apply("c", v1 + 2, false); // created
    apply("b", v1 + 3, true); // deleted
    TestProbe<WatchCache.ListResult> reply = testKit.createTestProbe();
    index.tell(fresh(Map.of(), v1, v1, Duration.ofSeconds(5), reply));
    WatchCache.ListResult then = reply.receiveMessage();
    assertEquals(List.of("a", "b"), names(then));
    assertTrue(then.items().get(0).path("spec").path("nodeName").isMissingNode(), "a as it was at " + v1);
    assertEquals(v1, then.resourceVersion());
    assertEquals(List.of("a", "c"), names(listAll()), "the index itself is current");

    apply("c", v1 + 4, false);
    apply("c", v1 + 5, false); // the window holds 3 changes: the first after v1 is gone
    index.tell(fresh(Map.of(), v1, v1, Duration.ofSeconds(5), reply));
    assertEquals(410, reply.receiveMessage().failure().code());
  }

  @Test
  void thePagesOfAListAreOneStateWhateverChangesBetweenThem() {
    apply("a", 1, false);
    apply("b", 2, false);
    apply("d", 3, false);
    index.tell(new WatchCache.Loaded());
    TestProbe<WatchCache.ListResult> reply = testKit.createTestProbe();
    index.tell(new WatchCache.List_("default", null, o -> true, 1, null, reply.getRef()));
    WatchCache.ListResult first = reply.receiveMessage();
    assertEquals(List.of("a"), names(first));
    long v = first.resourceVersion();
    apply("c", v + 1, false); // created after the first page
    apply("d", v + 2, false, "node-9"); // modified after it
    index.tell(new WatchCache.List_("default", null, o -> true, 1, first.continueToken(), reply.getRef()));
    WatchCache.ListResult second = reply.receiveMessage();
    assertEquals(List.of("b"), names(second));
    assertEquals(v, second.resourceVersion());
    index.tell(new WatchCache.List_("default", null, o -> true, 1, second.continueToken(), reply.getRef()));
    WatchCache.ListResult third = reply.receiveMessage();
    assertEquals(List.of("d"), names(third), "c did not exist at the first page's version");
    assertTrue(third.items().get(0).path("spec").path("nodeName").isMissingNode(), "d as it was then");
    assertNull(third.continueToken());
  }

  private static WatchCache.List_ fresh(Map<String, Long> published, long notOlderThan, long exact, Duration patience,
      TestProbe<WatchCache.ListResult> reply) {
    return new WatchCache.List_(null, null, o -> true, 0, null,
        new WatchCache.Freshness(published, notOlderThan, exact, patience), reply.getRef());
  }

  /** An index whose requests for a read of the journal are counted in {@code replays}. */
  private static ActorRef<WatchCache.Command> countingReplays(java.util.concurrent.atomic.AtomicInteger replays) {
    TestProbe<Topic.Command<ChangeFeed.Message>> topic = testKit.createTestProbe();
    return testKit.spawn(WatchCache.create("Pod", topic.getRef(), new WatchCache.Window(100, Long.MAX_VALUE),
        Duration.ofHours(1), replays::incrementAndGet));
  }

  private void publish(String name, long number, String publisher) {
    ObjectNode pod = JsonNodeFactory.instance.objectNode();
    long version = ResourceVersionClock.next(0);
    pod.putObject("metadata").put("name", name).put("namespace", "default").put("resourceVersion", Long.toString(version));
    index.tell(new WatchCache.Published(new ChangeFeed.Numbered(new Change("Pod", "default/" + name, pod, version, false),
        publisher, number)));
  }

  private WatchCache.ListResult listAll() {
    TestProbe<WatchCache.ListResult> reply = testKit.createTestProbe();
    index.tell(list(reply));
    return reply.receiveMessage();
  }

  /** With no filter of its own: what it gets is the index's slice alone. */
  private WatchCache.ListResult listOn(String node) {
    return listIn(Indexed.node(node));
  }

  private WatchCache.ListResult listIn(Indexed slice) {
    TestProbe<WatchCache.ListResult> reply = testKit.createTestProbe();
    index.tell(new WatchCache.List_(null, slice, o -> true, 0, null, reply.getRef()));
    return reply.receiveMessage();
  }

  private void apply(String name, long version, boolean deleted) {
    apply(name, version, deleted, null);
  }

  private void apply(String name, long version, boolean deleted, String node) {
    apply(name, version, deleted, node, null);
  }

  private void apply(String name, long version, boolean deleted, String node, String controllerUid) {
    ObjectNode pod = JsonNodeFactory.instance.objectNode();
    ObjectNode meta = pod.putObject("metadata").put("name", name).put("namespace", "default")
        .put("resourceVersion", Long.toString(version));
    if (controllerUid != null) {
      meta.putArray("ownerReferences").addObject().put("kind", "ReplicaSet").put("uid", controllerUid)
          .put("controller", true);
    }
    if (node != null) pod.putObject("spec").put("nodeName", node);
    index.tell(new WatchCache.Apply(new Change("Pod", "default/" + name, pod, version, deleted)));
  }

  @Test
  void aContinueTokenThisServerDidNotIssueForTheListIsABadRequestAndTheIndexServesOn() {
    apply("a", 1, false);
    apply("b", 2, false);
    index.tell(new WatchCache.Loaded());
    TestProbe<WatchCache.ListResult> reply = testKit.createTestProbe();
    for (String token : List.of("garbage!", new WatchCache.Continue(1, "kube-system/x").encode(),
        java.util.Base64.getUrlEncoder().encodeToString("default/a".getBytes()))) {
      index.tell(new WatchCache.List_("default", null, o -> true, 1, token, reply.getRef()));
      WatchCache.ListResult refused = reply.receiveMessage();
      assertEquals(400, refused.failure().code(), token);
      assertTrue(refused.failure().message().startsWith("continue key is not valid"), refused.failure().message());
    }
    index.tell(new WatchCache.List_("default", null, o -> true, 1, null, reply.getRef()));
    WatchCache.ListResult first = reply.receiveMessage();
    assertEquals(List.of("a"), names(first));
    index.tell(new WatchCache.List_("default", null, o -> true, 1, first.continueToken(), reply.getRef()));
    assertEquals(List.of("b"), names(reply.receiveMessage()), "a token it issued pages on");
  }

  @Test
  void aFailureInsideTheIndexDropsOneMessageAndKeepsEveryObject() {
    apply("a", 1, false);
    index.tell(new WatchCache.Loaded());
    TestProbe<WatchEvent> watcher = testKit.createTestProbe();
    // a caller's filter that throws is an exception inside the index actor
    index.tell(new WatchCache.Watch(null, null, o -> { throw new IllegalStateException("injected"); }, -1, false,
        watcher.getRef()));
    TestProbe<WatchCache.ListResult> reply = testKit.createTestProbe();
    index.tell(list(reply));
    assertEquals(List.of("a"), names(reply.receiveMessage()), "resumed with its state, not restarted empty");
    apply("b", 2, false);
    index.tell(list(reply));
    assertEquals(List.of("a", "b"), names(reply.receiveMessage()), "and it still applies changes");
  }

  private static WatchCache.List_ list(TestProbe<WatchCache.ListResult> reply) {
    return new WatchCache.List_(null, null, o -> true, 0, null, reply.getRef());
  }

  private static List<String> names(WatchCache.ListResult result) {
    return result.items().stream().map(o -> o.path("metadata").path("name").asText()).toList();
  }

  private static String describe(WatchEvent e) {
    return e.type() + " " + e.object().path("metadata").path("name").asText();
  }
}
