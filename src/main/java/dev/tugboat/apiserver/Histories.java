package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Status;
import dev.tugboat.registry.ObjectHistory;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * {@code GET .../{name}/history}: a Tugboat subresource of every kind, the object's event-sourced
 * history (something Kubernetes cannot show): each persisted change with its time, resourceVersion,
 * who made it ({@code by}: user, uid, groups, User-Agent) and the fields it changed. Answered as
 * {@code tugboat.dev/v1 History}.
 */
final class Histories {
  static final String SUBRESOURCE = "history";

  private Histories() {}

  static CompletionStage<HttpResponse> handle(ResourceHandler h, ApiPath path, String method) {
    if (!"GET".equals(method)) return ResourceHandler.done(Status.methodNotAllowed(method, path.type().plural() + "/history"));
    return ObjectHistory.of(h.system(), path.type().kind(), path.namespace(), path.name())
        .thenApply(entries -> entries.isEmpty()
            ? Responses.status(Status.notFound(path.type().group(), path.type().plural(), path.name()))
            : Responses.json(200, body(path, entries, h.registry().strategy(path.type().kind())::historyView)))
        .exceptionally(e -> Responses.status(Status.serviceUnavailable(
            "the journal cannot be read: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()))));
  }

  /** The history of one object; {@code view} shows each state as the kind allows (a Secret's values never). */
  static ObjectNode body(ApiPath path, List<ObjectHistory.Entry> entries, UnaryOperator<ObjectNode> view) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("kind", "History");
    body.put("apiVersion", "tugboat.dev/v1");
    ObjectNode meta = body.putObject("metadata");
    meta.put("name", path.name());
    if (path.namespace() != null) meta.put("namespace", path.namespace());
    body.put("objectKind", path.type().kind());
    ArrayNode items = body.putArray("items");
    JsonNode previous = null;
    for (ObjectHistory.Entry e : entries) {
      ObjectNode item = items.addObject();
      ObjectNode object = view.apply(e.object());
      JsonNode objectMeta = object.path("metadata");
      item.put("sequenceNr", e.sequenceNr());
      item.put("time", e.time().toString());
      item.put("type", e.type());
      item.put("resourceVersion", objectMeta.path("resourceVersion").asText(""));
      item.put("uid", objectMeta.path("uid").asText(""));
      item.put("generation", objectMeta.path("generation").asLong(0));
      if (e.by() != null) {
        // the audit trail: who made the change, from which program (older changes did not record it)
        ObjectNode by = item.putObject("by");
        by.put("username", e.by().user());
        if (!e.by().uid().isEmpty()) by.put("uid", e.by().uid());
        e.by().groups().forEach(by.withArray("groups")::add);
        by.put("userAgent", e.by().userAgent());
      }
      ArrayNode changes = item.putArray("changes");
      // A creation starts a new life of the name (also after a delete): it carries the object whole.
      if ("Created".equals(e.type())) {
        item.set("object", object);
      } else if (!"Deleted".equals(e.type())) {
        for (ObjectDiff.Change c : ObjectDiff.between(previous, object)) {
          ObjectNode change = changes.addObject();
          change.put("path", c.path());
          if (!c.before().isMissingNode()) change.set("before", c.before());
          if (!c.after().isMissingNode()) change.set("after", c.after());
        }
      }
      previous = object;
    }
    return body;
  }
}
