package dev.tugboat.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import dev.tugboat.model.Codec;
import dev.tugboat.kind.KindStrategy;
import dev.tugboat.kinds.pod.PodStrategy;
import dev.tugboat.model.Status;
import java.util.List;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The object entity's commands, events, replies and recovered state, on an in-memory journal. */
class ObjectEntityTest {
  private static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseString("""
          pekko.actor.serialization-bindings { "dev.tugboat.registry.CborSerializable" = jackson-cbor }
          """).withFallback(EventSourcedBehaviorTestKit.config()));

  private TestProbe<Change> changes;
  private EventSourcedBehaviorTestKit<ObjectEntity.Command, ObjectEntity.Event, ObjectEntity.State> kit;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void setUp() {
    changes = testKit.createTestProbe();
    KindStrategy pods = new PodStrategy();
    kit = EventSourcedBehaviorTestKit.create(testKit.system(),
        ObjectEntity.create("default/web-1", pods, changes.getRef(), 100));
  }

  private static ObjectNode pod(String image) {
    return (ObjectNode) Codec.parseTree(("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"default","labels":{"app":"web"}},
         "spec":{"containers":[{"name":"httpd","image":"%s"}]}}""").formatted(image).getBytes(), false);
  }

  private CommandResultWithReply<ObjectEntity.Command, ObjectEntity.Event, ObjectEntity.State, Result> create(ObjectNode o) {
    return kit.<Result>runCommand(reply -> new ObjectEntity.Create(o, reply));
  }

  private static ObjectNode ok(Result r) {
    return assertInstanceOf(Result.Ok.class, r, () -> "expected Ok, got " + r).object();
  }

  private static Status failed(Result r) {
    return assertInstanceOf(Result.Failed.class, r, () -> "expected Failed, got " + r).status();
  }

  @Test
  void createAssignsIdentityDefaultsAndPublishes() {
    var result = create(pod("busybox:1"));
    ObjectNode stored = ok(result.reply());
    assertInstanceOf(ObjectEntity.Created.class, result.event());
    JsonNode meta = stored.path("metadata");
    assertFalse(meta.path("uid").asText().isEmpty());
    assertEquals(1, meta.path("generation").asInt());
    assertTrue(meta.path("resourceVersion").asLong() > 0);
    assertFalse(meta.path("creationTimestamp").asText().isEmpty());
    assertEquals("Always", stored.at("/spec/restartPolicy").asText(), "defaults applied");
    Change change = changes.receiveMessage();
    assertEquals("default/web-1", change.key());
    assertFalse(change.deleted());
  }

  @Test
  void secondCreateIsAlreadyExistsAndWritesNothing() {
    create(pod("busybox:1"));
    var again = create(pod("busybox:2"));
    assertEquals(409, failed(again.reply()).code());
    assertEquals("AlreadyExists", failed(again.reply()).reason());
    assertTrue(again.hasNoEvents());
  }

  @Test
  void staleResourceVersionIsAConflict() {
    ObjectNode stored = ok(create(pod("busybox:1")).reply());
    ObjectNode changed = stored.deepCopy();
    ((ObjectNode) changed.path("metadata")).put("resourceVersion", "1");
    ((ObjectNode) changed.at("/spec/containers/0")).put("image", "busybox:2");
    var result = kit.<Result>runCommand(reply -> new ObjectEntity.Update(changed, false, reply));
    assertEquals(409, failed(result.reply()).code());
    assertEquals("Conflict", failed(result.reply()).reason());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void specChangeRaisesGenerationAndVersionLabelChangeOnlyVersion() {
    ObjectNode stored = ok(create(pod("busybox:1")).reply());
    ObjectNode image = stored.deepCopy();
    ((ObjectNode) image.at("/spec/containers/0")).put("image", "busybox:2");
    ObjectNode v2 = ok(kit.<Result>runCommand(reply -> new ObjectEntity.Update(image, false, reply)).reply());
    assertEquals(2, v2.at("/metadata/generation").asInt());
    assertTrue(v2.at("/metadata/resourceVersion").asLong() > stored.at("/metadata/resourceVersion").asLong());

    ObjectNode label = v2.deepCopy();
    ((ObjectNode) label.at("/metadata/labels")).put("tier", "front");
    ObjectNode v3 = ok(kit.<Result>runCommand(reply -> new ObjectEntity.Update(label, false, reply)).reply());
    assertEquals(2, v3.at("/metadata/generation").asInt(), "metadata changes keep the generation");
    assertEquals("front", v3.at("/metadata/labels/tier").asText());
  }

  @Test
  void statusWritesTouchOnlyStatusAndMainWritesKeepIt() {
    ObjectNode stored = ok(create(pod("busybox:1")).reply());
    ObjectNode status = stored.deepCopy();
    ((ObjectNode) status.path("status")).put("phase", "Running");
    ((ObjectNode) status.at("/spec/containers/0")).put("image", "ignored:9");
    ObjectNode running = ok(kit.<Result>runCommand(reply -> new ObjectEntity.Update(status, true, reply)).reply());
    assertEquals("Running", running.at("/status/phase").asText());
    assertEquals("busybox:1", running.at("/spec/containers/0/image").asText());
    assertEquals(1, running.at("/metadata/generation").asInt());

    ObjectNode main = running.deepCopy();
    ((ObjectNode) main.path("status")).put("phase", "Failed");
    main.remove("metadata");
    ObjectNode kept = ok(kit.<Result>runCommand(reply -> new ObjectEntity.Update(main, false, reply)).reply());
    assertEquals("Running", kept.at("/status/phase").asText(), "the main resource cannot write status");
    assertEquals(running.at("/metadata/uid"), kept.at("/metadata/uid"), "uid is the system's");
  }

  @Test
  void anUnchangedWritePersistsNothing() {
    ObjectNode stored = ok(create(pod("busybox:1")).reply());
    var same = kit.<Result>runCommand(reply -> new ObjectEntity.Update(stored.deepCopy(), false, reply));
    assertTrue(same.hasNoEvents());
    assertEquals(stored.at("/metadata/resourceVersion"), ok(same.reply()).at("/metadata/resourceVersion"));
  }

  @Test
  void invalidObjectsAreRefusedWithTheFieldPath() {
    ObjectNode bad = pod("");
    var result = create(bad);
    Status status = failed(result.reply());
    assertEquals(422, status.code());
    assertEquals("spec.containers[0].image", status.details().causes().get(0).field());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void patchesApplyAndBadPatchesAreRefused() {
    create(pod("busybox:1"));
    JsonNode merge = Codec.parseTree("{\"metadata\":{\"labels\":{\"tier\":\"db\"}}}".getBytes(), false);
    ObjectNode patched = ok(kit.<Result>runCommand(reply ->
        new ObjectEntity.Patch("application/merge-patch+json", merge, false, reply)).reply());
    assertEquals("db", patched.at("/metadata/labels/tier").asText());

    JsonNode broken = Codec.parseTree("[{\"op\":\"replace\",\"path\":\"/spec/nothing/here\",\"value\":1}]".getBytes(), false);
    var result = kit.<Result>runCommand(reply -> new ObjectEntity.Patch("application/json-patch+json", broken, false, reply));
    assertEquals(422, failed(result.reply()).code());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void deleteRemovesAndARecreateGetsANewUidAndHigherVersion() {
    ObjectNode first = ok(create(pod("busybox:1")).reply());
    var deleted = kit.<Result>runCommand(reply -> new ObjectEntity.Delete(null, null, null, List.of(), reply));
    assertInstanceOf(ObjectEntity.Deleted.class, deleted.event());
    assertEquals(404, failed(kit.<Result>runCommand(ObjectEntity.Get::new).reply()).code());
    ObjectNode second = ok(create(pod("busybox:1")).reply());
    assertNotEquals(first.at("/metadata/uid"), second.at("/metadata/uid"));
    assertTrue(second.at("/metadata/resourceVersion").asLong() > deleted.stateOfType(ObjectEntity.State.class).resourceVersion() - 1);
    assertTrue(second.at("/metadata/resourceVersion").asLong() > first.at("/metadata/resourceVersion").asLong());
  }

  @Test
  void finalizersHoldADeleteUntilTheLastIsRemoved() {
    create(pod("busybox:1"));
    var marked = kit.<Result>runCommand(reply -> new ObjectEntity.Delete(null, null, null, List.of("example.com/hold"), reply));
    ObjectNode terminating = ok(marked.reply());
    assertTrue(terminating.at("/metadata/deletionTimestamp").isTextual());
    assertInstanceOf(ObjectEntity.Updated.class, marked.event());

    ObjectNode released = terminating.deepCopy();
    ((ObjectNode) released.path("metadata")).putArray("finalizers");
    var gone = kit.<Result>runCommand(reply -> new ObjectEntity.Update(released, false, reply));
    assertInstanceOf(ObjectEntity.Deleted.class, gone.event());
    assertFalse(gone.state().exists());
  }

  @Test
  void deletePreconditionsAreChecked() {
    create(pod("busybox:1"));
    var wrongUid = kit.<Result>runCommand(reply -> new ObjectEntity.Delete("not-the-uid", null, null, List.of(), reply));
    assertEquals(409, failed(wrongUid.reply()).code());
    assertTrue(wrongUid.hasNoEvents());
  }

  @Test
  void stateIsRecoveredAfterRestart() {
    ObjectNode stored = ok(create(pod("busybox:1")).reply());
    var restarted = kit.restart();
    assertTrue(restarted.state().exists());
    assertEquals(stored, restarted.state().object());
    assertEquals(stored, ok(kit.<Result>runCommand(ObjectEntity.Get::new).reply()));
  }

  @Test
  void aPodIsBoundOnceAndASecondBindingElsewhereIsRefused() {
    String uid = ok(create(pod("busybox:1")).reply()).at("/metadata/uid").asText();
    var bound = kit.<Result>runCommand(reply -> new ObjectEntity.Bind(uid, "node-a", reply));
    ObjectNode pod = ok(bound.reply());
    assertInstanceOf(ObjectEntity.Updated.class, bound.event());
    assertEquals("node-a", pod.at("/spec/nodeName").asText());
    assertEquals("PodScheduled", pod.at("/status/conditions/0/type").asText());
    assertEquals("True", pod.at("/status/conditions/0/status").asText());

    var again = kit.<Result>runCommand(reply -> new ObjectEntity.Bind(uid, "node-a", reply));
    assertEquals(pod, ok(again.reply()), "binding where it is bound is a no-op");
    assertTrue(again.hasNoEvents());

    var elsewhere = kit.<Result>runCommand(reply -> new ObjectEntity.Bind(uid, "node-b", reply));
    Status refused = failed(elsewhere.reply());
    assertEquals(409, refused.code());
    assertEquals("Operation cannot be fulfilled on pods/binding \"web-1\": pod web-1 is already assigned to node \"node-a\"",
        refused.message());
    assertTrue(elsewhere.hasNoEvents());
    assertEquals("node-a", kit.restart().state().object().at("/spec/nodeName").asText());
  }

  @Test
  void aBindingForAReplacedPodIsRefused() {
    create(pod("busybox:1"));
    var stale = kit.<Result>runCommand(reply -> new ObjectEntity.Bind("uid-of-an-earlier-pod", "node-a", reply));
    assertEquals(409, failed(stale.reply()).code());
    assertTrue(stale.hasNoEvents());
  }

  @Test
  void aBoundPodTerminatesGracefullyAndGoesWhenItsAgentConfirms() {
    String uid = ok(create(pod("busybox:1")).reply()).at("/metadata/uid").asText();
    kit.<Result>runCommand(reply -> new ObjectEntity.Bind(uid, "node-a", reply));
    var marked = kit.<Result>runCommand(reply -> new ObjectEntity.Delete(null, null, null, List.of(), reply));
    ObjectNode terminating = ok(marked.reply());
    assertInstanceOf(ObjectEntity.Updated.class, marked.event());
    assertEquals(30, terminating.at("/metadata/deletionGracePeriodSeconds").asInt(), "the pod's default grace period");
    assertTrue(terminating.at("/metadata/deletionTimestamp").isTextual());

    var shorter = kit.<Result>runCommand(reply -> new ObjectEntity.Delete(null, null, 5L, List.of(), reply));
    assertEquals(5, ok(shorter.reply()).at("/metadata/deletionGracePeriodSeconds").asInt(), "a grace period may shorten");
    var longer = kit.<Result>runCommand(reply -> new ObjectEntity.Delete(null, null, 60L, List.of(), reply));
    assertTrue(longer.hasNoEvents(), "never lengthen");

    var confirmed = kit.<Result>runCommand(reply -> new ObjectEntity.Delete(uid, null, 0L, List.of(), reply));
    assertInstanceOf(ObjectEntity.Deleted.class, confirmed.event());
    assertFalse(confirmed.state().exists());
  }

  @Test
  void aStatusWriteForAnotherUidIsRefused() {
    create(pod("busybox:1"));
    ObjectNode stale = pod("busybox:1");
    ((ObjectNode) stale.path("metadata")).put("uid", "uid-of-an-earlier-pod");
    stale.putObject("status").put("phase", "Running");
    var refused = kit.<Result>runCommand(reply -> new ObjectEntity.Update(stale, true, reply));
    assertEquals(409, failed(refused.reply()).code());
    assertTrue(refused.hasNoEvents());
  }

  @Test
  void aDryRunAnswersAsIfDoneAndPersistsNothing() {
    var dryCreate = kit.<Result>runCommand(reply -> new ObjectEntity.Create(pod("busybox:1"), null,
        new WriteOptions("me", true, false), reply));
    ObjectNode wouldBe = ok(dryCreate.reply());
    assertTrue(dryCreate.hasNoEvents());
    assertEquals("Always", wouldBe.at("/spec/restartPolicy").asText(), "defaulted");
    assertFalse(wouldBe.path("metadata").has("resourceVersion"));
    assertEquals(404, failed(kit.<Result>runCommand(ObjectEntity.Get::new).reply()).code());

    ObjectNode stored = ok(create(pod("busybox:1")).reply());
    changes.receiveMessage();
    ObjectNode changed = stored.deepCopy();
    ((ObjectNode) changed.at("/spec/containers/0")).put("image", "busybox:2");
    var dryUpdate = kit.<Result>runCommand(reply -> new ObjectEntity.Update(changed, false, null,
        new WriteOptions("me", true, false), reply));
    assertEquals("busybox:2", ok(dryUpdate.reply()).at("/spec/containers/0/image").asText());
    assertEquals(stored.at("/metadata/resourceVersion"), ok(dryUpdate.reply()).at("/metadata/resourceVersion"));
    assertTrue(dryUpdate.hasNoEvents());
    var dryDelete = kit.<Result>runCommand(reply -> new ObjectEntity.Delete(null, null, null, List.of(), true, reply));
    assertTrue(dryDelete.hasNoEvents());
    assertEquals(stored, ok(kit.<Result>runCommand(ObjectEntity.Get::new).reply()));
    changes.expectNoMessage(java.time.Duration.ofMillis(100));
  }

  @Test
  void anApplyCreatesThenMergesAndReportsConflicts() {
    ObjectNode config = pod("busybox:1");
    var created = kit.<Result>runCommand(reply -> new ObjectEntity.Apply(config, false, null,
        new WriteOptions("alice", false, false), reply));
    Result.Ok ok = assertInstanceOf(Result.Ok.class, created.reply());
    assertTrue(ok.created());
    assertEquals("alice", ok.object().at("/metadata/managedFields/0/manager").asText());
    assertEquals("Apply", ok.object().at("/metadata/managedFields/0/operation").asText());

    ObjectNode other = pod("busybox:2");
    var conflict = kit.<Result>runCommand(reply -> new ObjectEntity.Apply(other, false, null,
        new WriteOptions("bob", false, false), reply));
    Status status = failed(conflict.reply());
    assertEquals(409, status.code());
    assertEquals("Apply failed with 1 conflict: conflict with \"alice\" using v1: "
        + ".spec.containers[name=\"httpd\"].image", status.message());
    assertEquals("FieldManagerConflict", status.details().causes().get(0).reason());
    assertTrue(conflict.hasNoEvents());

    var forced = kit.<Result>runCommand(reply -> new ObjectEntity.Apply(other, false, null,
        new WriteOptions("bob", false, true), reply));
    Result.Ok after = assertInstanceOf(Result.Ok.class, forced.reply());
    assertFalse(after.created());
    assertEquals("busybox:2", after.object().at("/spec/containers/0/image").asText());
  }

  @Test
  void updatesRecordTheirManagerAndSentManagedFieldsReplaceOrAreRefused() {
    ObjectNode stored = ok(kit.<Result>runCommand(reply -> new ObjectEntity.Create(pod("busybox:1"), null,
        WriteOptions.by("creator"), reply)).reply());
    assertEquals("creator", stored.at("/metadata/managedFields/0/manager").asText());
    assertEquals("Update", stored.at("/metadata/managedFields/0/operation").asText());
    assertTrue(stored.at("/metadata/managedFields/0/fieldsV1/f:spec/f:containers").has("k:{\"name\":\"httpd\"}"));

    ObjectNode changed = stored.deepCopy();
    ((ObjectNode) changed.path("metadata")).remove("managedFields"); // not sent: kept and brought up to date
    ((ObjectNode) changed.at("/spec/containers/0")).put("image", "busybox:2");
    ObjectNode updated = ok(kit.<Result>runCommand(reply -> new ObjectEntity.Update(changed, false, null,
        WriteOptions.by("editor"), reply)).reply());
    assertEquals("editor", updated.at("/metadata/managedFields/1/manager").asText());
    assertFalse(updated.at("/metadata/managedFields/0/fieldsV1/f:spec/f:containers/k:{\"name\":\"httpd\"}")
        .has("f:image"), "the editor took the image: " + updated.at("/metadata/managedFields"));

    ObjectNode bad = updated.deepCopy();
    ((ObjectNode) bad.at("/metadata/managedFields/0")).put("operation", "Sideways");
    Status refused = failed(kit.<Result>runCommand(reply -> new ObjectEntity.Update(bad, false, null,
        WriteOptions.by("editor"), reply)).reply());
    assertEquals(422, refused.code());
    assertTrue(refused.message().contains("metadata.managedFields"), refused.message());

    ObjectNode reset = updated.deepCopy();
    ((ObjectNode) reset.path("metadata")).putArray("managedFields");
    ObjectNode afterReset = ok(kit.<Result>runCommand(reply -> new ObjectEntity.Update(reset, false, null,
        WriteOptions.NONE, reply)).reply());
    assertFalse(afterReset.path("metadata").has("managedFields"), "sent empty: no one owns anything");
  }

  @Test
  void theJournalKeepsTheLastChangesItIsToldToAndTheStateSurvivesARestart() {
    TestProbe<Change> published = testKit.createTestProbe();
    var kept = EventSourcedBehaviorTestKit.<ObjectEntity.Command, ObjectEntity.Event, ObjectEntity.State>create(
        testKit.system(), ObjectEntity.create("default/kept", new PodStrategy(), published.getRef(),
            new ObjectEntity.Retention(2, 4), false, null));
    ObjectNode pod = pod("busybox:1");
    pod.with("metadata").put("name", "kept");
    ObjectNode current = ok(kept.<Result>runCommand(reply -> new ObjectEntity.Create(pod, reply)).reply());
    for (int i = 0; i < 12; i++) {
      ObjectNode next = current.deepCopy();
      next.with("metadata").with("labels").put("round", Integer.toString(i));
      current = ok(kept.<Result>runCommand(reply -> new ObjectEntity.Update(next, false, reply)).reply());
    }
    // 13 changes; the last snapshot, at change 12, deleted those up to 12 - 2 * 2 = 8: 9..13 stay
    List<Object> stored = kept.persistenceTestKit().persistedInStorage(PersistenceId.of(
        ObjectEntity.typeKey("Pod").name(), "default/kept").id());
    assertEquals(5, stored.size(), stored.toString());
    assertEquals("11", kept.restart().state().object().at("/metadata/labels/round").asText());
  }

  @Test
  void anEntityStartedForADryCreateAsksToBePassivated() {
    TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
    TestProbe<Change> published = testKit.createTestProbe();
    var dry = EventSourcedBehaviorTestKit.<ObjectEntity.Command, ObjectEntity.Event, ObjectEntity.State>create(
        testKit.system(), ObjectEntity.create("default/web-1", new PodStrategy(), published.getRef(), 100, false,
            shard.getRef()));
    var result = dry.<Result>runCommand(reply -> new ObjectEntity.Create(pod("busybox:1"), null,
        new WriteOptions("me", true, false), reply));
    ok(result.reply());
    assertTrue(result.hasNoEvents());
    shard.expectMessageClass(ClusterSharding.Passivate.class);
  }

  // ---- the audit trail: every event records who made the change --------------------------------

  private static final Requester ALICE = new Requester("alice", "uid-a", List.of("dev", "system:authenticated"),
      java.util.Map.of("scopes", List.of("x")), "kubectl/v1.33.0 (linux/amd64) kubernetes/abc");

  private static WriteOptions as(Requester who) {
    return WriteOptions.by("kubectl").withRequester(who);
  }

  @Test
  void everyChangeRecordsItsAuthorAndUserAgent() {
    ChangedBy alice = new ChangedBy("alice", "uid-a", List.of("dev", "system:authenticated"),
        "kubectl/v1.33.0 (linux/amd64) kubernetes/abc");
    var created = kit.<Result>runCommand(reply -> new ObjectEntity.Create(pod("busybox:1"), null, as(ALICE), reply));
    assertEquals(alice, created.event().by(), "user, uid, groups and agent; not the extra");
    ObjectNode next = ok(created.reply()).deepCopy();
    ((ObjectNode) next.at("/spec/containers/0")).put("image", "busybox:2");
    Requester bob = new Requester("bob", "", List.of(), null, "tug/1.0");
    var updated = kit.<Result>runCommand(reply -> new ObjectEntity.Update(next, false, null, as(bob), reply));
    assertEquals("bob", updated.event().by().user());
    assertEquals("tug/1.0", updated.event().by().userAgent());
    var bound = kit.<Result>runCommand(reply -> new ObjectEntity.Bind(null, "node-1", Requester.scheduler(), reply));
    assertEquals("system:kube-scheduler", bound.event().by().user());
    var marked = kit.<Result>runCommand(reply -> new ObjectEntity.Delete(null, null, 30L, List.of(), false,
        Requester.controller("replicaset-controller"), reply));
    assertInstanceOf(ObjectEntity.Updated.class, marked.event(), "a bound pod is first marked");
    assertEquals("system:serviceaccount:kube-system:replicaset-controller", marked.event().by().user());
    var gone = kit.<Result>runCommand(reply -> new ObjectEntity.Delete(null, null, 0L, List.of(), false,
        Requester.node("node-1"), reply));
    assertInstanceOf(ObjectEntity.Deleted.class, gone.event());
    assertEquals(new ChangedBy("system:node:node-1", "", List.of("system:nodes", "system:authenticated"), "tugboat"),
        gone.event().by());
    // The authors are not part of the state: a restart replays to the same object.
    kit.restart();
    assertFalse(kit.getState().exists());
  }

  @Test
  void aWriteThatNamesNobodyIsTheApiServers() {
    var created = create(pod("busybox:1"));
    assertEquals("system:apiserver", created.event().by().user());
    assertEquals(List.of("system:masters"), created.event().by().groups());
  }

  @Test
  void aWriteThatChangesNothingRecordsNobody() {
    ObjectNode stored = ok(kit.<Result>runCommand(reply -> new ObjectEntity.Create(pod("busybox:1"), null, as(ALICE),
        reply)).reply());
    var same = kit.<Result>runCommand(reply -> new ObjectEntity.Update(stored.deepCopy(), false, null,
        as(Requester.NONE), reply));
    assertTrue(same.hasNoEvents(), "no event, so no author either");
  }
}
