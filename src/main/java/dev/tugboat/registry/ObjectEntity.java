package dev.tugboat.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy;
import dev.tugboat.model.DeleteOptions;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.Status;
import dev.tugboat.model.apply.ClientSideApply;
import dev.tugboat.model.apply.FieldSet;
import dev.tugboat.model.apply.ManagedFields;
import dev.tugboat.model.apply.ManagedFieldsEntry;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SnapshotCountRetentionCriteria;

/**
 * One API object (a Pod, a Deployment, a Node, ...) as a sharded, event-sourced entity: the only
 * writer of that object, and so the place where uid, generation and resourceVersion are assigned and
 * where a stale write is refused.
 *
 * <p>Kind-agnostic on purpose, as kube-apiserver's generic store is: the object is kept as its JSON
 * tree and each event carries the whole object after the change (like an etcd revision), so
 * history, catch-up and schema evolution need no per-kind event types. What differs per kind lives
 * in its {@link KindStrategy}. There is one shard region per kind; the entity id is
 * {@code namespace/name} and the persistence id {@code Kind|namespace/name}.
 */
public final class ObjectEntity
    extends EventSourcedBehaviorWithEnforcedReplies<ObjectEntity.Command, ObjectEntity.Event, ObjectEntity.State> {

  // ---- commands -------------------------------------------------------------------------------

  /** What an entity is asked to do. Every command is answered with a {@link Result}. */
  public sealed interface Command extends CborSerializable {
    ActorRef<Result> replyTo();
  }

  /** Create the object; AlreadyExists when it exists. */
  public record Create(ObjectNode object, ObjectNode reads, WriteOptions options, ActorRef<Result> replyTo)
      implements Command {
    public Create(ObjectNode object, ActorRef<Result> replyTo) {
      this(object, null, WriteOptions.NONE, replyTo);
    }

    public Create(ObjectNode object, ObjectNode reads, ActorRef<Result> replyTo) {
      this(object, reads, WriteOptions.NONE, replyTo);
    }
  }

  /** Read the object; NotFound when absent. */
  public record Get(ActorRef<Result> replyTo) implements Command {}

  /**
   * Replace the object (or only its status, when {@code status}). A non-empty
   * {@code metadata.resourceVersion} in {@code object} must equal the current one.
   */
  public record Update(ObjectNode object, boolean status, ObjectNode reads, WriteOptions options,
      ActorRef<Result> replyTo) implements Command {
    public Update(ObjectNode object, boolean status, ActorRef<Result> replyTo) {
      this(object, status, null, WriteOptions.NONE, replyTo);
    }

    public Update(ObjectNode object, boolean status, ObjectNode reads, ActorRef<Result> replyTo) {
      this(object, status, reads, WriteOptions.NONE, replyTo);
    }
  }

  /** Apply a patch of the given media type to the current object, then write it as an Update. */
  public record Patch(String patchType, JsonNode patch, boolean status, ObjectNode reads, WriteOptions options,
      ActorRef<Result> replyTo) implements Command {
    public Patch(String patchType, JsonNode patch, boolean status, ActorRef<Result> replyTo) {
      this(patchType, patch, status, null, WriteOptions.NONE, replyTo);
    }

    public Patch(String patchType, JsonNode patch, boolean status, ObjectNode reads, ActorRef<Result> replyTo) {
      this(patchType, patch, status, reads, WriteOptions.NONE, replyTo);
    }
  }

  /**
   * Server-side apply of {@code config} (an object with at least apiVersion, kind and name) by
   * {@code options.fieldManager()}: merged into the object, or the object created from it when
   * there is none (the reply then says {@code created}); Conflict when it changes fields other
   * managers own, unless {@code options.force()}.
   */
  public record Apply(ObjectNode config, boolean status, ObjectNode reads, WriteOptions options,
      ActorRef<Result> replyTo) implements Command {}

  /**
   * Delete the object: gone at once without finalizers or a grace period; otherwise marked with a
   * deletionTimestamp and gone when the last finalizer is removed, or (a bound Pod) when a delete
   * with grace period 0 confirms it. Preconditions are checked when non-null; a null grace period is
   * the object's own (see {@link KindStrategy#deletionGracePeriod}).
   */
  public record Delete(String uid, String resourceVersion, Long gracePeriodSeconds, List<String> addFinalizers,
      boolean dryRun, Requester by, ActorRef<Result> replyTo) implements Command {
    public Delete(String uid, String resourceVersion, Long gracePeriodSeconds, List<String> addFinalizers,
        ActorRef<Result> replyTo) {
      this(uid, resourceVersion, gracePeriodSeconds, addFinalizers, false, Requester.NONE, replyTo);
    }

    public Delete(String uid, String resourceVersion, Long gracePeriodSeconds, List<String> addFinalizers,
        boolean dryRun, ActorRef<Result> replyTo) {
      this(uid, resourceVersion, gracePeriodSeconds, addFinalizers, dryRun, Requester.NONE, replyTo);
    }
  }

  /** Bind a pending Pod to a node (the binding subresource); see {@link PodBinding}. */
  public record Bind(String uid, String nodeName, Requester by, ActorRef<Result> replyTo) implements Command {
    public Bind(String uid, String nodeName, ActorRef<Result> replyTo) {
      this(uid, nodeName, Requester.NONE, replyTo);
    }
  }

  // ---- events ---------------------------------------------------------------------------------

  /**
   * What happened to the object; each carries the whole object after it, and who made the change
   * ({@code by}: the audit trail; null in events written before it was recorded, which still replay).
   */
  public sealed interface Event extends CborSerializable {
    ObjectNode object();

    ChangedBy by();

    /** The same change (its kind and author) carrying another form of the object (sealed or opened at rest). */
    Event withObject(ObjectNode object);
  }

  public record Created(ObjectNode object, ChangedBy by) implements Event {
    @JsonCreator
    public Created {}

    public Created(ObjectNode object) {
      this(object, null);
    }

    @Override
    public Event withObject(ObjectNode object) {
      return new Created(object, by);
    }
  }

  public record Updated(ObjectNode object, ChangedBy by) implements Event {
    @JsonCreator
    public Updated {}

    public Updated(ObjectNode object) {
      this(object, null);
    }

    @Override
    public Event withObject(ObjectNode object) {
      return new Updated(object, by);
    }
  }

  public record Deleted(ObjectNode object, ChangedBy by) implements Event {
    @JsonCreator
    public Deleted {}

    public Deleted(ObjectNode object) {
      this(object, null);
    }

    @Override
    public Event withObject(ObjectNode object) {
      return new Deleted(object, by);
    }
  }

  // ---- state ----------------------------------------------------------------------------------

  /**
   * The object, or null when it does not exist (never created, or deleted). The last
   * resourceVersion survives a deletion so that a re-created object's versions keep increasing.
   */
  public record State(ObjectNode object, long resourceVersion) implements CborSerializable {
    static State empty() {
      return new State(null, 0);
    }

    boolean exists() {
      return object != null;
    }

    State apply(Event event) {
      long rv = ObjectMeta.resourceVersion(event.object());
      return event instanceof Deleted ? new State(null, rv) : new State(event.object(), rv);
    }
  }

  // ---- behaviour ------------------------------------------------------------------------------

  /** The sharding key of a kind: one shard region per kind, named after it. */
  public static EntityTypeKey<Command> typeKey(String kind) {
    return EntityTypeKey.create(Command.class, kind);
  }

  /** {@code namespace/name}, or {@code name} for cluster-scoped objects. */
  public static String entityId(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }

  public static Behavior<Command> create(
      String entityId, KindStrategy strategy, ActorRef<Change> changes, int snapshotEvery) {
    return create(entityId, strategy, changes, snapshotEvery, false);
  }

  /**
   * @param encrypted the kind is encrypted at rest ({@link StorageSerializer}): it snapshots every
   *     event and deletes the older events (and the snapshots before the previous one), and a write
   *     that changes nothing is stored all the same, so that rewriting an object re-encrypts it under
   *     the newest key and, written twice, leaves nothing under a retired one
   */
  public static Behavior<Command> create(String entityId, KindStrategy strategy, ActorRef<Change> changes,
      int snapshotEvery, boolean encrypted) {
    return create(entityId, strategy, changes, snapshotEvery, encrypted, null);
  }

  public static Behavior<Command> create(String entityId, KindStrategy strategy, ActorRef<Change> changes,
      int snapshotEvery, boolean encrypted, ActorRef<ClusterSharding.ShardCommand> shard) {
    return create(entityId, strategy, changes, new Retention(snapshotEvery, 0), encrypted, shard);
  }

  /**
   * @param retention how often the entity snapshots, and how many of its changes its journal keeps
   * @param shard the shard hosting the entity (null outside sharding): an entity that a dry run
   *     started for an object that does not exist asks it to be passivated at once
   */
  public static Behavior<Command> create(String entityId, KindStrategy strategy, ActorRef<Change> changes,
      Retention retention, boolean encrypted, ActorRef<ClusterSharding.ShardCommand> shard) {
    return create(entityId, strategy, changes, retention, encrypted, shard, null);
  }

  /**
   * @param leases this member's shard leases (null outside sharding): the entity writes only while
   *     its shard's lease is held, so that a member cut off from the majority, or frozen past its
   *     lease, never writes beside the member that took the shard over
   */
  public static Behavior<Command> create(String entityId, KindStrategy strategy, ActorRef<Change> changes,
      Retention retention, boolean encrypted, ActorRef<ClusterSharding.ShardCommand> shard, ShardLeases leases) {
    return Behaviors.setup(context -> {
      // the entity's parent is its shard, named after the shard's id
      String shardId = URLDecoder.decode(context.getSelf().path().parent().name(), StandardCharsets.UTF_8);
      String typeName = typeKey(strategy.kind()).name();
      BooleanSupplier writable = leases == null ? () -> true : () -> leases.writable(typeName, shardId);
      return new ObjectEntity(entityId, strategy, changes, retention, encrypted,
          shard == null ? null : () -> shard.tell(new ClusterSharding.Passivate<>(context.getSelf())), writable);
    });
  }

  /**
   * A snapshot every {@code snapshotEvery} changes; the journal keeps at least the last
   * {@code keepChanges} of them (0: all) and deletes older ones when it snapshots. What it keeps is
   * what {@code GET .../history} can show.
   */
  public record Retention(int snapshotEvery, int keepChanges) {}

  private final String entityId;
  private final KindStrategy strategy;
  private final ActorRef<Change> changes;
  private final Retention retention;
  private final boolean encrypted;
  private final Runnable passivate;
  private final BooleanSupplier writable;

  private ObjectEntity(String entityId, KindStrategy strategy, ActorRef<Change> changes, Retention retention,
      boolean encrypted, Runnable passivate, BooleanSupplier writable) {
    super(PersistenceId.of(typeKey(strategy.kind()).name(), entityId),
        // A failing journal (Cassandra down) restarts the entity with backoff rather than stopping
        // it for good; the caller's ask times out and the API answers 503/504.
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.entityId = entityId;
    this.strategy = strategy;
    this.changes = changes;
    this.retention = retention;
    this.encrypted = encrypted;
    this.passivate = passivate;
    this.writable = writable;
  }

  @Override
  public State emptyState() {
    return State.empty();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // Snapshots speed up recovery; events are kept (history, and the index rebuild reads them),
    // except for kinds whose history is only periodic reports: a Node reports its status every
    // few minutes, hundreds of events a day that would slow every rebuild and say nothing.
    if (encrypted) return RetentionCriteria.snapshotEvery(1, 1).withDeleteEventsOnSnapshot();
    int every = retention.snapshotEvery();
    if (retention.keepChanges() > 0) {
      // A snapshot at change s deletes the changes up to s - k * every: k snapshots' worth is kept.
      int k = Math.max(1, (retention.keepChanges() + every - 1) / every);
      return RetentionCriteria.snapshotEvery(every, k).withDeleteEventsOnSnapshot();
    }
    SnapshotCountRetentionCriteria snapshots = RetentionCriteria.snapshotEvery(every, 2);
    return strategy.keepsHistory() ? snapshots : snapshots.withDeleteEventsOnSnapshot();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(),
            state.exists() ? new Result.Ok(state.object()) : new Result.Failed(notFound())))
        .onCommand(Update.class, (state, cmd) -> onWrite(state, cmd.object(), cmd.status(), cmd.reads(), cmd.options(),
            false, cmd.replyTo()))
        .onCommand(Patch.class, this::onPatch)
        .onCommand(Apply.class, this::onApply)
        .onCommand(Delete.class, this::onDelete)
        .onCommand(Bind.class, this::onBind)
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  private ReplyEffect<Event, State> onCreate(State state, Create cmd) {
    return create(state, cmd.object(), cmd.reads(), cmd.options(), null, cmd.replyTo());
  }

  /**
   * A create, or an apply that creates; {@code applied} are the managed fields of that apply
   * (null: a create, whose manager is given what it sets).
   */
  private ReplyEffect<Event, State> create(State state, ObjectNode requested, ObjectNode reads, WriteOptions options,
      List<ManagedFieldsEntry> applied, ActorRef<Result> replyTo) {
    if (state.exists()) {
      return Effect().reply(replyTo, new Result.Failed(
          Status.alreadyExists(strategy.group(), strategy.plural(), name())));
    }
    // The uid is known to admission: a Job's generated selector names it.
    String uid = UUID.randomUUID().toString();
    ObjectNode candidate = requested.deepCopy();
    ObjectMeta.of(candidate).put("uid", uid);
    ObjectMeta.of(candidate).remove("managedFields");
    KindStrategy.Admission admitted = strategy.admit(null, candidate, reads);
    if (admitted.failure() != null) return refuse(state, replyTo, admitted.failure());
    ObjectNode object = admitted.object();
    ObjectNode meta = ObjectMeta.of(object);
    if (applied != null) {
      setManagedFields(meta, applied);
    } else if (options.fieldManager() != null) {
      setManagedFields(meta, ManagedFields.afterUpdate(List.of(), null, object, options.fieldManager(),
          strategy.type().apiVersion(), null, Instant.now(), strategy.fieldSchema(), scope(false)));
    }
    meta.put("uid", uid);
    meta.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    meta.put("generation", 1L);
    meta.remove("deletionTimestamp");
    meta.remove("deletionGracePeriodSeconds");
    if (options.dryRun()) {
      meta.remove("resourceVersion"); // nothing was stored: there is no version to name
      return pretend(state, object, applied != null, replyTo);
    }
    meta.put("resourceVersion", Long.toString(ResourceVersionClock.next(state.resourceVersion())));
    return persistAndReply(new Created(object, ChangedBy.of(options.requester())), applied != null, replyTo);
  }

  private ReplyEffect<Event, State> onPatch(State state, Patch cmd) {
    if (!state.exists()) return Effect().reply(cmd.replyTo(), new Result.Failed(notFound()));
    ObjectNode patched;
    try {
      patched = strategy.applyPatch(cmd.patchType(), state.object(), cmd.patch());
    } catch (IllegalArgumentException e) {
      return Effect().reply(cmd.replyTo(), new Result.Failed(Status.unprocessable(e.getMessage())));
    }
    if (!touchesManagedFields(cmd.patch())) {
      // The patched object carries the current entries: as not sent, they are kept and brought
      // up to date for this patch's manager (sent ones would replace them).
      ObjectMeta.of(patched).remove("managedFields");
    }
    return onWrite(state, patched, cmd.status(), cmd.reads(), cmd.options(), false, cmd.replyTo());
  }

  /** Whether a patch (a JSON patch's operations, or a merge patch's tree) writes metadata.managedFields. */
  private static boolean touchesManagedFields(JsonNode patch) {
    if (patch.isArray()) {
      for (JsonNode op : patch) {
        if (op.path("path").asText("").startsWith("/metadata/managedFields")
            || op.path("path").asText("").equals("/metadata")) return true;
      }
      return false;
    }
    return patch.path("metadata").has("managedFields");
  }

  /**
   * Server-side apply: the configuration merged by the kind's list types, ownership and conflicts
   * by {@link ManagedFields}, then written as an update is (or created, when there is no object).
   */
  private ReplyEffect<Event, State> onApply(State state, Apply cmd) {
    WriteOptions options = cmd.options();
    String manager = options.fieldManager();
    ManagedFields.Scope scope = scope(cmd.status());
    String apiVersion = strategy.type().apiVersion();
    if (!state.exists()) {
      if (cmd.status()) return Effect().reply(cmd.replyTo(), new Result.Failed(notFound()));
      ManagedFields.Applied applied = ManagedFields.apply(List.of(), null, cmd.config(), manager, apiVersion,
          options.force(), FieldSet.EMPTY, Instant.now(), strategy.fieldSchema(), scope);
      ManagedFields.Merged merged = (ManagedFields.Merged) applied;
      ObjectNode object = merged.object();
      if (!object.has("apiVersion")) object.put("apiVersion", apiVersion);
      if (!object.has("kind")) object.put("kind", strategy.kind());
      return create(state, object, cmd.reads(), options, merged.managed(), cmd.replyTo());
    }
    ObjectNode current = state.object();
    List<ManagedFieldsEntry> managed;
    try {
      managed = managedFields(current);
    } catch (IllegalArgumentException e) {
      managed = List.of(); // unreadable entries (never written by us) are dropped, as Kubernetes resets them
    }
    FieldSet allowed = ClientSideApply.allowedConflicts(manager, current, strategy.fieldSchema(), scope);
    ManagedFields.Applied applied = ManagedFields.apply(managed, current, cmd.config(), manager, apiVersion,
        options.force(), allowed, Instant.now(), strategy.fieldSchema(), scope);
    if (applied instanceof ManagedFields.Conflicts conflicts) {
      List<Status.Cause> causes = conflicts.conflicts().stream()
          .map(c -> new Status.Cause("FieldManagerConflict", c.message(), c.field())).toList();
      return Effect().reply(cmd.replyTo(), new Result.Failed(Status.failure(409, "Conflict", conflicts.message(),
          new Status.Details(null, null, null, null, causes, null))));
    }
    ManagedFields.Merged merged = (ManagedFields.Merged) applied;
    ObjectNode next = ClientSideApply.followApply(manager, merged.object(), cmd.config());
    setManagedFields(ObjectMeta.of(next), merged.managed());
    return onWrite(state, next, cmd.status(), cmd.reads(), options, true, cmd.replyTo());
  }

  /** Whose fields a write may own: a kind with a status subresource splits them between the two. */
  private ManagedFields.Scope scope(boolean statusOnly) {
    if (!strategy.hasStatus()) return ManagedFields.Scope.ALL;
    return statusOnly ? ManagedFields.Scope.STATUS : ManagedFields.Scope.MAIN;
  }

  private static List<ManagedFieldsEntry> managedFields(ObjectNode object) {
    JsonNode entries = ObjectMeta.of(object).get("managedFields");
    if (entries == null || entries.isNull()) return List.of();
    if (!entries.isArray()) throw new IllegalArgumentException("metadata.managedFields: must be a list");
    List<ManagedFieldsEntry> list = new ArrayList<>();
    for (JsonNode e : entries) {
      try {
        list.add(MANAGED_FIELDS.treeToValue(e, ManagedFieldsEntry.class));
      } catch (JsonProcessingException | IllegalArgumentException bad) {
        throw new IllegalArgumentException("metadata.managedFields: " + bad.getMessage());
      }
    }
    ManagedFields.check(list);
    return list;
  }

  private static final ObjectMapper MANAGED_FIELDS =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private static void setManagedFields(ObjectNode meta, List<ManagedFieldsEntry> entries) {
    if (entries.isEmpty()) {
      meta.remove("managedFields");
      return;
    }
    meta.set("managedFields", MANAGED_FIELDS.valueToTree(entries));
  }

  /**
   * Update, patch and apply end here: preconditions, admission, managed fields (unless
   * {@code tracked}: an apply has set them), generation, and the write itself.
   */
  private ReplyEffect<Event, State> onWrite(State state, ObjectNode requested, boolean statusOnly, ObjectNode reads,
      WriteOptions options, boolean tracked, ActorRef<Result> replyTo) {
    if (!state.exists()) return Effect().reply(replyTo, new Result.Failed(notFound()));
    ObjectNode current = state.object();
    String expectedRv = ObjectMeta.text(ObjectMeta.of(requested), "resourceVersion");
    if (expectedRv != null && !expectedRv.isEmpty()
        && !expectedRv.equals(ObjectMeta.text(ObjectMeta.of(current), "resourceVersion"))) {
      return Effect().reply(replyTo, new Result.Failed(Status.conflict(strategy.group(), strategy.plural(), name())));
    }
    String expectedUid = ObjectMeta.text(ObjectMeta.of(requested), "uid");
    String uid = ObjectMeta.text(ObjectMeta.of(current), "uid");
    if (expectedUid != null && !expectedUid.isEmpty() && !expectedUid.equals(uid)) {
      // A writer that knew an earlier object of this name (a node agent reporting a replaced pod).
      return Effect().reply(replyTo, new Result.Failed(Status.conflict(strategy.group(), strategy.plural(), name(),
          "Precondition failed: UID in precondition: " + expectedUid + ", UID in object meta: " + uid)));
    }
    ObjectNode candidate = statusOnly
        ? withStatusOf(current, requested)
        : strategy.hasStatus() ? withStatusOf(requested.deepCopy(), current) : requested.deepCopy();
    keepSystemMetadata(candidate, current);
    if (tracked) ObjectMeta.of(candidate).set("managedFields", ObjectMeta.of(requested).get("managedFields"));
    // Managed fields the writer did not send are kept; ones it sent replace them (kubectl moving a
    // client-side apply's fields to its server-side apply does so), and are checked.
    List<ManagedFieldsEntry> managedBefore;
    try {
      JsonNode sent = ObjectMeta.of(candidate).get("managedFields");
      managedBefore = managedFields(sent == null ? current : candidate);
      if (sent == null && current.path("metadata").has("managedFields")) {
        ObjectMeta.of(candidate).set("managedFields", ObjectMeta.of(current).get("managedFields").deepCopy());
      }
    } catch (IllegalArgumentException e) {
      return Effect().reply(replyTo, new Result.Failed(Status.invalid(strategy.group(), strategy.kind(), name(),
          List.of(FieldError.invalid("metadata.managedFields", null, e.getMessage())))));
    }
    KindStrategy.Admission admitted = strategy.admit(current, candidate, reads);
    if (admitted.failure() != null) return Effect().reply(replyTo, new Result.Failed(admitted.failure()));
    ObjectNode next = admitted.object();
    ObjectNode meta = ObjectMeta.of(next);
    if (meta.path("managedFields").isEmpty()) meta.remove("managedFields"); // sent empty: no one owns anything
    if (!tracked && options.fieldManager() != null) {
      setManagedFields(meta, ManagedFields.afterUpdate(managedBefore, current, next, options.fieldManager(),
          strategy.type().apiVersion(), statusOnly ? "status" : null, Instant.now(), strategy.fieldSchema(),
          scope(statusOnly)));
    }
    long generation = ObjectMeta.of(current).path("generation").asLong(1);
    meta.put("generation", specChanged(current, next) ? generation + 1 : generation);
    meta.put("resourceVersion", ObjectMeta.text(ObjectMeta.of(current), "resourceVersion"));
    if (sameTree(next, current) && !encrypted) {
      return Effect().reply(replyTo, new Result.Ok(current)); // nothing changed: no event, same version
    }
    if (options.dryRun()) return pretend(state, next, false, replyTo);
    meta.put("resourceVersion", Long.toString(ResourceVersionClock.next(state.resourceVersion())));
    boolean finalized = meta.has("deletionTimestamp") && ObjectMeta.finalizers(next).isEmpty();
    ChangedBy by = ChangedBy.of(options.requester());
    return persistAndReply(finalized ? new Deleted(next, by) : new Updated(next, by), replyTo);
  }

  private ReplyEffect<Event, State> onDelete(State state, Delete cmd) {
    if (!state.exists()) return Effect().reply(cmd.replyTo(), new Result.Failed(notFound()));
    ObjectNode current = state.object();
    ObjectNode currentMeta = ObjectMeta.of(current);
    if (cmd.uid() != null && !cmd.uid().equals(ObjectMeta.text(currentMeta, "uid"))) {
      return Effect().reply(cmd.replyTo(), new Result.Failed(Status.conflict(strategy.group(), strategy.plural(), name(),
          "Precondition failed: UID in precondition: " + cmd.uid() + ", UID in object meta: " + ObjectMeta.text(currentMeta, "uid"))));
    }
    if (cmd.resourceVersion() != null && !cmd.resourceVersion().equals(ObjectMeta.text(currentMeta, "resourceVersion"))) {
      return Effect().reply(cmd.replyTo(), new Result.Failed(Status.conflict(strategy.group(), strategy.plural(), name())));
    }
    ObjectNode next = current.deepCopy();
    ObjectNode meta = ObjectMeta.of(next);
    // bounded here too: a pod admitted before the bound, or a caller inside the cluster, never stops the entity
    long grace = Math.min(strategy.deletionGracePeriod(current, cmd.gracePeriodSeconds()), DeleteOptions.MAX_GRACE_PERIOD_SECONDS);
    if (grace > 0) return terminateGracefully(state, current, grace, cmd.dryRun(), cmd.by(), cmd.replyTo());
    List<String> finalizers = new java.util.ArrayList<>(ObjectMeta.finalizers(next));
    for (String f : cmd.addFinalizers()) if (!finalizers.contains(f)) finalizers.add(f);
    if (!finalizers.isEmpty()) {
      ObjectMeta.setFinalizers(next, finalizers);
      if (!meta.has("deletionTimestamp")) {
        meta.put("deletionTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        meta.put("deletionGracePeriodSeconds", 0);
      }
      if (sameTree(next, current)) return Effect().reply(cmd.replyTo(), new Result.Ok(current));
      if (cmd.dryRun()) return pretend(state, next, false, cmd.replyTo());
      meta.put("resourceVersion", Long.toString(ResourceVersionClock.next(state.resourceVersion())));
      return persistAndReply(new Updated(next, ChangedBy.of(cmd.by())), cmd.replyTo());
    }
    if (cmd.dryRun()) return pretend(state, next, false, cmd.replyTo());
    meta.put("resourceVersion", Long.toString(ResourceVersionClock.next(state.resourceVersion())));
    return persistAndReply(new Deleted(next, ChangedBy.of(cmd.by())), cmd.replyTo());
  }

  /**
   * Marks the object as terminating for {@code grace} seconds; whoever runs it (a node agent)
   * finishes the delete. A second delete may shorten the grace period, never lengthen it.
   */
  private ReplyEffect<Event, State> terminateGracefully(State state, ObjectNode current, long grace, boolean dryRun,
      Requester by, ActorRef<Result> replyTo) {
    ObjectNode currentMeta = ObjectMeta.of(current);
    if (currentMeta.has("deletionTimestamp")
        && currentMeta.path("deletionGracePeriodSeconds").asLong(Long.MAX_VALUE) <= grace) {
      return Effect().reply(replyTo, new Result.Ok(current));
    }
    ObjectNode next = current.deepCopy();
    ObjectNode meta = ObjectMeta.of(next);
    meta.put("deletionTimestamp", Instant.now().plusSeconds(grace).truncatedTo(ChronoUnit.SECONDS).toString());
    meta.put("deletionGracePeriodSeconds", grace);
    if (dryRun) return pretend(state, next, false, replyTo);
    meta.put("resourceVersion", Long.toString(ResourceVersionClock.next(state.resourceVersion())));
    return persistAndReply(new Updated(next, ChangedBy.of(by)), replyTo);
  }

  private ReplyEffect<Event, State> onBind(State state, Bind cmd) {
    if (!state.exists()) return Effect().reply(cmd.replyTo(), new Result.Failed(notFound()));
    if (!"Pod".equals(strategy.kind())) {
      return Effect().reply(cmd.replyTo(), new Result.Failed(Status.methodNotAllowed("POST", strategy.plural() + "/binding")));
    }
    PodBinding.Outcome outcome = PodBinding.bind(state.object(), cmd.uid(), cmd.nodeName(), Instant.now());
    if (outcome.refusal() != null) return Effect().reply(cmd.replyTo(), new Result.Failed(outcome.refusal()));
    if (outcome.bound() == state.object()) return Effect().reply(cmd.replyTo(), new Result.Ok(state.object()));
    ObjectNode next = outcome.bound();
    ObjectMeta.of(next).put("resourceVersion", Long.toString(ResourceVersionClock.next(state.resourceVersion())));
    return persistAndReply(new Updated(next, ChangedBy.of(cmd.by())), cmd.replyTo());
  }

  private ReplyEffect<Event, State> persistAndReply(Event event, ActorRef<Result> replyTo) {
    return persistAndReply(event, false, replyTo);
  }

  /**
   * A dry run's answer: the object as the write would leave it (its version the current one),
   * nothing persisted or published. An entity started only for this (no object) goes at once, so
   * that a dry create leaves nothing behind, not even in memory.
   */
  private ReplyEffect<Event, State> pretend(State state, ObjectNode wouldBe, boolean created, ActorRef<Result> replyTo) {
    if (!state.exists() && passivate != null) passivate.run();
    if (ObjectSize.exceeds(wouldBe, ObjectSize.LIMIT)) return Effect().reply(replyTo, new Result.Failed(tooLarge()));
    return Effect().reply(replyTo, new Result.Ok(wouldBe, created));
  }

  /** Every command, reply and change carries the whole object between members: Artery's frame is sized for this cap. */
  private static Status tooLarge() {
    return Status.requestEntityTooLarge("the object would be larger than " + ObjectSize.LIMIT
        + " bytes (1.5 MiB), the most one object may hold");
  }

  private ReplyEffect<Event, State> refuse(State state, ActorRef<Result> replyTo, Status status) {
    if (!state.exists() && passivate != null) passivate.run();
    return Effect().reply(replyTo, new Result.Failed(status));
  }

  private ReplyEffect<Event, State> persistAndReply(Event event, boolean created, ActorRef<Result> replyTo) {
    if (!(event instanceof Deleted) && ObjectSize.exceeds(event.object(), ObjectSize.LIMIT)) {
      return Effect().reply(replyTo, new Result.Failed(tooLarge()));
    }
    if (!writable.getAsBoolean()) {
      return Effect().reply(replyTo, new Result.Failed(Status.serviceUnavailable("this member no longer holds the lease of "
          + strategy.plural() + " \"" + name() + "\" (it is cut off from the cluster's majority, or its renewals did not"
          + " reach Cassandra in time): nothing was written; try again, a member of the majority takes it over")));
    }
    return Effect().persist(event)
        .thenRun(state -> {
          if (!writable.getAsBoolean()) return; // see below: not a change anyone may rely on
          RegistryMetrics.persisted(strategy.kind());
          changes.tell(new Change(strategy.kind(), entityId, event.object(),
              ObjectMeta.resourceVersion(event.object()), event instanceof Deleted));
        })
        .thenReply(replyTo, state -> writable.getAsBoolean() ? new Result.Ok(event.object(), created) : lapsedMidWrite());
  }

  /**
   * The lease lapsed while the write was on its way (the process froze after its check, say): it
   * may have reached the journal after another member took the object over, where recovery's
   * replay filter discards it (the newer writer's events win). So it is not acknowledged: the
   * client gets what a timeout tells it, that the write may or may not have happened.
   */
  private Result lapsedMidWrite() {
    return new Result.Failed(Status.serviceUnavailable("this member's lease of " + strategy.plural() + " \"" + name()
        + "\" lapsed while the write was on its way: it may not have been kept; read the object and try again"));
  }

  private static ObjectNode withStatusOf(ObjectNode target, ObjectNode source) {
    ObjectNode result = target.deepCopy();
    if (source.has("status")) result.set("status", source.get("status").deepCopy());
    else result.remove("status");
    return result;
  }

  /** uid, creationTimestamp, deletion marks and the name are the system's, whatever a client sends. */
  private static void keepSystemMetadata(ObjectNode candidate, ObjectNode current) {
    ObjectNode meta = ObjectMeta.of(candidate);
    ObjectNode old = ObjectMeta.of(current);
    for (String field : List.of("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
        "name", "namespace", "generation")) {
      if (old.has(field)) meta.set(field, old.get(field).deepCopy());
      else meta.remove(field);
    }
  }

  /** Equal trees, numbers compared by value (1 and 1L are the same generation). */
  private static boolean sameTree(JsonNode a, JsonNode b) {
    return a.equals((x, y) -> x.isNumber() && y.isNumber()
        ? x.decimalValue().compareTo(y.decimalValue())
        : x.equals(y) ? 0 : 1, b);
  }

  /** Kubernetes bumps generation on any change outside metadata and status. */
  private static boolean specChanged(ObjectNode before, ObjectNode after) {
    ObjectNode a = before.deepCopy();
    ObjectNode b = after.deepCopy();
    for (ObjectNode n : List.of(a, b)) {
      n.remove("metadata");
      n.remove("status");
    }
    return !sameTree(a, b);
  }

  private Status notFound() {
    return Status.notFound(strategy.group(), strategy.plural(), name());
  }

  private String name() {
    int slash = entityId.indexOf('/');
    return slash < 0 ? entityId : entityId.substring(slash + 1);
  }
}
