package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.Query;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
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

  ResourceHandler(ActorSystem<?> system, Registry registry, RequestBodies bodies) {
    this.system = system;
    this.registry = registry;
    this.bodies = bodies;
    var config = system.settings().config();
    this.readYourWrites = config.getDuration("tugboat.registry.read-your-writes-timeout");
    this.watchLimit = config.getDuration("tugboat.api.watch-limit");
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
    if (path.collection()) {
      return switch (method) {
        case "GET" -> isWatch(query) ? watch(request, path, query) : list(request, path, query);
        case "POST" -> bodies.read(request, type).thenCompose(body -> body.failure() != null
            ? done(body.failure()) : create(path, body, query));
        case "DELETE" -> deleteCollection(path, query);
        default -> done(Status.methodNotAllowed(method, type.plural()));
      };
    }
    if ("scale".equals(path.subresource())) return Scales.handle(this, request, path, method);
    if ("log".equals(path.subresource())) {
      return "GET".equals(method) ? PodLogs.handle(this, path, query) : done(Status.methodNotAllowed(method, "pods/log"));
    }
    if ("binding".equals(path.subresource())) {
      return "POST".equals(method) ? Bindings.handle(this, request, path) : done(Status.methodNotAllowed(method, "pods/binding"));
    }
    return switch (method) {
      case "GET" -> path.subresource() == null && Tables.wanted(accept(request))
          ? tableOf(request, path, registry.get(type.kind(), path.namespace(), path.name()))
          : respond(registry.get(type.kind(), path.namespace(), path.name()), type, 200);
      case "PUT" -> bodies.read(request, type).thenCompose(body -> body.failure() != null
          ? done(body.failure()) : update(path, body));
      case "PATCH" -> bodies.readPatch(request).thenCompose(patch -> patch.failure() != null
          ? done(patch.failure())
          : written(registry.patch(type.kind(), path.namespace(), path.name(), patch.patchType(), patch.patch(),
              "status".equals(path.subresource())), path, 200));
      case "DELETE" -> bodies.readOptional(request).thenCompose(body -> body.failure() != null
          ? done(body.failure()) : delete(path, DeleteRequest.of(body.tree(), query)));
      default -> done(Status.methodNotAllowed(method, type.plural()));
    };
  }

  // ---- writes ---------------------------------------------------------------------------------

  private CompletionStage<HttpResponse> create(ApiPath path, RequestBodies.Body body, Query query) {
    if (path.subresource() != null) return done(Status.methodNotAllowed("POST", path.type().plural() + "/" + path.subresource()));
    Optional<Status> mismatch = checkIdentity(path, body.tree());
    if (mismatch.isPresent()) return done(mismatch.get());
    return written(registry.create(path.type().kind(), path.namespace(), body.tree()), path, 201)
        .thenApply(response -> withWarnings(response, body.warnings()));
  }

  private CompletionStage<HttpResponse> update(ApiPath path, RequestBodies.Body body) {
    Optional<Status> mismatch = checkIdentity(path, body.tree());
    if (mismatch.isPresent()) return done(mismatch.get());
    String bodyName = metadata(body.tree()).path("name").asText("");
    if (!bodyName.isEmpty() && !bodyName.equals(path.name())) {
      return done(Status.badRequest("the name of the object (" + bodyName
          + ") does not match the name on the URL (" + path.name() + ")"));
    }
    return written(registry.update(path.type().kind(), path.namespace(), path.name(), body.tree(),
            "status".equals(path.subresource())), path, 200)
        .thenApply(response -> withWarnings(response, body.warnings()));
  }

  CompletionStage<HttpResponse> delete(ApiPath path, DeleteRequest delete) {
    if (delete.failure() != null) return done(delete.failure());
    return written(registry.delete(path.type().kind(), path.namespace(), path.name(),
        delete.uid(), delete.resourceVersion(), delete.gracePeriodSeconds(), finalizersFor(path.type(), delete)), path, 200);
  }

  private CompletionStage<HttpResponse> deleteCollection(ApiPath path, Query query) {
    var filter = filter(registry.strategy(path.type().kind()), query);
    if (filter.failure() != null) return done(filter.failure());
    DeleteRequest delete = DeleteRequest.of(null, query);
    if (delete.failure() != null) return done(delete.failure());
    return registry.list(path.type().kind(), path.namespace(), filter.predicate(), 0, null).thenCompose(list -> {
      if (list.failure() != null) return done(list.failure());
      List<CompletableFuture<Result>> deletes = new ArrayList<>();
      for (ObjectNode o : list.items()) {
        JsonNode meta = o.path("metadata");
        deletes.add(registry.delete(path.type().kind(), emptyToNull(meta.path("namespace").asText("")),
            meta.path("name").asText(), null, null, delete.gracePeriodSeconds(), finalizersFor(path.type(), delete))
            .toCompletableFuture());
      }
      return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new)).thenApply(v -> {
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        for (CompletableFuture<Result> d : deletes) {
          if (d.join() instanceof Result.Ok ok) items.add(ok.object());
        }
        return Responses.json(200, listBody(path.type(), items, list.resourceVersion(), null, null));
      });
    });
  }

  /**
   * Waits until this member's index shows a write (so a following list sees it), then answers with
   * the written object.
   */
  CompletionStage<HttpResponse> written(CompletionStage<Result> write, ApiPath path, int code) {
    return write.thenCompose(result -> {
      if (result instanceof Result.Failed failed) return done(failed.status());
      ObjectNode object = ((Result.Ok) result).object();
      JsonNode meta = object.path("metadata");
      long version = parseLong(meta.path("resourceVersion").asText("0"));
      String key = ObjectEntity.entityId(emptyToNull(meta.path("namespace").asText("")), meta.path("name").asText());
      return registry.awaitIndexed(path.type().kind(), key, version, readYourWrites)
          .handle((ok, timeout) -> Responses.json(code, asServed(object, path.type())));
    });
  }

  CompletionStage<HttpResponse> respond(CompletionStage<Result> read, ResourceType type, int code) {
    return read.thenApply(result -> result instanceof Result.Ok ok
        ? Responses.json(code, asServed(ok.object(), type))
        : Responses.status(((Result.Failed) result).status()));
  }

  // ---- reads ----------------------------------------------------------------------------------

  private CompletionStage<HttpResponse> list(HttpRequest request, ApiPath path, Query query) {
    var filter = filter(registry.strategy(path.type().kind()), query);
    if (filter.failure() != null) return done(filter.failure());
    Rendering rendering = rendering(request);
    if (rendering.failure() != null) return done(rendering.failure());
    Optional<Tables.Include> table = rendering.table();
    int limit;
    try {
      limit = Integer.parseInt(query.get("limit").orElse("0"));
    } catch (NumberFormatException e) {
      return done(Status.badRequest("limit: Invalid value: \"" + query.get("limit").orElse("") + "\": must be an integer"));
    }
    return registry.list(path.type().kind(), path.namespace(), filter.predicate(), Math.max(0, limit),
            query.get("continue").orElse(null))
        .thenApply(list -> list.failure() != null
            ? Responses.status(list.failure())
            : table.isPresent()
            ? Responses.json(200, withContinue(Tables.table(printer(path.type()), list.items(),
                Long.toString(list.resourceVersion()), table.get(), Instant.now()), list.continueToken()))
            : Responses.json(200, listBody(path.type(), arrayOf(list.items(), path.type()), list.resourceVersion(),
                list.continueToken(), list.remainingItemCount())));
  }

  private CompletionStage<HttpResponse> watch(HttpRequest request, ApiPath path, Query query) {
    var filter = filter(registry.strategy(path.type().kind()), query);
    if (filter.failure() != null) return done(filter.failure());
    String rv = query.get("resourceVersion").orElse("");
    long from;
    if (rv.isEmpty() || rv.equals("0")) {
      from = -1; // "any": the current state as ADDED events, then changes
    } else {
      try {
        from = Long.parseLong(rv);
      } catch (NumberFormatException e) {
        return done(Status.badRequest("resourceVersion: Invalid value: \"" + rv + "\": must be a resourceVersion this server issued"));
      }
    }
    Duration limit = watchLimit;
    Optional<String> timeout = query.get("timeoutSeconds");
    if (timeout.isPresent()) {
      try {
        limit = Duration.ofSeconds(Math.min(Long.parseLong(timeout.get()), watchLimit.toSeconds()));
      } catch (NumberFormatException e) {
        return done(Status.badRequest("timeoutSeconds: Invalid value: \"" + timeout.get() + "\": must be an integer"));
      }
    }
    boolean bookmarks = query.get("allowWatchBookmarks").map(Boolean::parseBoolean).orElse(false);
    Rendering rendering = rendering(request);
    if (rendering.failure() != null) return done(rendering.failure());
    Optional<Tables.Include> table = rendering.table();
    ResourceType type = path.type();
    Source<ByteString, ?> events = registry
        .watch(type.kind(), path.namespace(), filter.predicate(), from, bookmarks)
        .takeWithin(limit)
        .takeWhile(e -> !"ERROR".equals(e.type()), true)
        .map(e -> encode(asSent(e, type, printer(type), table)));
    Optional<WebSocketUpgrade> upgrade = request.getAttribute(AttributeKeys.webSocketUpgrade);
    if (upgrade.isPresent()) {
      // fabric8 watches over a WebSocket: one text frame per event.
      Source<Message, ?> frames = events.map(bytes -> (Message) TextMessage.create(bytes.utf8String()));
      return done(upgrade.get().handleMessagesWith(Sink.ignore(), frames));
    }
    return done(HttpResponse.create().withEntity(HttpEntities.createChunked(ContentTypes.APPLICATION_JSON, events)));
  }

  /**
   * A watch event as the client asked for it: with a Table of one row per event for
   * {@code kubectl get -w}; a bookmark always names its apiVersion (kubectl 1.20 refuses it otherwise).
   */
  private static WatchEvent asSent(WatchEvent event, ResourceType type, Printer printer,
      Optional<Tables.Include> table) {
    if ("ERROR".equals(event.type())) return event;
    ObjectNode object = event.object();
    if ("BOOKMARK".equals(event.type())) {
      object = object.deepCopy();
      object.put("kind", type.kind());
      object.put("apiVersion", type.apiVersion());
      if (table.isEmpty()) return new WatchEvent(event.type(), object);
      return new WatchEvent(event.type(), Tables.table(printer, List.of(),
          object.path("metadata").path("resourceVersion").asText(null), Tables.Include.NONE, Instant.now()));
    }
    if (table.isEmpty()) return new WatchEvent(event.type(), asServed(object, type));
    return new WatchEvent(event.type(), Tables.table(printer, List.of(object),
        object.path("metadata").path("resourceVersion").asText(null), table.get(), Instant.now()));
  }

  /** A single object as a Table of one row ({@code kubectl get pod web}). */
  private CompletionStage<HttpResponse> tableOf(HttpRequest request, ApiPath path, CompletionStage<Result> read) {
    Rendering rendering = rendering(request);
    if (rendering.failure() != null) return done(rendering.failure());
    Optional<Tables.Include> table = rendering.table();
    return read.thenApply(result -> {
      if (result instanceof Result.Failed failed) return Responses.status(failed.status());
      ObjectNode object = ((Result.Ok) result).object();
      return Responses.json(200, Tables.table(printer(path.type()), List.of(object),
          object.path("metadata").path("resourceVersion").asText(null), table.get(), Instant.now()));
    });
  }

  /**
   * How a read is answered: {@code table} empty for plain JSON, else a Table with that much of each
   * object; {@code failure} for an includeObject the server does not know.
   */
  private record Rendering(Optional<Tables.Include> table, Status failure) {}

  private static Rendering rendering(HttpRequest request) {
    if (!Tables.wanted(accept(request))) return new Rendering(Optional.empty(), null);
    Query query = request.getUri().query();
    return Tables.Include.parse(query.get("includeObject").orElse(null))
        .map(include -> new Rendering(Optional.of(include), null))
        .orElseGet(() -> new Rendering(Optional.empty(), badInclude(query)));
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
  private static ObjectNode asServed(ObjectNode object, ResourceType type) {
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
