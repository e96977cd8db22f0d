package dev.tugboat.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import dev.tugboat.kind.KindStrategy;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Status;
import dev.tugboat.model.Validation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store of record, as the rest of Tugboat sees it: routes each request to the entity that owns
 * the object, and serves lists and watches from this member's index.
 *
 * <p>Every kind gets a shard region (entities run on control-plane members only; other members reach
 * them through a proxy), a topic on which its entities publish their changes, and, on every member,
 * a {@link WatchCache} subscribed to that topic and first filled from the journal: an informer, so a
 * node agent or an in-cluster client lists and watches locally, as the API server does.
 */
public final class Registry {
  private static final Logger log = LoggerFactory.getLogger(Registry.class);
  public static final String CONTROL_PLANE_ROLE = "control-plane";

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  // Kinds are added at run time (CustomResourceDefinitions) while requests read these maps.
  private final Map<String, KindStrategy> strategies;
  private final Map<String, ActorRef<WatchCache.Command>> caches;
  /** This member's change feed of each kind, which {@link FeedPositions} asks for consistent lists. */
  private final Map<String, ActorRef<Object>> feeds;
  /** Every member's {@link FeedPositions}, as the receptionist lists them. */
  private final java.util.concurrent.atomic.AtomicReference<Set<ActorRef<FeedPositions.Ask>>> feedPositions;
  private final Duration freshListWait;
  private final ObjectEntity.Retention retention;
  private final Set<String> encrypted;
  private final Config config;
  private final Duration askTimeout;
  private final IndexReplays replays;
  private final int watchBuffer;
  /** LimitRanger and ResourceQuota: the admission plugins that read a namespace's other objects. */
  private final NamespaceAdmission namespaceAdmission;
  /** Pod Security: the namespace's labels choose the standard a pod must meet. */
  private final PodSecurityAdmission podSecurity;
  /** Webhooks and policies configured at run time ({@link DynamicAdmission}); none until boot adds them. */
  private final DynamicAdmissions dynamicAdmission;
  /**
   * Who writes through this registry when a write names nobody: the API server for the registry
   * itself; a component's fixed identity for its view ({@link #as}). Recorded in every event.
   */
  private final Requester self;
  /** serve and unserve change the kinds of the registry and of all its views at once. */
  private final Object kindsLock;

  /** Starts the registry for the given kinds on this member. */
  public Registry(ActorSystem<?> system, List<KindStrategy> kinds) {
    this.self = Requester.APISERVER;
    this.kindsLock = new Object();
    this.strategies = new ConcurrentHashMap<>();
    this.caches = new ConcurrentHashMap<>();
    this.feeds = new ConcurrentHashMap<>();
    this.feedPositions = new java.util.concurrent.atomic.AtomicReference<>(Set.of());
    this.namespaceAdmission = new NamespaceAdmission(this);
    this.dynamicAdmission = new DynamicAdmissions();
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    Config config = system.settings().config().getConfig("tugboat.registry");
    this.askTimeout = config.getDuration("ask-timeout");
    this.freshListWait = config.getDuration("fresh-list-wait");
    this.watchBuffer = config.getInt("watch-buffer");
    this.config = config;
    this.retention = new ObjectEntity.Retention(config.getInt("snapshot-every"), config.getInt("history-keep"));
    this.podSecurity = PodSecurityAdmission.of(system.settings().config().getString("tugboat.pod-security.default-enforce"));
    Config encryption = system.settings().config().getConfig("tugboat.encryption");
    this.encrypted = Set.copyOf(encryption.getStringList("kinds"));
    // Read (or create) the keys now: a member that cannot decrypt must not start.
    EncryptionKeys.load(Path.of(encryption.getString("key-file")));
    kinds.forEach(this::start);
    this.replays = new IndexReplays(system, caches, config);
    replays.start();
    system.systemActorOf(FeedPositions.create(feeds), "feed-positions", Props.empty());
    system.systemActorOf(org.apache.pekko.actor.typed.javadsl.Behaviors.<org.apache.pekko.actor.typed.receptionist.Receptionist.Listing>setup(context -> {
      context.getSystem().receptionist().tell(org.apache.pekko.actor.typed.receptionist.Receptionist.subscribe(
          FeedPositions.KEY, context.getSelf()));
      return org.apache.pekko.actor.typed.javadsl.Behaviors.receiveMessage(listing -> {
        feedPositions.set(Set.copyOf(listing.getServiceInstances(FeedPositions.KEY)));
        return org.apache.pekko.actor.typed.javadsl.Behaviors.same();
      });
    }), "feed-positions-listing", Props.empty());
  }

  private Registry(Registry of, Requester self) {
    this.self = self;
    this.kindsLock = of.kindsLock;
    this.namespaceAdmission = of.namespaceAdmission;
    this.dynamicAdmission = of.dynamicAdmission;
    this.system = of.system;
    this.sharding = of.sharding;
    this.retention = of.retention;
    this.encrypted = of.encrypted;
    this.config = of.config;
    this.askTimeout = of.askTimeout;
    this.replays = of.replays;
    this.watchBuffer = of.watchBuffer;
    this.podSecurity = of.podSecurity;
    this.strategies = of.strategies;
    this.caches = of.caches;
    this.feeds = of.feeds;
    this.feedPositions = of.feedPositions;
    this.freshListWait = of.freshListWait;
  }

  /**
   * This registry as a component of Tugboat sees it (a controller, the scheduler, a node agent):
   * the same store, whose writes that name no user are made as {@code identity}, which admission
   * is told and every event records, as Kubernetes' components write under identities of their own.
   */
  public Registry as(Requester identity) {
    return new Registry(this, identity);
  }

  /** The requester of a write: the one it names, or this registry's own identity. */
  private WriteOptions attributed(WriteOptions options) {
    return options.requester().isNone() ? options.withRequester(self) : options;
  }

  private Requester attributed(Requester requester) {
    return requester == null || requester.isNone() ? self : requester;
  }

  /**
   * The shard region, change topic and index of a kind. An entity asks the registry for its kind's
   * strategy when it starts, so a kind defined again (a CRD's new schema) needs no new region.
   */
  private void start(KindStrategy strategy) {
    String kind = strategy.kind();
    strategies.put(kind, strategy);
    ActorRef<Topic.Command<ChangeFeed.Message>> topic = system.systemActorOf(
        Topic.create(ChangeFeed.Message.class, "tugboat-changes-" + kind), "changes-" + kind, Props.empty());
    ActorRef<Object> feedActor = system.systemActorOf(ChangeFeed.create(topic,
            Cluster.get(system).selfMember().uniqueAddress().toString(), config.getDuration("feed-heartbeat"),
            config.getInt("lose-every-nth-change")),
        "feed-" + kind, Props.empty());
    feeds.put(kind, feedActor);
    ActorRef<Change> feed = feedActor.narrow();
    sharding.init(Entity.of(ObjectEntity.typeKey(kind),
            ctx -> ObjectEntity.create(ctx.getEntityId(), strategy(kind), feed, retention, encrypted.contains(kind),
                ctx.getShard(), ShardLeases.get(system)))
        .withRole(CONTROL_PLANE_ROLE));
    caches.put(kind, system.systemActorOf(
        WatchCache.create(kind, topic,
            new WatchCache.Window(config.getInt("watch-window"), config.getBytes("watch-window-bytes")),
            config.getDuration("bookmark-interval"), () -> {
              if (replays != null) replays.catchUp(kind);
            }),
        "index-" + kind, Props.empty()));
  }

  /**
   * Serves a kind defined at run time on this member, from now on: routing and discovery name its
   * {@code versions}, and its index is filled from the journal (its objects outlive a restart). A
   * kind served before keeps its region, topic and index; its strategy is the one it had (a custom
   * kind's strategy follows its definition itself).
   */
  public void serve(KindStrategy strategy, List<ResourceType> versions) {
    synchronized (kindsLock) {
      boolean added = !caches.containsKey(strategy.kind());
      if (added) start(strategy);
      ResourceType.define(strategy.group(), strategy.kind(), versions);
      if (added) replays.fill(strategy.kind());
    }
  }

  /**
   * Adds a dynamic admission step (webhooks, policies), run on every write it
   * {@linkplain DynamicAdmission#concerns concerns} from now on. Added at startup.
   */
  public void addDynamicAdmission(DynamicAdmission step) {
    dynamicAdmission.add(step);
  }

  /** Stops serving a kind defined at run time (its definition was deleted). */
  public void unserve(String group, String kind) {
    synchronized (kindsLock) {
      ResourceType.remove(group, kind);
    }
  }

  /** True when requests for {@code kind} are served on this member now. */
  public boolean serves(String kind) {
    return ResourceType.byKind(kind).isPresent() && strategies.containsKey(kind);
  }

  /** The strategies of the kinds this member serves. */
  public Collection<KindStrategy> strategies() {
    return Collections.unmodifiableCollection(strategies.values());
  }

  public KindStrategy strategy(String kind) {
    KindStrategy s = strategies.get(kind);
    if (s == null) throw new IllegalArgumentException("no such kind: " + kind);
    return s;
  }

  /**
   * Creates an object in {@code namespace} (null for cluster-scoped kinds) after the rules every
   * create follows ({@link NewObjects}): a name from generateName, a valid name, and a namespace
   * that exists and is not being deleted; then the namespace's admission plugins
   * ({@link NamespaceAdmission}: LimitRanger's defaults and limits, ResourceQuota's charge).
   */
  public CompletionStage<Result> create(String kind, String namespace, ObjectNode object) {
    return create(kind, namespace, object, WriteOptions.NONE);
  }

  /** A create by a field manager, or a dry run of one ({@link WriteOptions}). */
  public CompletionStage<Result> create(String kind, String namespace, ObjectNode object, WriteOptions given) {
    WriteOptions options = attributed(given);
    KindStrategy strategy = strategy(kind);
    DynamicAdmission.Attributes attributes = new DynamicAdmission.Attributes(DynamicAdmission.Operation.CREATE,
        strategy.type(), null, namespace, ObjectMeta.text(ObjectMeta.of(object), "name"), options.dryRun(),
        options.requester());
    if (!dynamicAdmission.concerns(attributes)) return createDirect(kind, namespace, object, options);
    return createDirect(kind, namespace, object.deepCopy(), options.withDryRun(true)).thenCompose(tried ->
        !(tried instanceof Result.Ok ok) ? CompletableFuture.completedFuture(tried)
            : dynamicAdmission.admit(new DynamicAdmission.Review(attributes.withName(nameOf(ok.object())), null,
                ok.object())).thenCompose(outcome -> {
              if (outcome instanceof DynamicAdmission.Outcome.Refused refused) {
                return CompletableFuture.completedFuture(new Result.Failed(refused.status()));
              }
              DynamicAdmission.Outcome.Admitted admitted = (DynamicAdmission.Outcome.Admitted) outcome;
              if (options.dryRun()) {
                return CompletableFuture.completedFuture(reviewed(ok, admitted));
              }
              // The reviewed object is written (its generated name too), as a create: what the
              // entity sets (uid, timestamps, version) it sets again.
              return createDirect(kind, namespace, forCreate(admitted.object()), options)
                  .thenApply(result -> warned(result, admitted.warnings()));
            }));
  }

  private CompletionStage<Result> createDirect(String kind, String namespace, ObjectNode object, WriteOptions options) {
    KindStrategy strategy = strategy(kind);
    NewObjects.Named named = NewObjects.prepare(strategy, namespace, object);
    if (named.refusal() != null) return CompletableFuture.completedFuture(new Result.Failed(named.refusal()));
    if (!strategy.type().namespaced()) {
      return admissionReads(strategy).thenCompose(reads ->
          ask(kind, null, named.name(), reply -> new ObjectEntity.Create(object, reads, options, reply)));
    }
    return get("Namespace", null, namespace).thenCompose(ns -> {
      Status refusal = NewObjects.namespaceRefusal(namespace, ns);
      if (refusal != null) return CompletableFuture.completedFuture(new Result.Failed(refusal));
      PodSecurityAdmission.Decision podSecurity = podSecurity(strategy, ns, named.name(), object);
      if (podSecurity.refusal() != null) return CompletableFuture.completedFuture(new Result.Failed(podSecurity.refusal()));
      return admissionReads(strategy).thenCompose(reads ->
              namespaceAdmission.admit(strategy, namespace, named.name(), object, reads, options.dryRun())
                  .thenCompose(admitted -> admitted.refusal() != null
                      ? CompletableFuture.completedFuture(new Result.Failed(admitted.refusal()))
                      : ask(kind, namespace, named.name(),
                          reply -> new ObjectEntity.Create(admitted.object(), reads, options, reply))))
          .thenApply(result -> warned(result, podSecurity.warnings()));
    });
  }

  /**
   * Server-side apply of {@code config} to the object {@code name} by {@code options.fieldManager()}
   * (required): merged into it, or creating it (checked as a create is: name, namespace) when it
   * does not exist; the reply says which.
   */
  public CompletionStage<Result> apply(String kind, String namespace, String name, ObjectNode config, boolean status,
      WriteOptions options) {
    return admitted(kind, namespace, name, status, attributed(options), true,
        tryOptions -> applyDirect(kind, namespace, name, config, status, tryOptions));
  }

  private CompletionStage<Result> applyDirect(String kind, String namespace, String name, ObjectNode config,
      boolean status, WriteOptions options) {
    KindStrategy strategy = strategy(kind);
    if (options.fieldManager() == null || options.fieldManager().isEmpty()) {
      return CompletableFuture.completedFuture(new Result.Failed(Status.badRequest(
          "fieldManager: Required value: is required for apply patch")));
    }
    ObjectNode object = config.deepCopy();
    NewObjects.Named named = NewObjects.prepare(strategy, namespace, object);
    if (named.refusal() != null) return CompletableFuture.completedFuture(new Result.Failed(named.refusal()));
    if (!named.name().equals(name)) {
      return CompletableFuture.completedFuture(new Result.Failed(Status.badRequest(
          "the name of the object (" + named.name() + ") does not match the name on the URL (" + name + ")")));
    }
    CompletionStage<Status> namespaceRefusal = !strategy.type().namespaced() || status
        ? CompletableFuture.completedFuture(null)
        : get("Namespace", null, namespace).thenApply(ns -> NewObjects.namespaceRefusal(namespace, ns));
    return namespaceRefusal.thenCompose(refusal -> refusal != null
        ? CompletableFuture.completedFuture(new Result.Failed(refusal))
        : (status ? CompletableFuture.<ObjectNode>completedFuture(null) : admissionReads(strategy)).thenCompose(reads ->
            status || !strategy.type().namespaced() ? applied(kind, namespace, name, object, status, reads, options)
                // an apply that creates is admitted as a create is: LimitRanger, and the quota's charge
                : get(kind, namespace, name).thenCompose(existing -> existing instanceof Result.Ok
                    ? withPodSecurityWarnings(strategy, namespace, applied(kind, namespace, name, object, false, reads, options))
                    : admitPodSecurity(strategy, namespace, name, object).thenCompose(podSecurity -> podSecurity.refusal() != null
                        ? CompletableFuture.completedFuture((Result) new Result.Failed(podSecurity.refusal()))
                        : namespaceAdmission.admit(strategy, namespace, name, object, reads, options.dryRun())
                            .thenCompose(admitted -> admitted.refusal() != null
                                ? CompletableFuture.completedFuture(new Result.Failed(admitted.refusal()))
                                : applied(kind, namespace, name, admitted.object(), false, reads, options))
                            .thenApply(result -> warned(result, podSecurity.warnings()))))));
  }

  /** Pod Security's decision on a new object (a Pod, or a workload's template); nothing for other kinds. */
  private PodSecurityAdmission.Decision podSecurity(KindStrategy strategy, Result namespace, String name, JsonNode object) {
    if (!PodSecurityAdmission.concerns(strategy)) return new PodSecurityAdmission.Decision(null, List.of());
    return podSecurity.decide(strategy, namespace instanceof Result.Ok ok ? ok.object() : null, name, object);
  }

  private CompletionStage<PodSecurityAdmission.Decision> admitPodSecurity(KindStrategy strategy, String namespace,
      String name, JsonNode object) {
    if (!PodSecurityAdmission.concerns(strategy)) {
      return CompletableFuture.completedFuture(new PodSecurityAdmission.Decision(null, List.of()));
    }
    return get("Namespace", null, namespace).thenApply(ns -> podSecurity(strategy, ns, name, object));
  }

  /**
   * A changed workload's template warned of as a new one is (a Pod's spec cannot change what Pod
   * Security checks): the object as written is checked against its namespace's policy.
   */
  private CompletionStage<Result> withPodSecurityWarnings(KindStrategy strategy, String namespace,
      CompletionStage<Result> written) {
    if (strategy == null || !PodSecurityAdmission.concerns(strategy) || PodSecurityAdmission.isPod(strategy)) return written;
    return written.thenCompose(result -> !(result instanceof Result.Ok ok) ? CompletableFuture.completedFuture(result)
        : get("Namespace", null, namespace).thenApply(ns -> warned(result,
            podSecurity(strategy, ns, ok.object().path("metadata").path("name").asText(), ok.object()).warnings())));
  }

  private static Result warned(Result result, List<String> warnings) {
    return result instanceof Result.Ok ok ? ok.warned(warnings) : result;
  }

  private CompletionStage<Result> applied(String kind, String namespace, String name, ObjectNode config, boolean status,
      ObjectNode reads, WriteOptions options) {
    return ask(kind, namespace, name, reply -> new ObjectEntity.Apply(config, status, reads, options, reply));
  }

  /**
   * The objects the kind's admission reads ({@link KindStrategy#admissionReads()}), from this
   * member's index, as an object of arrays by kind; null when the kind reads none or the index
   * cannot answer (admission then decides without them).
   */
  private CompletionStage<ObjectNode> admissionReads(KindStrategy strategy) {
    List<String> kinds = strategy.admissionReads();
    if (kinds.isEmpty()) return CompletableFuture.completedFuture(null);
    ObjectNode reads = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    CompletableFuture<?>[] lists = kinds.stream().map(k -> list(k, null, o -> true, 0, null).thenAccept(l -> {
      if (l.failure() != null) return;
      synchronized (reads) {
        com.fasterxml.jackson.databind.node.ArrayNode items = reads.putArray(k);
        l.items().forEach(items::add);
      }
    }).toCompletableFuture()).toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(lists).handle((v, e) -> reads.size() == kinds.size() ? reads : null);
  }

  public CompletionStage<Result> get(String kind, String namespace, String name) {
    return ask(kind, namespace, name, ObjectEntity.Get::new);
  }

  public CompletionStage<Result> update(String kind, String namespace, String name, ObjectNode object, boolean status) {
    return update(kind, namespace, name, object, status, WriteOptions.NONE);
  }

  /** An update by a field manager, or a dry run of one ({@link WriteOptions}). */
  public CompletionStage<Result> update(String kind, String namespace, String name, ObjectNode object, boolean status,
      WriteOptions options) {
    // an update names the version it replaces (or takes whatever is there): a conflict is the client's to retry
    return admitted(kind, namespace, name, status, attributed(options), false,
        tryOptions -> updateDirect(kind, namespace, name, object, status, tryOptions));
  }

  private CompletionStage<Result> updateDirect(String kind, String namespace, String name, ObjectNode object,
      boolean status, WriteOptions options) {
    KindStrategy strategy = strategies.get(kind);
    if (status || strategy == null || strategy.admissionReads().isEmpty()) {
      CompletionStage<Result> written =
          ask(kind, namespace, name, reply -> new ObjectEntity.Update(object, status, null, options, reply));
      return status ? written : withPodSecurityWarnings(strategy, namespace, written);
    }
    return admissionReads(strategy).thenCompose(reads ->
        ask(kind, namespace, name, reply -> new ObjectEntity.Update(object, status, reads, options, reply)));
  }

  public CompletionStage<Result> patch(String kind, String namespace, String name, String patchType, JsonNode patch,
      boolean status) {
    return patch(kind, namespace, name, patchType, patch, status, WriteOptions.NONE);
  }

  /** A patch by a field manager, or a dry run of one ({@link WriteOptions}). */
  public CompletionStage<Result> patch(String kind, String namespace, String name, String patchType, JsonNode patch,
      boolean status, WriteOptions options) {
    return admitted(kind, namespace, name, status, attributed(options), true,
        tryOptions -> patchDirect(kind, namespace, name, patchType, patch, status, tryOptions));
  }

  private CompletionStage<Result> patchDirect(String kind, String namespace, String name, String patchType,
      JsonNode patch, boolean status, WriteOptions options) {
    KindStrategy strategy = strategies.get(kind);
    if (status || strategy == null || strategy.admissionReads().isEmpty()) {
      CompletionStage<Result> written =
          ask(kind, namespace, name, reply -> new ObjectEntity.Patch(patchType, patch, status, null, options, reply));
      return status ? written : withPodSecurityWarnings(strategy, namespace, written);
    }
    return admissionReads(strategy).thenCompose(reads ->
        ask(kind, namespace, name, reply -> new ObjectEntity.Patch(patchType, patch, status, reads, options, reply)));
  }

  /**
   * Deletes an object; {@code gracePeriodSeconds} (null: the object's own) applies to kinds that
   * terminate gracefully (a bound Pod: marked now, gone when its node agent confirms).
   */
  public CompletionStage<Result> delete(String kind, String namespace, String name, String uid, String resourceVersion,
      Long gracePeriodSeconds, List<String> addFinalizers) {
    return delete(kind, namespace, name, uid, resourceVersion, gracePeriodSeconds, addFinalizers, false);
  }

  /** A delete, or (when {@code dryRun}) everything a delete checks and the object it would leave, nothing done. */
  public CompletionStage<Result> delete(String kind, String namespace, String name, String uid, String resourceVersion,
      Long gracePeriodSeconds, List<String> addFinalizers, boolean dryRun) {
    return delete(kind, namespace, name, uid, resourceVersion, gracePeriodSeconds, addFinalizers, dryRun,
        Requester.NONE);
  }

  /**
   * A delete made for {@code requester}: dynamic admission reviews the object as it is (the
   * review's oldObject), and the delete is then made only of that very object (its uid).
   */
  public CompletionStage<Result> delete(String kind, String namespace, String name, String uid, String resourceVersion,
      Long gracePeriodSeconds, List<String> addFinalizers, boolean dryRun, Requester given) {
    Requester requester = attributed(given);
    KindStrategy strategy = strategy(kind);
    DynamicAdmission.Attributes attributes = new DynamicAdmission.Attributes(DynamicAdmission.Operation.DELETE,
        strategy.type(), null, namespace, name, dryRun, requester);
    if (!dynamicAdmission.concerns(attributes)) {
      return deleteDirect(kind, namespace, name, uid, resourceVersion, gracePeriodSeconds, addFinalizers, dryRun, requester);
    }
    return get(kind, namespace, name).thenCompose(current -> {
      if (!(current instanceof Result.Ok ok)) {
        return deleteDirect(kind, namespace, name, uid, resourceVersion, gracePeriodSeconds, addFinalizers, dryRun, requester);
      }
      String currentUid = ObjectMeta.text(ObjectMeta.of(ok.object()), "uid");
      if (uid != null && !uid.equals(currentUid)) {
        return deleteDirect(kind, namespace, name, uid, resourceVersion, gracePeriodSeconds, addFinalizers, dryRun, requester);
      }
      return dynamicAdmission.admit(new DynamicAdmission.Review(attributes, ok.object(), null)).thenCompose(outcome ->
          outcome instanceof DynamicAdmission.Outcome.Refused refused
              ? CompletableFuture.completedFuture(new Result.Failed(refused.status()))
              : deleteDirect(kind, namespace, name, currentUid, resourceVersion, gracePeriodSeconds, addFinalizers,
                  dryRun, requester).thenApply(r -> warned(r, ((DynamicAdmission.Outcome.Admitted) outcome).warnings())));
    });
  }

  private CompletionStage<Result> deleteDirect(String kind, String namespace, String name, String uid,
      String resourceVersion, Long gracePeriodSeconds, List<String> addFinalizers, boolean dryRun, Requester requester) {
    KindStrategy strategy = strategy(kind);
    String refused = strategy.undeletable(namespace, name);
    if (refused != null) {
      return CompletableFuture.completedFuture(new Result.Failed(
          Status.forbidden(strategy.plural() + " \"" + name + "\" is forbidden: " + refused)));
    }
    return ask(kind, namespace, name,
        reply -> new ObjectEntity.Delete(uid, resourceVersion, gracePeriodSeconds, addFinalizers, dryRun, requester, reply));
  }

  /** How many times a patch or apply whose object changed under its review is tried again. */
  private static final int ADMISSION_ATTEMPTS = 3;

  /**
   * A write to an existing object (or an apply that creates it) through dynamic admission, when a
   * step concerns it: the write is {@code tried} as a dry run, giving the final object; the steps
   * review (the object as read, that final object); what they admit is written as an update guarded
   * by the version reviewed, so nothing reviewed is overwritten by what was not. When the object
   * changed in between, a patch or apply ({@code retry}) is tried again on the new one; an update
   * gets the 409 it would have got.
   */
  private CompletionStage<Result> admitted(String kind, String namespace, String name, boolean status,
      WriteOptions options, boolean retry, Function<WriteOptions, CompletionStage<Result>> tried) {
    KindStrategy strategy = strategies.get(kind);
    if (strategy == null) return tried.apply(options);
    DynamicAdmission.Attributes attributes = new DynamicAdmission.Attributes(DynamicAdmission.Operation.UPDATE,
        strategy.type(), status ? "status" : null, namespace, name, options.dryRun(), options.requester());
    if (!dynamicAdmission.concerns(attributes) && !dynamicAdmission.concerns(
        attributes.withOperation(DynamicAdmission.Operation.CREATE))) {
      return tried.apply(options);
    }
    return admittedAttempt(kind, namespace, name, status, options, retry ? ADMISSION_ATTEMPTS : 1, attributes, tried);
  }

  private CompletionStage<Result> admittedAttempt(String kind, String namespace, String name, boolean status,
      WriteOptions options, int attempts, DynamicAdmission.Attributes attributes,
      Function<WriteOptions, CompletionStage<Result>> tried) {
    return get(kind, namespace, name).thenCompose(read -> tried.apply(options.withDryRun(true)).thenCompose(dry -> {
      if (!(dry instanceof Result.Ok ok)) return CompletableFuture.completedFuture(dry);
      ObjectNode old = read instanceof Result.Ok r ? r.object() : null;
      boolean creates = ok.created() || old == null;
      if (!creates && !java.util.Objects.equals(ObjectMeta.text(ObjectMeta.of(old), "resourceVersion"),
          ObjectMeta.text(ObjectMeta.of(ok.object()), "resourceVersion"))) {
        // written between the read and the dry run: review again what is there now
        return attempts > 1 ? admittedAttempt(kind, namespace, name, status, options, attempts - 1, attributes, tried)
            : CompletableFuture.completedFuture(new Result.Failed(conflict(kind, name)));
      }
      DynamicAdmission.Attributes as = creates ? attributes.withOperation(DynamicAdmission.Operation.CREATE) : attributes;
      if (!dynamicAdmission.concerns(as)) {
        return options.dryRun() ? CompletableFuture.completedFuture(dry) : tried.apply(options);
      }
      return dynamicAdmission.admit(new DynamicAdmission.Review(as, old, ok.object())).thenCompose(outcome -> {
        if (outcome instanceof DynamicAdmission.Outcome.Refused refused) {
          return CompletableFuture.completedFuture(new Result.Failed(refused.status()));
        }
        DynamicAdmission.Outcome.Admitted admitted = (DynamicAdmission.Outcome.Admitted) outcome;
        if (options.dryRun()) return CompletableFuture.completedFuture(reviewed(ok, admitted));
        CompletionStage<Result> written = creates
            ? createDirect(kind, namespace, forCreate(admitted.object()), options)
                .thenApply(r -> r instanceof Result.Ok w ? new Result.Ok(w.object(), true, w.warnings()) : r)
            // the managed fields are the dry run's (an apply's, an update's): written as they are
            : updateDirect(kind, namespace, name, guarded(admitted.object(), ok.object()), status, options.untracked());
        return written.thenCompose(r -> {
          if (r instanceof Result.Failed f && f.status().code() == 409 && attempts > 1) {
            return admittedAttempt(kind, namespace, name, status, options, attempts - 1, attributes, tried);
          }
          return CompletableFuture.completedFuture(warned(r, admitted.warnings()));
        });
      });
    }));
  }

  private Status conflict(String kind, String name) {
    KindStrategy strategy = strategy(kind);
    return Status.conflict(strategy.group(), strategy.plural(), name);
  }

  /** The admitted object, as the dry run answered it (its warnings, and whether it created), and the steps' warnings. */
  private static Result reviewed(Result.Ok tried, DynamicAdmission.Outcome.Admitted admitted) {
    return new Result.Ok(admitted.object(), tried.created(), tried.warnings()).warned(admitted.warnings());
  }

  /** An admitted object to create: what the entity sets on a create is left to it. */
  private static ObjectNode forCreate(ObjectNode admitted) {
    ObjectNode object = admitted.deepCopy();
    ObjectNode meta = ObjectMeta.of(object);
    for (String set : List.of("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields")) {
      meta.remove(set);
    }
    return object;
  }

  /** An admitted object to write over the one reviewed: only while that one is still there. */
  private static ObjectNode guarded(ObjectNode admitted, ObjectNode reviewed) {
    ObjectNode object = admitted.deepCopy();
    ObjectMeta.of(object).put("resourceVersion", ObjectMeta.text(ObjectMeta.of(reviewed), "resourceVersion"));
    ObjectMeta.of(object).put("uid", ObjectMeta.text(ObjectMeta.of(reviewed), "uid"));
    return object;
  }

  private static String nameOf(ObjectNode object) {
    return ObjectMeta.text(ObjectMeta.of(object), "name");
  }

  /**
   * Binds a pending Pod to a node, once: Conflict when it is bound elsewhere already, or is another
   * pod than {@code uid} (deleted and re-created meanwhile).
   */
  public CompletionStage<Result> bind(String namespace, String name, String uid, String nodeName) {
    return ask("Pod", namespace, name, reply -> new ObjectEntity.Bind(uid, nodeName, self, reply));
  }

  /** Lists from this member's index. */
  public CompletionStage<WatchCache.ListResult> list(String kind, String namespace, Predicate<ObjectNode> filter,
      int limit, String continueToken) {
    return list(kind, namespace, null, filter, limit, continueToken);
  }

  /**
   * Lists from this member's index once it is fresh enough: with {@code consistent}, once it holds
   * every change any member's feed had numbered when asked here (so every write acknowledged before
   * this call); at version {@code notOlderThan} at least; as the objects were at {@code exact} when
   * that is not -1. An unreachable member is not asked: its side of a partition is being downed.
   */
  public CompletionStage<WatchCache.ListResult> list(String kind, String namespace, Predicate<ObjectNode> filter,
      int limit, String continueToken, boolean consistent, long notOlderThan, long exact) {
    CompletionStage<Map<String, Long>> published = consistent ? published(kind) : CompletableFuture.completedFuture(Map.of());
    return published.thenCompose(p -> AskPattern.<WatchCache.Command, WatchCache.ListResult>ask(cache(kind),
            reply -> new WatchCache.List_(namespace, null, filter, limit, continueToken,
                new WatchCache.Freshness(p, notOlderThan, exact, freshListWait), reply),
            freshListWait.plus(askTimeout), system.scheduler()))
        .exceptionally(e -> new WatchCache.ListResult(List.of(), 0, null, null, failureOf(e)));
  }

  /**
   * The number of the last change of {@code kind} each reachable member's feed has published, by
   * publisher. A member that does not answer in time is left out if it has become unreachable
   * meanwhile (it died: the failure detector takes seconds); otherwise the read fails.
   */
  private CompletionStage<Map<String, Long>> published(String kind) {
    Set<ActorRef<FeedPositions.Ask>> members = feedPositions.get();
    List<CompletableFuture<ChangeFeed.Positioned>> asks = new java.util.ArrayList<>();
    ActorRef<Object> local = feeds.get(kind);
    if (members.stream().noneMatch(m -> m.path().address().hasLocalScope()) && local != null) {
      // This member's own registration may not be listed yet.
      asks.add(AskPattern.<Object, ChangeFeed.Positioned>ask(local, ChangeFeed.Position::new, freshListWait,
          system.scheduler()).toCompletableFuture());
    }
    for (ActorRef<FeedPositions.Ask> member : members) {
      if (unreachable(member)) continue;
      asks.add(AskPattern.<FeedPositions.Ask, ChangeFeed.Positioned>ask(member, reply -> new FeedPositions.Ask(kind, reply),
              freshListWait, system.scheduler()).toCompletableFuture()
          .exceptionally(e -> {
            if (unreachable(member)) return new ChangeFeed.Positioned("", 0);
            throw new java.util.concurrent.CompletionException(e);
          }));
    }
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(v -> {
      Map<String, Long> numbers = new java.util.HashMap<>();
      asks.forEach(a -> {
        ChangeFeed.Positioned p = a.join();
        if (p.number() > 0) numbers.put(p.publisher(), p.number());
      });
      return numbers;
    });
  }

  private boolean unreachable(ActorRef<?> member) {
    org.apache.pekko.actor.Address address = member.path().address();
    if (address.hasLocalScope()) return false;
    var state = Cluster.get(system).state();
    for (var m : state.getUnreachable()) {
      if (m.address().equals(address)) return true;
    }
    for (var m : state.getMembers()) {
      if (m.address().equals(address)) {
        var status = m.status();
        return status == org.apache.pekko.cluster.MemberStatus.down() || status == org.apache.pekko.cluster.MemberStatus.exiting()
            || status == org.apache.pekko.cluster.MemberStatus.removed();
      }
    }
    return true; // no longer a member
  }

  /**
   * Lists one slice of this member's index (the pods of a node, the objects of a controller),
   * looking at nothing else.
   */
  public CompletionStage<WatchCache.ListResult> list(String kind, String namespace, Indexed slice) {
    return list(kind, namespace, slice, slice::contains, 0, null);
  }

  /** Lists one slice (null: all) of {@code namespace} (null: all), with a filter that implies the slice. */
  CompletionStage<WatchCache.ListResult> list(String kind, String namespace, Indexed slice,
      Predicate<ObjectNode> filter, int limit, String continueToken) {
    return AskPattern.<WatchCache.Command, WatchCache.ListResult>ask(cache(kind),
            reply -> new WatchCache.List_(namespace, slice, filter, limit, continueToken, reply), askTimeout,
            system.scheduler())
        .exceptionally(e -> new WatchCache.ListResult(List.of(), 0, null, null, failureOf(e)));
  }

  /**
   * The changes of a kind as a stream, from {@code fromVersion} (exclusive; -1: every current object
   * as ADDED first). A watcher that cannot keep up (its buffer overflows) has its stream failed,
   * and re-watches from its last version, as Kubernetes clients do.
   */
  public Source<WatchEvent, NotUsed> watch(String kind, String namespace, Predicate<ObjectNode> filter,
      long fromVersion, boolean bookmarks) {
    return watch(kind, namespace, null, filter, fromVersion, bookmarks);
  }

  /** Watches one slice (null: all) of {@code namespace} (null: all), with a filter that implies the slice. */
  Source<WatchEvent, NotUsed> watch(String kind, String namespace, Indexed slice, Predicate<ObjectNode> filter,
      long fromVersion, boolean bookmarks) {
    ActorRef<WatchCache.Command> cache = cache(kind);
    return ActorSource.<WatchEvent>actorRef(e -> false, e -> Optional.empty(), watchBuffer, OverflowStrategy.fail())
        .mapMaterializedValue(sink -> {
          cache.tell(new WatchCache.Watch(namespace, slice, filter, fromVersion, bookmarks, sink));
          return NotUsed.getInstance();
        });
  }

  /** Completes once this member's index has the object at {@code key} at {@code version} or later. */
  public CompletionStage<Done> awaitIndexed(String kind, String key, long version, Duration timeout) {
    return AskPattern.ask(cache(kind), (ActorRef<Done> reply) -> new WatchCache.AwaitVersion(key, version, reply),
        timeout, system.scheduler());
  }

  /** Number of open watches per kind on this member. */
  public CompletionStage<Map<String, Integer>> openWatches() {
    return counts().thenApply(counts -> {
      Map<String, Integer> watches = new java.util.TreeMap<>();
      counts.forEach((kind, c) -> watches.put(kind, c.watches()));
      return watches;
    });
  }

  /**
   * Per kind served here: the watches open on this member and the objects its index holds (every
   * object of the kind, as the index follows them all: what Kubernetes' apiserver_storage_objects counts).
   */
  public CompletionStage<Map<String, WatchCache.Counts>> counts() {
    Map<String, WatchCache.Counts> counts = new java.util.concurrent.ConcurrentHashMap<>();
    CompletableFuture<?>[] asks = caches.entrySet().stream()
        .map(e -> AskPattern.<WatchCache.Command, WatchCache.Counts>ask(e.getValue(), WatchCache.CountWatches::new,
                askTimeout, system.scheduler())
            .thenAccept(n -> counts.put(e.getKey(), n)).toCompletableFuture())
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(asks).thenApply(v -> Map.copyOf(counts));
  }

  private CompletionStage<Result> ask(String kind, String namespace, String name,
      Function<ActorRef<Result>, ObjectEntity.Command> command) {
    KindStrategy strategy = strategy(kind);
    if (!canExist(strategy, namespace, name)) {
      // Every create checks names by these rules, so no such object exists: no entity is spawned
      // (a recovery from Cassandra and two minutes in memory) to say so.
      return CompletableFuture.completedFuture(new Result.Failed(
          Status.notFound(strategy.type().group(), strategy.type().plural(), name)));
    }
    return sharding.entityRefFor(ObjectEntity.typeKey(kind), ObjectEntity.entityId(namespace, name))
        .ask(command::apply, askTimeout)
        .exceptionally(e -> new Result.Failed(failureOf(e)));
  }

  /** Whether an object of this kind could have this name and namespace: both pass the rules a create checks. */
  static boolean canExist(KindStrategy strategy, String namespace, String name) {
    if (name == null || !Validation.validateName(strategy.nameRule(), name).isEmpty()) return false;
    if (!strategy.type().namespaced()) return true;
    return namespace != null && Validation.validateName(Validation.NameRule.DNS_LABEL, namespace).isEmpty();
  }

  private ActorRef<WatchCache.Command> cache(String kind) {
    ActorRef<WatchCache.Command> cache = caches.get(kind);
    if (cache == null) throw new IllegalArgumentException("no such kind: " + kind);
    return cache;
  }

  /** A timeout is the caller's 504; anything else on the way to an entity is 503. */
  static Status failureOf(Throwable e) {
    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof TimeoutException || cause.getClass().getSimpleName().contains("Timeout")) {
      return Status.timeout("the request did not complete in time: the object's entity did not answer "
          + "(is Cassandra reachable?)");
    }
    return Status.serviceUnavailable("the store is unavailable: " + cause.getMessage());
  }


}
