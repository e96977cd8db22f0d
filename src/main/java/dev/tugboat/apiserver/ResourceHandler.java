package dev.tugboat.apiserver;

import dev.tugboat.security.ServiceAccountTokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.apiserver.Negotiation.Representation;
import dev.tugboat.apiserver.table.Tables;
import dev.tugboat.kind.KindStrategy;
import dev.tugboat.kind.ObjectFilter;
import dev.tugboat.kind.Printer;
import dev.tugboat.model.Codec;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Status;
import dev.tugboat.registry.ObjectEntity;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import dev.tugboat.registry.WatchCache;
import dev.tugboat.registry.WatchEvent;
import dev.tugboat.registry.WriteOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.Query;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Serves the verbs of Kubernetes' resource API (create, get, list, watch, update, patch, delete,
 * deletecollection, and the status and scale subresources) over the {@link Registry}.
 *
 * <p>Every failure becomes a {@code Status} with a 4xx or 5xx code; nothing here throws to Pekko.
 */
final class ResourceHandler {
  private final ActorSystem<?> system;
  private final Registry registry;
  private final RequestBodies bodies;
  private final Duration readYourWrites;
  private final Duration watchLimit;
  private final RequestLimits limits;
  private final Optional<ServiceAccountTokens> tokens;

  ResourceHandler(ActorSystem<?> system, Registry registry, RequestBodies bodies, RequestLimits limits,
      Optional<ServiceAccountTokens> tokens) {
    this.tokens = tokens;
    this.system = system;
    this.registry = registry;
    this.bodies = bodies;
    this.limits = limits;
    var config = system.settings().config();
    this.readYourWrites = config.getDuration("tugboat.registry.read-your-writes-timeout");
    this.watchLimit = config.getDuration("tugboat.api.watch-limit");
  }

  /** The signer of ServiceAccount tokens; empty when this API server issues none. */
  Optional<ServiceAccountTokens> tokens() {
    return tokens;
  }

  CompletionStage<HttpResponse> handle(HttpRequest request, ApiPath path) {
    Query query = request.getUri().query();
    String method = request.method().value();
    ResourceType type = path.type();
    if (Histories.SUBRESOURCE.equals(path.subresource()) && !path.collection()) {
      return Histories.handle(this, path, method);
    }
    if (path.subresource() != null && !type.subresources().contains(path.subresource())) {
      return done(Status.notFound("the server could not find the requested resource"));
    }
    if ("log".equals(path.subresource())) {
      return "GET".equals(method) ? PodLogs.handle(this, path, query) : done(Status.methodNotAllowed(method, "pods/log"));
    }
    if (path.subresource() != null && PodStreams.SUBRESOURCES.contains(path.subresource()) && !path.collection()) {
      return PodStreams.handle(this, request, path);
    }
    Optional<Representation> chosen = Negotiation.choose(accept(request), verbOf(method, path, query),
        ProtobufBodies.served(type));
    if (chosen.isEmpty() || (path.subresource() != null && chosen.get().shape() != Negotiation.Shape.OBJECT)) {
      return done(Negotiation.notAcceptable(accept(request)));
    }
    Representation rep = chosen.get();
    if (path.collection()) {
      return switch (method) {
        case "GET" -> isWatch(query) ? watch(request, path, query, rep) : list(request, path, query, rep);
        case "POST" -> bodies.read(request, type).thenCompose(body -> body.failure() != null
            ? done(body.failure(), rep) : create(path, body, WriteParams.of(request, false), rep));
        case "DELETE" -> bodies.readOptional(request).thenCompose(body -> body.failure() != null
            ? done(body.failure(), rep) : deleteCollection(path, query, DeleteRequest.of(body.tree(), query), rep,
                WriteParams.requester(request)));
        default -> done(Status.methodNotAllowed(method, type.plural()), rep);
      };
    }
    if ("scale".equals(path.subresource())) return Scales.handle(this, request, path, method, rep);
    if ("binding".equals(path.subresource())) {
      return "POST".equals(method) ? Bindings.handle(this, request, path, rep)
          : done(Status.methodNotAllowed(method, "pods/binding"), rep);
    }
    if ("token".equals(path.subresource())) {
      return "POST".equals(method) ? TokenRequests.handle(this, request, path, rep)
          : done(Status.methodNotAllowed(method, "serviceaccounts/token"), rep);
    }
    if ("eviction".equals(path.subresource())) {
      return "POST".equals(method) ? Evictions.handle(this, request, path, rep)
          : done(Status.methodNotAllowed(method, "pods/eviction"), rep);
    }
    return switch (method) {
      case "GET" -> get(request, path, rep);
      case "PUT" -> bodies.read(request, type).thenCompose(body -> body.failure() != null
          ? done(body.failure(), rep) : update(path, body, WriteParams.of(request, false), rep));
      case "PATCH" -> bodies.readPatch(request).thenCompose(patch -> {
        if (patch.failure() != null) return done(patch.failure(), rep);
        boolean apply = RequestBodies.APPLY_PATCH.equals(patch.patchType());
        WriteParams params = WriteParams.of(request, apply);
        if (params.failure() != null) return done(params.failure(), rep);
        if (apply) return apply(request, path, (ObjectNode) patch.patch(), params.options(), rep);
        if (ServedVersions.of(type).isPresent()) return patchConverted(path, patch, params.options(), rep);
        return written(registry.patch(type.kind(), path.namespace(), path.name(), patch.patchType(), patch.patch(),
            "status".equals(path.subresource()), params.options()), path, 200, params.options().dryRun(), rep);
      });
      case "DELETE" -> bodies.readOptional(request).thenCompose(body -> body.failure() != null
          ? done(body.failure(), rep) : delete(path, DeleteRequest.of(body.tree(), query), rep,
              WriteParams.requester(request)));
      default -> done(Status.methodNotAllowed(method, type.plural()), rep);
    };
  }

  private static Negotiation.Verb verbOf(String method, ApiPath path, Query query) {
    if (!method.equals("GET")) return Negotiation.Verb.WRITE;
    if (!path.collection()) return Negotiation.Verb.GET;
    return isWatch(query) ? Negotiation.Verb.WATCH : Negotiation.Verb.LIST;
  }

  // ---- writes ---------------------------------------------------------------------------------

  private CompletionStage<HttpResponse> create(ApiPath path, RequestBodies.Body body, WriteParams params,
      Representation rep) {
    if (path.subresource() != null) {
      return done(Status.methodNotAllowed("POST", path.type().plural() + "/" + path.subresource()), rep);
    }
    if (params.failure() != null) return done(params.failure(), rep);
    Optional<Status> mismatch = checkIdentity(path, body.tree());
    if (mismatch.isPresent()) return done(mismatch.get(), rep);
    return written(registry.create(path.type().kind(), path.namespace(), ServedVersions.toStored(path.type(), body.tree()),
        params.options()), path, 201, params.options().dryRun(), rep)
        .thenApply(response -> withWarnings(response, body.warnings()));
  }

  /**
   * Server-side apply ({@code application/apply-patch+yaml}): the body is the manager's whole
   * configuration of the object, of the path's kind and name; 201 when it created the object.
   */
  private CompletionStage<HttpResponse> apply(HttpRequest request, ApiPath path, ObjectNode config,
      WriteOptions options, Representation rep) {
    ResourceType type = path.type();
    if (config.path("apiVersion").asText("").isEmpty() || config.path("kind").asText("").isEmpty()) {
      return done(Status.badRequest("an apply configuration must name its apiVersion and kind"), rep);
    }
    Optional<Status> mismatch = checkIdentity(path, config);
    if (mismatch.isPresent()) return done(mismatch.get(), rep);
    if (config.path("metadata").has("managedFields")) {
      return done(Status.badRequest("metadata.managedFields must be nil in an apply configuration"), rep);
    }
    String name = config.path("metadata").path("name").asText("");
    if (!name.equals(path.name())) {
      return done(Status.badRequest("the name of the object (" + name
          + ") does not match the name on the URL (" + path.name() + ")"), rep);
    }
    // Unknown fields: refused under fieldValidation=Strict (kubectl sends it), else warned of.
    List<String> warnings;
    try {
      boolean strict = "Strict".equals(request.getUri().query().get("fieldValidation").orElse(""));
      warnings = type.javaClass() == null ? List.of() : Codec.check(config.deepCopy(), strict, type).unknownFields()
          .stream().map(f -> "unknown field \"" + f + "\"").toList();
    } catch (Codec.DecodeException e) {
      return done(Status.badRequest(e.getMessage()), rep);
    }
    boolean status = "status".equals(path.subresource());
    return registry.apply(type.kind(), path.namespace(), path.name(), config, status, options).thenCompose(result ->
            written(CompletableFuture.completedFuture(result), path,
                result instanceof Result.Ok ok && ok.created() ? 201 : 200, options.dryRun(), rep))
        .thenApply(response -> withWarnings(response, warnings));
  }

  private CompletionStage<HttpResponse> update(ApiPath path, RequestBodies.Body body, WriteParams params,
      Representation rep) {
    if (params.failure() != null) return done(params.failure(), rep);
    Optional<Status> mismatch = checkIdentity(path, body.tree());
    if (mismatch.isPresent()) return done(mismatch.get(), rep);
    String bodyName = metadata(body.tree()).path("name").asText("");
    if (!bodyName.isEmpty() && !bodyName.equals(path.name())) {
      return done(Status.badRequest("the name of the object (" + bodyName
          + ") does not match the name on the URL (" + path.name() + ")"), rep);
    }
    return written(registry.update(path.type().kind(), path.namespace(), path.name(),
            ServedVersions.toStored(path.type(), body.tree()), "status".equals(path.subresource()), params.options()),
        path, 200, params.options().dryRun(), rep)
        .thenApply(response -> withWarnings(response, body.warnings()));
  }

  /**
   * A patch sent at a version the kind is not stored at applies to the object as that version
   * shows it (Kubernetes patches the object of the request's version): the current object is
   * converted, patched, converted back and written as an update conditional on the version it was
   * read at, so a write in between is a 409 rather than lost.
   */
  private CompletionStage<HttpResponse> patchConverted(ApiPath path, RequestBodies.PatchBody patch, WriteOptions options,
      Representation rep) {
    ResourceType type = path.type();
    boolean status = "status".equals(path.subresource());
    return registry.get(type.kind(), path.namespace(), path.name()).thenCompose(r -> {
      if (r instanceof Result.Failed f) return done(f.status(), rep);
      ObjectNode current = ((Result.Ok) r).object();
      ObjectNode patched;
      try {
        patched = registry.strategy(type.kind()).applyPatch(patch.patchType(), asServed(current, type), patch.patch());
      } catch (RuntimeException e) {
        return done(Status.unprocessable(e.getMessage() == null ? "the patch does not apply" : e.getMessage()), rep);
      }
      ObjectNode stored = ServedVersions.toStored(type, patched);
      metadata(stored).put("resourceVersion", current.path("metadata").path("resourceVersion").asText());
      return written(registry.update(type.kind(), path.namespace(), path.name(), stored, status, options), path, 200,
          options.dryRun(), rep);
    });
  }

  CompletionStage<HttpResponse> delete(ApiPath path, DeleteRequest delete, Representation rep) {
    return delete(path, delete, rep, dev.tugboat.registry.Requester.NONE);
  }

  CompletionStage<HttpResponse> delete(ApiPath path, DeleteRequest delete, Representation rep,
      dev.tugboat.registry.Requester requester) {
    if (delete.failure() != null) return done(delete.failure(), rep);
    // A dry run is checked by the object's entity as a delete is, and answered with what the delete
    // would leave (the object, or it marked for deletion); nothing is done.
    return written(registry.delete(path.type().kind(), path.namespace(), path.name(),
        delete.uid(), delete.resourceVersion(), delete.gracePeriodSeconds(), finalizersFor(path.type(), delete),
        delete.dryRun(), requester), path, 200, delete.dryRun(), rep);
  }

  private CompletionStage<HttpResponse> deleteCollection(ApiPath path, Query query, DeleteRequest delete,
      Representation rep, dev.tugboat.registry.Requester requester) {
    var filter = filter(registry.strategy(path.type().kind()), query);
    if (filter.failure() != null) return done(filter.failure(), rep);
    if (delete.failure() != null) return done(delete.failure(), rep);
    return registry.list(path.type().kind(), path.namespace(), filter.predicate(), 0, null).thenCompose(list -> {
      if (list.failure() != null) return done(list.failure(), rep);
      // A dry run asks each entity as a delete does, and answers with what each delete would leave.
      List<CompletableFuture<Result>> deletes = new ArrayList<>();
      for (ObjectNode o : list.items()) {
        JsonNode meta = o.path("metadata");
        deletes.add(registry.delete(path.type().kind(), emptyToNull(meta.path("namespace").asText("")),
            meta.path("name").asText(), null, null, delete.gracePeriodSeconds(), finalizersFor(path.type(), delete),
            delete.dryRun(), requester).toCompletableFuture());
      }
      return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new)).thenApply(v -> {
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        for (CompletableFuture<Result> d : deletes) {
          if (d.join() instanceof Result.Ok ok) items.add(asServed(ok.object(), path.type()));
        }
        return Responses.encoded(200, listBody(path.type(), items, list.resourceVersion(), null, null), rep.format());
      });
    });
  }

  /**
   * Waits until this member's index shows a write (so a following list sees it), then answers with
   * the written object.
   */
  CompletionStage<HttpResponse> written(CompletionStage<Result> write, ApiPath path, int code, Representation rep) {
    return written(write, path, code, false, rep);
  }

  /** As {@link #written(CompletionStage, ApiPath, int, Representation)}; a dry run wrote nothing to wait for. */
  CompletionStage<HttpResponse> written(CompletionStage<Result> write, ApiPath path, int code, boolean dryRun,
      Representation rep) {
    return write.thenCompose(result -> {
      if (result instanceof Result.Failed failed) return done(failed.status(), rep);
      Result.Ok written = (Result.Ok) result;
      ObjectNode object = written.object();
      // the registry's warnings (Pod Security's "would violate") go to the client as Warning headers
      if (dryRun) return done(withWarnings(Responses.encoded(code, asServed(object, path.type()), rep.format()),
          written.warnings()));
      JsonNode meta = object.path("metadata");
      long version = parseLong(meta.path("resourceVersion").asText("0"));
      String key = ObjectEntity.entityId(emptyToNull(meta.path("namespace").asText("")), meta.path("name").asText());
      return registry.awaitIndexed(path.type().kind(), key, version, readYourWrites)
          .handle((ok, timeout) -> withWarnings(Responses.encoded(code, asServed(object, path.type()), rep.format()),
              written.warnings()));
    });
  }

  // ---- reads ----------------------------------------------------------------------------------

  private CompletionStage<HttpResponse> get(HttpRequest request, ApiPath path, Representation rep) {
    Optional<Tables.Include> include = include(request, rep);
    if (include.isEmpty()) return done(badInclude(request.getUri().query()), rep);
    return registry.get(path.type().kind(), path.namespace(), path.name()).thenApply(result -> {
      if (result instanceof Result.Failed failed) return Responses.status(failed.status(), rep.format());
      ObjectNode object = ((Result.Ok) result).object();
      ObjectNode body = switch (rep.shape()) {
        case OBJECT -> asServed(object, path.type());
        case PARTIAL_METADATA -> PartialMetadata.of(object);
        case TABLE -> Tables.table(printer(path.type()), List.of(object),
            object.path("metadata").path("resourceVersion").asText(null), include.get(), Instant.now());
      };
      return Responses.encoded(200, body, rep.format());
    });
  }

  private CompletionStage<HttpResponse> list(HttpRequest request, ApiPath path, Query query, Representation rep) {
    var filter = filter(registry.strategy(path.type().kind()), query);
    if (filter.failure() != null) return done(filter.failure(), rep);
    Optional<Tables.Include> include = include(request, rep);
    if (include.isEmpty()) return done(badInclude(query), rep);
    int limit;
    try {
      limit = Integer.parseInt(query.get("limit").orElse("0"));
    } catch (NumberFormatException e) {
      return done(Status.badRequest("limit: Invalid value: \"" + query.get("limit").orElse("") + "\": must be an integer"), rep);
    }
    ListVersion.Parsed version = ListVersion.parse(query.get("resourceVersion"), query.get("resourceVersionMatch"),
        query.get("continue"), limit);
    if (version.failure() != null) return done(version.failure(), rep);
    ListVersion at = version.version();
    return registry.list(path.type().kind(), path.namespace(), filter.predicate(), Math.max(0, limit),
            query.get("continue").orElse(null), at.consistent(), at.notOlderThan(), at.exact())
        .thenApply(list -> {
          if (list.failure() != null) return Responses.status(list.failure(), rep.format());
          ObjectNode body = switch (rep.shape()) {
            case OBJECT -> listBody(path.type(), arrayOf(list.items(), path.type()), list.resourceVersion(),
                list.continueToken(), list.remainingItemCount());
            case PARTIAL_METADATA -> PartialMetadata.list(list.items(), list.resourceVersion(), list.continueToken(),
                list.remainingItemCount());
            case TABLE -> withContinue(Tables.table(printer(path.type()), list.items(),
                Long.toString(list.resourceVersion()), include.get(), Instant.now()), list.continueToken());
          };
          return Responses.encoded(200, body, rep.format());
        });
  }

  private CompletionStage<HttpResponse> watch(HttpRequest request, ApiPath path, Query query, Representation rep) {
    var filter = filter(registry.strategy(path.type().kind()), query);
    if (filter.failure() != null) return done(filter.failure(), rep);
    String rv = query.get("resourceVersion").orElse("");
    long from;
    if (rv.isEmpty() || rv.equals("0")) {
      from = -1; // "any": the current state as ADDED events, then changes
    } else {
      try {
        from = Long.parseLong(rv);
      } catch (NumberFormatException e) {
        return done(Status.badRequest("resourceVersion: Invalid value: \"" + rv + "\": must be a resourceVersion this server issued"), rep);
      }
    }
    Duration limit = watchLimit;
    Optional<String> timeout = query.get("timeoutSeconds");
    if (timeout.isPresent()) {
      try {
        limit = Duration.ofSeconds(Math.min(Long.parseLong(timeout.get()), watchLimit.toSeconds()));
      } catch (NumberFormatException e) {
        return done(Status.badRequest("timeoutSeconds: Invalid value: \"" + timeout.get() + "\": must be an integer"), rep);
      }
    }
    boolean bookmarks = query.get("allowWatchBookmarks").map(Boolean::parseBoolean).orElse(false);
    Optional<Tables.Include> include = include(request, rep);
    if (include.isEmpty()) return done(badInclude(query), rep);
    ResourceType type = path.type();
    Printer printer = printer(type);
    boolean protobuf = rep.format() == Negotiation.Format.PROTOBUF;
    Optional<Runnable> slot = limits.admitWatch(client(request));
    if (slot.isEmpty()) {
      return done(RequestLimits.tooManyRequests("too many watches are open from this client; close some first"), rep);
    }
    Source<ByteString, ?> events = registry
        .watch(type.kind(), path.namespace(), filter.predicate(), from, bookmarks)
        .watchTermination((mat, ended) -> {
          ended.whenComplete((done, error) -> slot.get().run());
          return mat;
        })
        .takeWithin(limit)
        .takeWhile(e -> !"ERROR".equals(e.type()), true)
        .map(e -> {
          WatchEvent sent = asSent(e, type, printer, rep.shape(), include.get());
          return protobuf ? ByteString.fromArray(ProtobufBodies.watchFrame(sent.type(), sent.object())) : encode(sent);
        });
    Optional<WebSocketUpgrade> upgrade = request.getAttribute(AttributeKeys.webSocketUpgrade);
    if (upgrade.isPresent()) {
      // fabric8 watches over a WebSocket: one frame per event.
      Source<Message, ?> frames = events.map(bytes -> protobuf
          ? (Message) BinaryMessage.create(bytes) : (Message) TextMessage.create(bytes.utf8String()));
      return done(upgrade.get().handleMessagesWith(Sink.ignore(), frames));
    }
    ContentType contentType = protobuf ? WATCH_PROTOBUF : ContentTypes.APPLICATION_JSON;
    return done(HttpResponse.create().withEntity(HttpEntities.createChunked(contentType, events)));
  }

  private static final ContentType WATCH_PROTOBUF = ContentTypes.create(MediaTypes.customBinary("application",
      "vnd.kubernetes.protobuf", false, java.util.Map.of("stream", "watch"), false));

  /**
   * A watch event as the client asked for it: the object, its metadata only, or a Table of one row
   * for {@code kubectl get -w}; a bookmark always names its apiVersion (kubectl 1.20 refuses it otherwise).
   */
  private static WatchEvent asSent(WatchEvent event, ResourceType type, Printer printer, Negotiation.Shape shape,
      Tables.Include include) {
    if ("ERROR".equals(event.type())) return event;
    ObjectNode object = event.object();
    if ("BOOKMARK".equals(event.type())) {
      object = object.deepCopy();
      object.put("kind", type.kind());
      object.put("apiVersion", type.apiVersion());
    }
    return new WatchEvent(event.type(), switch (shape) {
      case OBJECT -> asServed(object, type);
      case PARTIAL_METADATA -> PartialMetadata.of(object);
      case TABLE -> "BOOKMARK".equals(event.type())
          ? Tables.table(printer, List.of(), object.path("metadata").path("resourceVersion").asText(null),
              Tables.Include.NONE, Instant.now())
          : Tables.table(printer, List.of(object), object.path("metadata").path("resourceVersion").asText(null),
              include, Instant.now());
    });
  }

  /** How much of each object a Table row carries ({@code includeObject}); empty for a value Kubernetes does not know. */
  private static Optional<Tables.Include> include(HttpRequest request, Representation rep) {
    if (rep.shape() != Negotiation.Shape.TABLE) return Optional.of(Tables.Include.METADATA);
    return Tables.Include.parse(request.getUri().query().get("includeObject").orElse(null));
  }

  private static Status badInclude(Query query) {
    return Status.badRequest("includeObject: Unsupported value: \"" + query.get("includeObject").orElse("")
        + "\": supported values: \"None\", \"Metadata\", \"Object\"");
  }

  private static String accept(HttpRequest request) {
    return request.getHeader("Accept").map(h -> h.value()).orElse(null);
  }

  private static ObjectNode withContinue(ObjectNode table, String continueToken) {
    if (continueToken != null) ((ObjectNode) table.get("metadata")).put("continue", continueToken);
    return table;
  }

  private ByteString encode(WatchEvent event) throws Exception {
    ObjectNode line = JsonNodeFactory.instance.objectNode();
    line.put("type", event.type());
    line.set("object", event.object());
    return ByteString.fromArray(Codec.json().writeValueAsBytes(line)).concat(ByteString.fromString("\n"));
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** A list's body, e.g. {@code PodList}. */
  static ObjectNode listBody(ResourceType type, ArrayNode items, long resourceVersion, String continueToken,
      Long remaining) {
    ObjectNode list = JsonNodeFactory.instance.objectNode();
    list.put("kind", type.listKind());
    list.put("apiVersion", type.apiVersion());
    ObjectNode meta = list.putObject("metadata");
    meta.put("resourceVersion", Long.toString(resourceVersion));
    if (continueToken != null) meta.put("continue", continueToken);
    if (remaining != null) meta.put("remainingItemCount", remaining);
    list.set("items", items);
    return list;
  }

  record Filter(java.util.function.Predicate<ObjectNode> predicate, Status failure) {}

  static Filter filter(KindStrategy kind, Query query) {
    try {
      return new Filter(ObjectFilter.of(kind, query.get("labelSelector").orElse(null),
          query.get("fieldSelector").orElse(null)), null);
    } catch (IllegalArgumentException e) {
      return new Filter(null, Status.badRequest(e.getMessage()));
    }
  }

  /** The object's apiVersion and kind must be the path's; absent ones are taken from the path. */
  private static Optional<Status> checkIdentity(ApiPath path, ObjectNode object) {
    ResourceType type = path.type();
    String kind = object.path("kind").asText("");
    String apiVersion = object.path("apiVersion").asText("");
    if (kind.isEmpty()) object.put("kind", type.kind());
    if (apiVersion.isEmpty()) object.put("apiVersion", type.apiVersion());
    if (!kind.isEmpty() && !kind.equals(type.kind())) {
      return Optional.of(Status.badRequest("the kind of the object (" + kind + ") does not match the resource "
          + type.plural() + " of the request, which holds " + type.kind()));
    }
    if (!apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())) {
      return Optional.of(Status.badRequest("the apiVersion of the object (" + apiVersion
          + ") does not match the request's " + type.apiVersion()));
    }
    String namespace = metadata(object).path("namespace").asText("");
    if (path.namespace() != null && !namespace.isEmpty() && !namespace.equals(path.namespace())) {
      return Optional.of(Status.badRequest(
          "the namespace of the provided object does not match the namespace sent on the request"));
    }
    return Optional.empty();
  }

  private List<String> finalizersFor(ResourceType type, DeleteRequest delete) {
    return registry.strategy(type.kind()).finalizersOnDelete(delete.propagationPolicy());
  }

  private Printer printer(ResourceType type) {
    return registry.strategy(type.kind()).printer();
  }

  /**
   * Requests that stay open as long as the client wants (watches, followed logs): not counted
   * against the limits of requests in flight, which are for requests that end.
   */
  static boolean longRunning(HttpRequest request, ApiPath path) {
    Query query = request.getUri().query();
    return isWatch(query) || ("log".equals(path.subresource()) && query.get("follow").map(Boolean::parseBoolean).orElse(false));
  }

  /** Who a watch counts against: the client's address and User-Agent (there are no users yet). */
  private static String client(HttpRequest request) {
    String address = request.getAttribute(AttributeKeys.remoteAddress)
        .flatMap(a -> a.getAddress()).map(java.net.InetAddress::getHostAddress).orElse("?");
    return address + " " + request.getHeader("User-Agent").map(h -> h.value()).orElse("");
  }

  private static boolean isWatch(Query query) {
    String w = query.get("watch").orElse("");
    return w.equals("true") || w.equals("1");
  }

  static ObjectNode metadata(ObjectNode object) {
    JsonNode meta = object.get("metadata");
    return meta instanceof ObjectNode m ? m : object.putObject("metadata");
  }

  private static ArrayNode arrayOf(List<ObjectNode> items, ResourceType type) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    items.forEach(item -> array.add(asServed(item, type)));
    return array;
  }

  /**
   * An object as the version of the request shows it. Only custom kinds are served at several
   * versions, with no conversion between them (Kubernetes' {@code None}): only apiVersion differs.
   */
  static ObjectNode asServed(ObjectNode object, ResourceType type) {
    var conversion = ServedVersions.of(type);
    if (conversion.isPresent()) return conversion.get().fromStored().apply(object);
    if (type.javaClass() != null || type.apiVersion().equals(object.path("apiVersion").asText())) return object;
    ObjectNode copy = object.deepCopy();
    copy.put("apiVersion", type.apiVersion());
    return copy;
  }

  private static HttpResponse withWarnings(HttpResponse response, List<String> warnings) {
    if (warnings.isEmpty()) return response;
    return response.addHeaders(warnings.stream().map(Responses::warning).toList());
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  static CompletionStage<HttpResponse> done(Status status) {
    return CompletableFuture.completedFuture(Responses.status(status));
  }

  static CompletionStage<HttpResponse> done(Status status, Representation rep) {
    return CompletableFuture.completedFuture(Responses.status(status, rep.format()));
  }

  static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }

  Registry registry() {
    return registry;
  }

  RequestBodies bodies() {
    return bodies;
  }

  ActorSystem<?> system() {
    return system;
  }
}
