package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import dev.tugboat.model.Pod;
import dev.tugboat.model.Status;
import dev.tugboat.protocol.NodeLogs;
import dev.tugboat.registry.Result;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.Query;
import org.apache.pekko.util.ByteString;

/**
 * {@code GET pods/{name}/log} (container, tailLines, follow, previous): asks the node agent of the
 * pod's node, found through the receptionist on whichever member it runs, and streams its lines.
 */
final class PodLogs {
  private static final Duration ASK = Duration.ofSeconds(10);

  private PodLogs() {}

  static CompletionStage<HttpResponse> handle(ResourceHandler h, ApiPath path, Query query) {
    int tail;
    try {
      tail = query.get("tailLines").map(Integer::parseInt).orElse(-1);
    } catch (NumberFormatException e) {
      return ResourceHandler.done(Status.badRequest("tailLines: must be an integer"));
    }
    boolean follow = query.get("follow").map(Boolean::parseBoolean).orElse(false);
    boolean previous = query.get("previous").map(Boolean::parseBoolean).orElse(false);
    return h.registry().get("Pod", path.namespace(), path.name()).thenCompose(r -> {
      if (r instanceof Result.Failed f) return ResourceHandler.done(f.status());
      Pod pod = Codec.convert(((Result.Ok) r).object(), Pod.class);
      List<String> names = pod.spec().containers().stream().map(Pod.Container::name).toList();
      Optional<String> asked = query.get("container");
      if (asked.isEmpty() && names.size() > 1) {
        return ResourceHandler.done(Status.badRequest("a container name must be specified for pod " + path.name()
            + ", choose one of: " + names.toString().replace(",", "")));
      }
      String container = asked.orElse(names.get(0));
      if (!names.contains(container)) {
        return ResourceHandler.done(Status.badRequest("container " + container + " is not valid for pod " + path.name()));
      }
      String node = pod.spec().nodeName();
      if (node == null || node.isEmpty()) {
        return ResourceHandler.done(Status.badRequest("container \"" + container + "\" in pod \"" + path.name()
            + "\" is waiting to start: the pod is not scheduled yet"));
      }
      NodeLogs.Request request = new NodeLogs.Request(pod.metadata().uid(), container, tail, follow, previous);
      return agentOf(h, node).thenCompose(agent -> agent.isEmpty()
          ? ResourceHandler.done(Status.serviceUnavailable("the node agent of node " + node + " is not reachable"))
          : AskPattern.<NodeLogs.Fetch, NodeLogs.Reply>ask(agent.get(),
                  reply -> new NodeLogs.Fetch(request, reply), ASK, h.system().scheduler())
              .thenApply(PodLogs::respond));
    });
  }

  private static CompletionStage<Optional<ActorRef<NodeLogs.Fetch>>> agentOf(ResourceHandler h, String node) {
    var key = NodeLogs.key(node);
    return AskPattern.<Receptionist.Command, Receptionist.Listing>ask(h.system().receptionist(),
            reply -> Receptionist.find(key, reply), ASK, h.system().scheduler())
        .thenApply(listing -> listing.getServiceInstances(key).stream().findFirst());
  }

  private static HttpResponse respond(NodeLogs.Reply reply) {
    if (reply instanceof NodeLogs.Failed f) return Responses.status(Status.badRequest(f.message()));
    var lines = ((NodeLogs.Streaming) reply).lines().getSource().map(line -> ByteString.fromString(line + "\n"));
    return HttpResponse.create().withStatus(200)
        .withEntity(HttpEntities.createChunked(ContentTypes.TEXT_PLAIN_UTF8, lines));
  }
}
